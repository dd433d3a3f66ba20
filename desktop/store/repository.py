"""All reads and writes of the local store; every write commits with its change-log entry.

A write validates the whole record (sync.validation), stamps each changed field
with a hybrid-logical-clock stamp, and appends one change-log row, all in one
transaction: the record and its change are saved together or not at all.
"""
from __future__ import annotations

import builtins
import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import overload

import orjson
import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Connection, Engine, func, select, text, update
from sqlalchemy.exc import OperationalError

from sync import clock, records
from sync.ids import is_uuid, new_id
from sync.protocol import DELETED, RECORD_BASE
from sync.validation import FieldError, ValidationError, clean_record

from . import bulk, driver_sql, household_rules, name_order, search
from .schema import change_log, meta

log = logging.getLogger(__name__)
# The grid hierarchy belongs to the station (统一命名、统一编号): a grid added on a laptop
# is a local stand-in until the station's hierarchy arrives, so it is not logged for
# sync and carries no stamps; any value pulled from the station replaces it.
LOCAL_REFERENCE_TYPES = ("grid",)
# Fields naming another record that must exist here before the record is written.
REFERENCES = {"person": (("household_id", "household"),), "household": (("building_id", "building"),),
              "visit": (("person_id", "person"), ("household_id", "household"))}
DEMO_KEY = "demo"            # meta: this folder holds a demo village, which never leaves the laptop


class StorageFullError(OSError):
    """The disk (or the file's size cap) is full: nothing was written."""


class TransactionLost(RuntimeError):
    """A nested write found its transaction already rolled back (an earlier error was caught)."""


class NotFound(LookupError):
    def __init__(self, record_type: str, record_id: str):
        self.record_type, self.record_id = record_type, record_id
        super().__init__(f"{record_type} {record_id} not found")


def _disk_full(exc: BaseException) -> str | None:
    """SQLite's "database or disk is full", wherever it sits in the chain of errors.

    A full disk rolls back the whole transaction, so a nested savepoint's own rollback
    then fails ("no such savepoint") and the real cause is only its context.
    """
    seen: BaseException | None = exc
    while seen is not None:
        orig = getattr(seen, "orig", seen)
        if isinstance(orig, (sqlite3.OperationalError, sqlcipher.OperationalError)) and "full" in str(orig):
            return str(orig)
        seen = seen.__context__ or seen.__cause__
    return None


def _row_dict(row) -> dict | None:
    return dict(row._mapping) if row is not None else None


