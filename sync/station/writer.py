"""Bulk writes shared by push, grid import and resolutions: record rows, station sequences, audit."""
from __future__ import annotations

import orjson
from sqlalchemy import JSON, Connection, select

from sync import clock, records
from sync.merge import stamp_device

from . import db, tables

CHUNK = 500                 # ids per IN (...) query


def chunks(items: list, size: int = CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def fetch_rows(conn: Connection, record_type: str, ids) -> dict[str, dict]:
    """Current rows of one type by key, one IN query per chunk."""
    table = records.record_table(record_type)
    key = records.key_field(record_type)
    found = {}
    for part in chunks(sorted(set(ids))):
        for row in conn.execute(select(table).where(table.c[key].in_(part))).mappings():
            found[row[key]] = dict(row)
    return found


_COLUMNS: dict[str, list[tuple[str, bool, object]]] = {}


def _columns(record_type: str) -> list[tuple[str, bool, object]]:
    """(name, nullable, fallback) for each column of a record table, computed once."""
    if record_type not in _COLUMNS:
        fallback = {"clocks": {}, "tags": [], "deleted": False}
        _COLUMNS[record_type] = [(c.name, c.nullable, fallback.get(c.name, ""))
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


def _driver_value(value):
    return orjson.dumps(value).decode() if isinstance(value, (dict, list)) else value


def _executemany(conn: Connection, sql: str, rows: list[tuple]) -> None:
    if rows:
        conn.exec_driver_sql(sql, rows)


def write_rows(conn: Connection, record_type: str, inserts: list[dict], updates: list[dict]) -> None:
    table = records.record_table(record_type).name
    key = records.key_field(record_type)
    names = [name for name, _n, _f in _columns(record_type)]
    json_names = {c.name for c in records.record_table(record_type).columns if isinstance(c.type, JSON)}

    def driver_rows(rows: list[dict], order: list[str]) -> list[tuple]:
        out = []
        for row in rows:
            values = [row[n] for n in order]
            for index, name in enumerate(order):
                if name in json_names and values[index] is not None:
                    values[index] = orjson.dumps(values[index]).decode()
            out.append(tuple(values))
        return out
    _executemany(conn, f"INSERT INTO {table} ({', '.join(names)}) VALUES ({_marks(conn, len(names))})",
                 driver_rows(inserts, names))
    others = [n for n in names if n != key]
    mark = _marks(conn, 1)
    _executemany(conn, f"UPDATE {table} SET {', '.join(f'{n} = {mark}' for n in others)} WHERE {key} = {mark}",
                 driver_rows(updates, others + [key]))


def bump_versions(conn: Connection, entries: list[tuple[str, str, str | None]]) -> int:
    """Give each (type, id, grid_code) a fresh station sequence, in order; return the last."""
    if not entries:
        return 0
    first = db.next_seqs(conn, len(entries))
    _executemany(conn, "INSERT INTO record_version (record_type, record_id, seq, grid_code) "
                       f"VALUES ({_marks(conn, 4)}) ON CONFLICT (record_type, record_id) "
                       "DO UPDATE SET seq = excluded.seq, grid_code = excluded.grid_code",
                 [(t, i, first + n, g) for n, (t, i, g) in enumerate(entries)])
    return first + len(entries) - 1


AUDIT_COLUMNS = ("at_ms", "user_name", "device_id", "action", "record_type", "record_id", "fields", "detail")


def audit(conn: Connection, rows: list[dict]) -> None:
    """Audit rows: user_name, device_id, action, record_type, record_id, fields, detail."""
    at = db.now_ms()
    _executemany(conn, f"INSERT INTO station_audit ({', '.join(AUDIT_COLUMNS)}) VALUES ({_marks(conn, 8)})",
                 [(at, r["user_name"], r.get("device_id"), r["action"], r.get("record_type"), r.get("record_id"),
                   _driver_value(r.get("fields")), _driver_value(r.get("detail"))) for r in rows])


def station_stamp(conn: Connection, after: str | None = None) -> str:
    """A fresh stamp of the station's own device, later than `after`; persists the station clock."""
    hlc = clock.HybridClock(int(db.get_setting(conn, "hlc") or 0))
    if after:
        hlc.observe(clock.stamp_hlc(after), max_drift_ms=1 << 62)
    now = hlc.now()
    db.set_setting(conn, "hlc", str(now))
    return clock.stamp(now, db.get_setting(conn, "device_id"))


def device_users(conn: Connection, stamps) -> dict[str, str]:
    """device id -> user name for the authors of these stamps (the station is 'station')."""
    ids = {stamp_device(s) for s in stamps if s}
    found = {}
    for part in chunks(sorted(ids)):
        found.update(conn.execute(select(tables.device.c.id, tables.device.c.user_name)
                                  .where(tables.device.c.id.in_(part))).all())
    station = db.get_setting(conn, "device_id")
    found[station] = "station"
    return found
