"""Bulk writes shared by push, grid import and resolutions: record rows, station sequences, audit."""
from __future__ import annotations

import orjson
from sqlalchemy import JSON, Boolean, Connection, select

from sync import clock, records
from sync.driver_rows import DriverRows
from sync.merge import stamp_device

from . import db, tables

CHUNK = 500                 # ids per IN (...) query


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def fetch_rows(conn: Connection, record_type: str, ids, columns: tuple[str, ...] | None = None) -> dict[str, dict]:
    """Current rows of one type by key (only `columns` if given, the key always), one IN query
    per chunk, read on the driver's cursor: SQLAlchemy's row processing cost more than the
    query on the push and pull paths."""
    table = records.record_table(record_type).name
    key = records.key_field(record_type)
    names, decoders = _read_plan(record_type, conn.dialect.name == "sqlite", columns)
    select_list = ", ".join(f'"{n}"' for n in names)
    found = {}
    cursor = conn.connection.cursor()          # the transaction's own connection
    try:
        for part in chunks(sorted(set(ids))):
            where, params = key_in(conn, key, part)
            cursor.execute(f'SELECT {select_list} FROM "{table}" WHERE {where}', params)
            for values in cursor.fetchall():
                row = dict(zip(names, values, strict=True))
                for name, decode in decoders:
                    if row[name] is not None:
                        row[name] = decode(row[name])
                found[row[key]] = row
    finally:
        cursor.close()
    return found


_READ_PLANS: dict[tuple, tuple[list[str], list]] = {}


def _read_plan(record_type: str, sqlite: bool, only: tuple[str, ...] | None) -> tuple[list[str], list]:
    """Column names, and the conversions SQLAlchemy would have made (SQLite hands back JSON as
    text and booleans as 0/1; psycopg already decodes both)."""
    if (record_type, sqlite, only) not in _READ_PLANS:
        key = records.key_field(record_type)
        columns = [c for c in records.record_table(record_type).columns if not only or c.name in only or c.name == key]
        decoders = [(c.name, orjson.loads if isinstance(c.type, JSON) else bool) for c in columns
                    if sqlite and isinstance(c.type, (JSON, Boolean))]
        _READ_PLANS[(record_type, sqlite, only)] = ([c.name for c in columns], decoders)
    return _READ_PLANS[(record_type, sqlite, only)]


_COLUMNS: dict[str, list[tuple[str, bool, object]]] = {}


def _columns(record_type: str) -> list[tuple[str, bool, object]]:
    """(name, nullable, fallback) for each column of a record table, computed once."""
    if record_type not in _COLUMNS:
        _COLUMNS[record_type] = [(c.name, bool(c.nullable), records.empty_value(record_type, c.name))
                                 for c in records.record_table(record_type).columns]
    return _COLUMNS[record_type]


def complete_row(record_type: str, row: dict, defaults: dict) -> dict:
    """A row with every column: NOT NULL columns never set by a change take the record's defaults."""
    out = {}
    for name, nullable, fallback in _columns(record_type):
        value = row.get(name)
        if value is None and not nullable:
            value = defaults.get(name)
            if value is None:
                value = fallback
        out[name] = value
    return out


# The bulk statements below go straight to the driver's executemany: SQLAlchemy's per-row
# parameter processing cost more than the database itself (push target: 20,000 changes/s).
def _marks(conn: Connection, count: int) -> str:
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    return ", ".join([mark] * count)


def key_in(conn: Connection, column: str, values: list) -> tuple[str, tuple]:
    """`column` is one of `values`, for the driver's cursor: IN (?, ...) on SQLite, = ANY(one array) on
    PostgreSQL (psycopg parses a statement with 500 placeholders again each time it is sent)."""
    if conn.dialect.name == "postgresql":
        return f'"{column}" = ANY(%s::varchar[])', (pg_array(values),)
    return f'"{column}" IN ({_marks(conn, len(values))})', tuple(values)