class Store:
    """The local store of one data folder."""

    def __init__(self, engine: Engine, path: Path, key=None):
        self.engine = engine
        self.path = path
        self.key = key                       # the folder's DataKey (keys.py): seals photos and the token file
        self._writer = engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        self._local = threading.local()      # the open write transaction of each thread
        self._listeners: list[Callable[[], None]] = []
        with self.atomic() as conn:
            self.device_id = _read_meta(conn, "device_id") or _write_meta(conn, "device_id", new_id())
            self.clock = clock.HybridClock(int(_read_meta(conn, "hlc") or 0))

    # -- transactions and meta ------------------------------------------------------
    @contextlib.contextmanager
    def atomic(self, savepoint: bool = True) -> Iterator[Connection]:
        """One write transaction; a full disk becomes StorageFullError, nothing half-written.

        Nested calls on the same thread join the outer transaction as a savepoint, so a
        bulk job (an import) can compose put_many and put and still commit all or nothing.
        `savepoint=False` joins it without one, for writes whose failure rolls back the whole
        transaction anyway (bulk inserts are INSERT OR ROLLBACK): an open savepoint makes
        SQLite journal every page a statement touches and walk that journal after each one.
        """
        outer = getattr(self._local, "conn", None)
        if outer is not None:
            if not driver_sql.driver(outer).in_transaction:
                # a bulk insert's ROLLBACK ended it: what follows would commit row by row
                raise TransactionLost("the write transaction was rolled back by an earlier error")
            if not savepoint:
                yield outer
                return
            with outer.begin_nested():
                yield outer
            return
        self._local.logged = False
        try:
            with self._writer.begin() as conn:
                self._local.conn = conn
                try:
                    yield conn
                finally:
                    self._local.conn = None
        except (OperationalError, sqlite3.OperationalError, sqlcipher.OperationalError) as exc:
            full = _disk_full(exc)
            if full:
                raise StorageFullError(full) from exc
            raise
        if self._local.logged:
            self._notify()

    def on_logged(self, callback: Callable[[], None]) -> Callable[[], None]:
        """Call `callback()` after every commit that logged a change (on the writing thread);
        returns the function that stops it. The status bar counts pending changes this way."""
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback) if callback in self._listeners else None

    def _notify(self) -> None:
        for callback in list(self._listeners):
            try:
                callback()
            except Exception:          # a listener never undoes or fails a committed write
                log.exception("change listener failed")

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def _advance_clock(self, conn: Connection, past: str | None = None) -> None:
        """Bring this process's clock up to the one stored in the file, inside the write transaction.

        Another process on the same data folder (gridbook-cli while the app is open) may have
        moved it on, observing a fast laptop's stamps in a pull: a stamp made from a stale clock
        would lose at the station to the very value it overwrote. `past`: a stamp to go beyond
        (the newest of the record being edited)."""
        stored = driver_sql.read_metas(conn, "hlc", "device_id")
        newest = max(int(stored.get("hlc") or 0), clock.stamp_hlc(past) if past else 0)
        if newest > self.clock.last:
            self.clock.observe(newest, max_drift_ms=1 << 62)
        # and its device: another process may have forked this folder (store/identity.py) meanwhile
        self.device_id = stored.get("device_id") or self.device_id

    @property
    def is_demo(self) -> bool:
        """A demo village lives here: nothing in this folder may reach a station."""
        return self.get_meta(DEMO_KEY) is not None

    @overload
    def get_meta(self, key: str, default: str, conn: Connection | None = None) -> str: ...
    @overload
    def get_meta(self, key: str, default: None = None, conn: Connection | None = None) -> str | None: ...

    def get_meta(self, key: str, default: str | None = None, conn: Connection | None = None) -> str | None:
        """A meta value (device_id, hlc, acked_seq, the sync settings); inside `conn`'s transaction if given."""
        if conn is None:
            with self.reading() as reading:
                value = _read_meta(reading, key)
        else:
            value = _read_meta(conn, key)
        return default if value is None else value

    def set_meta(self, conn: Connection | None = None, /, **values: str | None) -> None:
        """Set (None: remove) meta values, in `conn`'s transaction if given, else in one of their own."""
        if conn is not None:
            _write_metas(conn, values)
            return
        with self.atomic() as writing:
            _write_metas(writing, values)

    # -- reads ------------------------------------------------------------------------
    def get(self, record_type: str, record_id: str, include_deleted: bool = False) -> dict | None:
        with self.reading() as conn:
            row = self._fetch(conn, record_type, record_id)
        if row is None or (row[DELETED] and not include_deleted):
            return None
        return row

    def _fetch(self, conn: Connection, record_type: str, record_id: str) -> dict | None:
        table = records.record_table(record_type)
        key = table.c[records.key_field(record_type)]
        return _row_dict(conn.execute(select(table).where(key == record_id)).first())

    def list(self, record_type: str, grid: str | None = None, limit: int | None = None,
             offset: int = 0, include_deleted: bool = False) -> builtins.list[dict]:
        table = records.record_table(record_type)
        query = select(table)
        query = self._filter_grid(query, record_type, table, grid)
        if not include_deleted:
            query = query.where(table.c.deleted.is_(False))
        query = query.order_by(table.c[records.key_field(record_type)]).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self.reading() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    @staticmethod
    def _filter_grid(query, record_type, table, grid):
        if not grid:
            return query
        if record_type == "person":
            household = records.record_table("household")
            return query.where(table.c.household_id.in_(
                select(household.c.id).where(household.c.grid_code == grid)))
        if record_type == "grid":
            return query.where((table.c.code == grid) | (table.c.parent_code == grid))
        return query.where(table.c.grid_code == grid)

    def count(self, record_type: str, grid: str | None = None) -> int:
        table = records.record_table(record_type)
        query = self._filter_grid(select(func.count()).select_from(table), record_type, table, grid)
        with self.reading() as conn:
            return conn.execute(query.where(table.c.deleted.is_(False))).scalar_one()

    def search(self, query: str, record_types=("household", "person"), limit: int = 50) -> builtins.list[dict]:
        with self.reading() as conn:
            return search.search(conn, query, record_types, limit)

    def grid_exists(self, code: str, conn: Connection | None = None) -> bool:
        grid = records.record_table("grid")
        query = select(grid.c.code).where(grid.c.code == code, grid.c.deleted.is_(False))
        if conn is not None:
            return conn.execute(query).first() is not None
        with self.reading() as c:
            return c.execute(query).first() is not None

    # -- writes -----------------------------------------------------------------------
    def put(self, record_type: str, values: dict, seen: dict | None = None) -> str:
        """Create a record, or change just the named fields of an existing one; return its key.

        seen: the record's stamps as the writer saw them (a form, when it opened). They become
        the change's base, so an edit of a field that a pull changed in the meantime reaches
        the station as the concurrent edit it is (a conflict kept for review), not as an
        edit of the pulled value. Without it the base is the stamps stored now."""
        if record_type not in records.RECORD_TYPES:
            clean_record(record_type, values)          # raises the unknown-type error
        key = records.key_field(record_type)
        record_id = values.get(key)
        with self.atomic() as conn:
            found = driver_sql.record_sql(record_type).fetch(conn, record_id) if record_id else None
            rowid, existing = found if found is not None else (None, None)
            if existing is not None and existing[DELETED]:
                raise ValidationError([FieldError(key, "deleted", {"type": record_type, "id": record_id})])
            if existing is None and key == "id":
                if record_id and not is_uuid(record_id):
                    raise ValidationError([FieldError("id", "bad_id", {"value": record_id})])
                values = {**values, "id": record_id or new_id()}
            merged = {f: existing[f] for f in records.fields_of(record_type)} if existing else {}
            merged.update(values)
            # a grid the record already lives in was checked when it moved there
            kept_grid = existing.get("grid_code") if existing else None
            cleaned = clean_record(record_type, merged,
                                   lambda code: code == kept_grid or self.grid_exists(code, conn))
            self._check_references(conn, record_type, cleaned)
            if existing is None:      # a new record: send only what was filled in
                changed = {f: v for f, v in cleaned.items() if v is not None and v != []}
            else:
                changed = {f: v for f, v in cleaned.items() if existing[f] != v}
            if record_type == "person":
                household_rules.check_person(conn, cleaned, changed)
            if not changed:
                return cleaned[key]
            if existing is not None:
                changed = self._with_refused_fields(conn, record_type, cleaned, changed)
            self._write(conn, record_type, cleaned[key], cleaned, changed, existing, seen, rowid)
            self._keep_head_in_step(conn, record_type, cleaned, changed)
        return cleaned[key]

    def _keep_head_in_step(self, conn: Connection, record_type: str, cleaned: dict, changed: dict) -> None:
        """The household's head fields and its 户主 member are one fact: a change of one moves the other."""
        follow = household_rules.household_follows(conn, cleaned, changed) if record_type == "person" else \
            household_rules.head_follows(conn, cleaned, changed) if record_type == "household" else None
        if follow:
            self.put("household" if record_type == "person" else "person", follow)

    @staticmethod
    def _with_refused_fields(conn: Connection, record_type: str, cleaned: dict, changed: dict) -> dict:
        """An edit of a record whose earlier change the station refused carries that change's
        fields again, so fixing the record resends what was refused (a refused create: the
        whole record); the refused entries are then marked fixed and leave the set-aside list."""
        key = cleaned[records.key_field(record_type)]
        refused = driver_sql.driver(conn).execute(
            "SELECT seq, fields FROM change_log WHERE state = 'set_aside' AND record_type = ? AND record_id = ?",
            (record_type, key)).fetchall()
        if not refused:
            return changed
        widened = {f: cleaned[f] for _, fields in refused for f in orjson.loads(fields) if f in cleaned}
        conn.execute(update(change_log).where(change_log.c.seq.in_([seq for seq, _ in refused]))
                     .values(state="fixed"))
        return {**widened, **changed}

    def delete(self, record_type: str, record_id: str) -> None:
        with self.atomic() as conn:
            found = driver_sql.record_sql(record_type).fetch(conn, record_id)
            if found is None or found[1][DELETED]:
                raise NotFound(record_type, record_id)
            rowid, existing = found
            self._write(conn, record_type, record_id, None, {DELETED: True}, existing, rowid=rowid)

    def _check_references(self, conn: Connection, record_type: str, cleaned: dict) -> None:
        for field, target in REFERENCES.get(record_type, ()):
            value = cleaned.get(field)
            # read in the write transaction: it sees what is committed and what this one wrote
            if value and not driver_sql.record_sql(target).exists(conn, value):
                raise ValidationError([FieldError(field, "record_missing", {"value": value})])

    def _write(self, conn: Connection, record_type: str, record_id: str, cleaned: dict | None,
               changed: dict, existing: dict | None, seen: dict | None = None, rowid: int | None = None) -> None:
        table = records.record_table(record_type)
        key = table.c[records.key_field(record_type)]
        if record_type in LOCAL_REFERENCE_TYPES:
            if existing is None:
                assert cleaned is not None          # a new record comes with its cleaned values
                conn.execute(table.insert().values(**cleaned, clocks={}, deleted=False))
            else:
                conn.execute(update(table).where(key == record_id).values(**changed))
            return
        old_clocks = dict(existing["clocks"]) if existing else {}
        self._advance_clock(conn, max(old_clocks.values()) if old_clocks else None)
        hlc = self.clock.now()
        stamp = clock.stamp(hlc, self.device_id)
        # a stamp given up by a discarded change is "": no base to speak of
        seen_clocks = {f: s for f, s in (old_clocks if seen is None else seen).items() if s and f != RECORD_BASE}
        base = {f: seen_clocks[f] for f in changed if seen_clocks.get(f)}
        if seen_clocks:
            base[RECORD_BASE] = max(seen_clocks.values())
        clocks = {**old_clocks, **dict.fromkeys(changed, stamp)}
        statements = driver_sql.record_sql(record_type)
        if existing is None:
            assert cleaned is not None
            rowid = statements.insert(conn, {**cleaned, "clocks": clocks, DELETED: False})
        else:
            statements.update(conn, record_id, {**changed, "clocks": clocks})
        driver_sql.log_change(conn, self.device_id, record_type, record_id,
                              "delete" if DELETED in changed else "put", changed, base, hlc)
        driver_sql.write_meta(conn, "hlc", str(hlc))
        self._local.logged = True
        assert rowid is not None                 # fetched with the record, or given by its insert
        self._reindex(conn, record_type, rowid, cleaned, changed, new=existing is None)

    @staticmethod
    def _reindex(conn: Connection, record_type: str, rowid: int, row: dict | None, changed: dict,
                 new: bool) -> None:
        """The search terms and name-order key of a record just written (`row`: its values, None
        once deleted); an edit of fields the terms do not hold touches neither (FTS5 writes a new
        segment per commit: the costliest part of a save)."""
        if record_type not in search.SEARCHED:
            return
        if row is None or changed.get(DELETED):
            search.unindex(conn, record_type, rowid)
            return
        if not new and not search.SEARCHED_FIELDS[record_type] & changed.keys():
            return
        names = new or name_order.SORTED_FIELDS[record_type] in changed
        if record_type == "household":
            search.index_rows(conn, "household", [search.household_entry({**row, "rowid": rowid})], names=names)
            if not new and "address" not in changed:  # residents' terms hold its address, nothing else of it
                return
            residents = conn.execute(text("SELECT rowid, * FROM person WHERE household_id = :h AND NOT deleted"),
                                     {"h": row["id"]}).mappings()
            search.index_rows(conn, "person", [search.person_entry(m, row["address"]) for m in residents],
                              names=False)
        else:
            search.reindex_person(conn, row, rowid, names=names)

    def put_many(self, record_type: str, rows: builtins.list[dict], cleaned: bool = False) -> builtins.list[str]:
        """Create many new records in one transaction (imports, demo data): all or nothing.

        Validation runs first on every row (unless `cleaned`: the rows are clean_record's
        output already, as the import pipeline's are, and are not checked twice); then
        records, change-log entries and search terms go in with one executemany per table.
        """
        key = records.key_field(record_type)
        with self.atomic(savepoint=False) as conn:       # all rows are checked before any is written
            rows = rows if cleaned else bulk.cleaned_rows(conn, record_type, rows)
            if not rows:
                return []
            if record_type in LOCAL_REFERENCE_TYPES:
                conn.execute(records.record_table(record_type).insert(),
                             [{**r, "clocks": {}, "deleted": False} for r in rows])
            else:
                bulk.insert_logged(self, conn, record_type, rows)
        return [r[key] for r in rows]


def _read_meta(conn: Connection, key: str) -> str | None:
    return conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar()


def _write_meta(conn: Connection, key: str, value: str) -> str:
    driver_sql.write_meta(conn, key, value)
    return value


def _write_metas(conn: Connection, values: dict[str, str | None]) -> None:
    for key, value in values.items():
        if value is None:
            conn.execute(meta.delete().where(meta.c.key == key))
        else:
            _write_meta(conn, key, str(value))
