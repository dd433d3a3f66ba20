"""The bulk write path (imports, demo data): validate once, then one executemany per table.

Records, change-log entries and search terms go straight to the driver: SQLAlchemy's
per-row parameter processing cost more than SQLite itself here (target: a bulk import
at ≥ 0.30 of raw executemany of the same rows, bench/bench_local.py).
"""
from __future__ import annotations

import orjson
from sqlalchemy import Connection, text

from sync import clock, records
from sync.driver_rows import DriverRows
from sync.ids import new_id
from sync.validation import FieldError, ValidationError, clean_record

from . import places, search
from .schema import change_log

LOG_COLUMNS = ("device_id", "record_type", "record_id", "op", "fields", "base", "hlc", "state")


def cleaned_rows(conn: Connection, record_type: str, rows: list[dict]) -> list[dict]:
    """clean_record on every row, with a key for each; every error at once (with its row) or none."""
    key = records.key_field(record_type)
    grids = {c for (c,) in conn.execute(text("SELECT code FROM grid WHERE NOT deleted"))}
    cleaned: list[dict] = []
    errors: list[FieldError] = []
    for index, values in enumerate(rows):
        if key == "id" and not values.get("id"):
            values = {**values, "id": new_id()}
        try:
            cleaned.append(clean_record(record_type, values, grids.__contains__))
        except ValidationError as exc:
            errors.extend(FieldError(e.field, e.code, {**e.params, "row": index}) for e in exc.errors)
        if record_type == "grid" and cleaned:
            grids.add(cleaned[-1]["code"])
    if errors:
        raise ValidationError(errors)
    return cleaned


def insert_sql(table: str, names: list[str]) -> str:
    # OR ROLLBACK: a failing row ends the whole transaction (an import, a pulled page: all or nothing), so
    # SQLite keeps no statement journal per row, and the FTS5 tables written earlier in the
    # transaction are not flushed to disk at each row's statement savepoint.
    return f'INSERT OR ROLLBACK INTO "{table}" ({", ".join(f"{chr(34)}{n}{chr(34)}" for n in names)}) ' \
           f'VALUES ({", ".join("?" * len(names))})'


def insert_logged(store, conn: Connection, record_type: str, cleaned: list[dict]) -> None:
    """Insert new records with their field stamps, one change-log entry each, and their search terms."""
    table = records.record_table(record_type)
    key = records.key_field(record_type)
    encoder = DriverRows(table)
    store._advance_clock(conn)             # another process on this folder may have moved it on
    device, now, dumps = store.device_id, store.clock.now, orjson.dumps
    record_rows, log_rows, by_id = [], [], {}
    for values in cleaned:
        hlc = now()
        stamp = clock.stamp(hlc, device)
        changed = {f: v for f, v in values.items() if v is not None and v != []}
        row = {**values, "clocks": dict.fromkeys(changed, stamp), "deleted": False}
        record_rows.append(encoder.row(row))
        log_rows.append((device, record_type, values[key], "put", dumps(changed).decode(), "{}", hlc, "pending"))
        by_id[values[key]] = row
    names, record_rows = places.with_grids(conn, record_type, encoder.names, record_rows, cleaned)
    conn.exec_driver_sql(insert_sql(table.name, names), record_rows)
    conn.exec_driver_sql(insert_sql(change_log.name, list(LOG_COLUMNS)), log_rows)
    store.set_meta(conn, hlc=str(store.clock.last))          # once per batch, not per record
    store._local.logged = True
    if record_type in search.SEARCHED:
        search.reindex_ids(conn, record_type, list(by_id), by_id, fresh=True)