def pg_array(values) -> str:
    """A PostgreSQL array literal of text or integers (None is NULL): psycopg adapts a list element by
    element in Python, three times slower than this."""
    return "{" + ",".join("NULL" if v is None else str(v) if v.__class__ is int else
                          '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


def _driver_value(value):
    return orjson.dumps(value).decode() if isinstance(value, (dict, list)) else value


def _executemany(conn: Connection, sql: str, rows: list[tuple]) -> None:
    if rows:
        conn.exec_driver_sql(sql, rows)


def _insert_new(conn: Connection, table: str, names: list[str], rows: list[tuple]) -> None:
    """Insert rows known to be new: COPY on PostgreSQL (no statement per row), executemany elsewhere."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        _executemany(conn, f"INSERT INTO {table} ({', '.join(names)}) VALUES ({_marks(conn, len(names))})", rows)
        return
    cursor = conn.connection.cursor()          # the transaction's own connection
    try:
        with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()


def write_rows(conn: Connection, record_type: str, inserts: list[dict], updates: list[dict]) -> None:
    table = records.record_table(record_type).name
    key = records.key_field(record_type)
    names = [name for name, _n, _f in _columns(record_type)]
    if inserts:
        _executemany(conn, f"INSERT INTO {table} ({', '.join(names)}) VALUES ({_marks(conn, len(names))})",
                     DriverRows(records.record_table(record_type), names).rows(inserts))
    if updates:
        others = [n for n in names if n != key]
        mark = _marks(conn, 1)
        _executemany(conn, f"UPDATE {table} SET {', '.join(f'{n} = {mark}' for n in others)} WHERE {key} = {mark}",
                     DriverRows(records.record_table(record_type), [*others, key]).rows(updates))


_VALUE_PLANS: dict[str, tuple] = {}


def _value_plan(record_type: str) -> tuple:
    """(name, nullable, fallback, is_json) per column, and where the key sits, computed once."""
    if record_type not in _VALUE_PLANS:
        table = records.record_table(record_type)
        steps = tuple((name, nullable, fallback, isinstance(table.columns[name].type, JSON))
                      for name, nullable, fallback in _columns(record_type))
        key_at = [s[0] for s in steps].index(records.key_field(record_type))
        _VALUE_PLANS[record_type] = (steps, key_at)
    return _VALUE_PLANS[record_type]


def row_values(record_type: str, row: dict, defaults: dict) -> tuple:
    """complete_row and DriverRows.row in one pass: the values in column order, JSON as text
    (the push path builds one per change; two passes over the columns cost as much as the insert)."""
    out = []
    for name, nullable, fallback, is_json in _value_plan(record_type)[0]:
        value = row.get(name)
        if value is None and not nullable:
            value = defaults.get(name)
            if value is None:
                value = fallback
        if is_json and value is not None:
            value = orjson.dumps(value).decode()
        out.append(value)
    return tuple(out)


def write_values(conn: Connection, record_type: str, inserts: list[tuple], updates: list[tuple]) -> None:
    """write_rows for rows already made by row_values."""
    table = records.record_table(record_type).name
    steps, key_at = _value_plan(record_type)
    names = [s[0] for s in steps]
    _insert_new(conn, table, names, inserts)
    if updates:
        others = names[:key_at] + names[key_at + 1:]
        mark = _marks(conn, 1)
        _executemany(conn, f"UPDATE {table} SET {', '.join(f'{n} = {mark}' for n in others)} "
                           f"WHERE {names[key_at]} = {mark}",
                     [v[:key_at] + v[key_at + 1:] + (v[key_at],) for v in updates])


def bump_versions(conn: Connection, entries: list[tuple[str, str, str | None]]) -> int:
    """Give each (type, id, grid_code) a fresh station sequence, in order; return the last."""
    if not entries:
        return 0
    first = db.next_seqs(conn, len(entries))
    rows = [(t, i, first + n, g) for n, (t, i, g) in enumerate(entries)]
    upsert = " ON CONFLICT (record_type, record_id) DO UPDATE SET seq = excluded.seq, grid_code = excluded.grid_code"
    if conn.dialect.name == "postgresql":
        # one statement of four arrays: executemany sends (and the server plans) a statement per row
        conn.exec_driver_sql("INSERT INTO record_version (record_type, record_id, seq, grid_code) SELECT * FROM "
                             "unnest(%s::varchar[], %s::varchar[], %s::bigint[], %s::varchar[])" + upsert,
                             tuple(pg_array(column) for column in zip(*rows, strict=True)))
    else:
        _executemany(conn, f"INSERT INTO record_version (record_type, record_id, seq, grid_code) "
                           f"VALUES ({_marks(conn, 4)})" + upsert, rows)
    return first + len(entries) - 1


def record_fingerprints(conn: Connection, device_id: str, digests: list[tuple[int, int]]) -> None:
    """(seq, digest) of the changes of one device just applied or skipped."""
    _insert_new(conn, "station_device_change", ["device_id", "seq", "digest"],
                [(device_id, seq, digest) for seq, digest in digests])


def held_fingerprints(conn: Connection, device_id: str, first: int, last: int) -> dict[int, int]:
    """seq -> digest of the changes the station holds of a device in [first, last]."""
    t = tables.device_change
    return dict(conn.execute(select(t.c.seq, t.c.digest).where(t.c.device_id == device_id, t.c.seq >= first,
                                                                t.c.seq <= last)).all())


AUDIT_COLUMNS = ("at_ms", "user_name", "device_id", "action", "record_type", "record_id", "fields", "detail")


def audit(conn: Connection, rows: list[dict]) -> None:
    """Audit rows: user_name, device_id, action, record_type, record_id, fields, detail."""
    at = db.now_ms()
    _executemany(conn, f"INSERT INTO station_audit ({', '.join(AUDIT_COLUMNS)}) VALUES ({_marks(conn, 8)})",
                 [(at, r["user_name"], r.get("device_id"), r["action"], r.get("record_type"), r.get("record_id"),
                   _driver_value(r.get("fields")), _driver_value(r.get("detail"))) for r in rows])


def audit_values(conn: Connection, values: list[tuple]) -> None:
    """Audit rows already in driver form: (user_name, device_id, action, record_type, record_id,
    fields as JSON text, detail as JSON text); the push path writes one per change."""
    at = db.now_ms()
    _executemany(conn, f"INSERT INTO station_audit ({', '.join(AUDIT_COLUMNS)}) VALUES ({_marks(conn, 8)})",
                 [(at, *v) for v in values])


def push_audit(conn: Connection, device_id: str | None = None, record_ids=None) -> list[dict]:
    """The push audit as one entry per applied change: at_ms, user_name, device_id, seq, record_type,
    record_id, fields (the station writes one row per batch, listing its changes)."""
    t = tables.audit
    query = select(t.c.at_ms, t.c.user_name, t.c.device_id, t.c.detail).where(t.c.action == "push")
    if device_id is not None:
        query = query.where(t.c.device_id == device_id)
    wanted = set(record_ids) if record_ids is not None else None
    out = []
    for at_ms, user, device, detail in conn.execute(query.order_by(t.c.id)):
        detail = orjson.loads(detail) if isinstance(detail, str) else detail
        for seq, record_type, record_id, fields in detail.get("changes", ()):
            if wanted is None or record_id in wanted:
                out.append({"at_ms": at_ms, "user_name": user, "device_id": device, "seq": seq,
                            "record_type": record_type, "record_id": record_id, "fields": fields})
    return out


def station_stamp(conn: Connection, after: str | None = None) -> str:
    """A fresh stamp of the station's own device, later than `after`; persists the station clock."""
    hlc = clock.HybridClock(int(db.get_setting(conn, "hlc") or 0))
    if after:
        hlc.observe(clock.stamp_hlc(after), max_drift_ms=1 << 62)
    now = hlc.now()
    db.set_setting(conn, "hlc", str(now))
    return clock.stamp(now, db.station_device_id(conn))


def device_users(conn: Connection, stamps) -> dict[str, str]:
    """device id -> user name for the authors of these stamps (the station is 'station')."""
    ids = {stamp_device(s) for s in stamps if s}
    found: dict[str, str] = {}
    for part in chunks(sorted(ids)):
        found.update(conn.execute(select(tables.device.c.id, tables.device.c.user_name)
                                  .where(tables.device.c.id.in_(part))).all())
    found[db.station_device_id(conn)] = "station"
    return found
