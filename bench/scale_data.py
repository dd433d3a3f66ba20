"""A station at N townships, written raw into its schema (not through the protocol), for the scale curve.

A township holds VILLAGES villages of GRIDS_PER_VILLAGE grids; a village holds 1,000 households,
3,500 residents, 60 cases with their steps and 40 patrols (~4,700 records; 64 townships ~3 M).
Pushing 3 M records through the station would take the bench most of an hour, so the rows
are written the way the station writes them — record rows with their field stamps,
record_version, one push audit row per batch of 500, one fingerprint per change — straight
into the migrated schema: sqlite3 executemany, or COPY on PostgreSQL.

The villages' records take station sequences round robin, 100 at a time, as if every
village's laptop had pushed at once: a village's records are spread over the whole sequence
range, as they are on a station that has run for a while.
"""
from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

import orjson

from sync import clock, records

from .common import id_number, name, phone

COUNTY = "420704"
VILLAGES = 10
GRIDS_PER_VILLAGE = 2
HOUSEHOLDS, RESIDENTS, CASES, PATROLS = 1_000, 3_500, 60, 40
ROUND = 100                      # records per village per round of sequence numbers
AUDIT_BATCH = 500                # changes per push audit row (as the station writes them)
REPORT_MONTH = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))   # the report period of the curve
MEASURED_VILLAGE = "420704100201"   # first village of the first township: the one that pulls


def township_code(t: int) -> str:
    return f"{COUNTY}{100 + t:03d}"


def village_code(t: int, v: int) -> str:
    return f"{township_code(t)}{201 + v:03d}"


def _indices(townships: int | range) -> range:
    """The townships of a station: the first N, or the given range (one township's own station: range(t, t + 1))."""
    return range(townships) if isinstance(townships, int) else townships


def grid_rows(townships: int | range) -> list[dict]:
    out = [{"code": "420700", "name": "鄂州市", "level": "city", "parent_code": None},
           {"code": COUNTY, "name": "鄂城区", "level": "county", "parent_code": "420700"}]
    for t in _indices(townships):
        out.append({"code": township_code(t), "name": f"第{t + 1}镇", "level": "township", "parent_code": COUNTY})
        for v in range(VILLAGES):
            code = village_code(t, v)
            out.append({"code": code, "name": f"第{t + 1}镇{v + 1}村", "level": "village",
                        "parent_code": township_code(t)})
            out += [{"code": f"{code}-{g + 1:02d}", "name": f"{v + 1}村第{g + 1}网格", "level": "grid",
                     "parent_code": code} for g in range(GRIDS_PER_VILLAGE)]
    return out


@dataclass
class VillageTemplate:
    """One village's records as field dicts, made once; other villages copy them with their own ids."""
    rows: list[tuple[str, dict]]          # (record type, fields) in creation order


def template(rng: random.Random) -> VillageTemplate:
    rows: list[tuple[str, dict]] = []
    homes = []
    for i in range(HOUSEHOLDS):
        home = {"grid_code": f"-{i % GRIDS_PER_VILLAGE + 1:02d}", "address": f"幸福村{rng.randint(1, 12)}组{i}号",
                "head_name": name(rng), "head_id_number": id_number(rng),
                "phone": phone(rng), "tags": []}
        homes.append(home)
        rows.append(("household", home))
    for i in range(RESIDENTS):
        number = id_number(rng)
        rows.append(("person", {"household_id": i % HOUSEHOLDS, "name": name(rng), "id_number": number,
                                "gender": "male" if int(number[16]) % 2 else "female",
                                "birth_date": f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
                                "phone": phone(rng),
                                "residence": rng.choice(("registered", "registered", "floating", "left")),
                                "tags": []}))
    start = dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    for i in range(CASES):
        at = (start + dt.timedelta(days=rng.randint(0, 150), minutes=rng.randint(0, 600))).isoformat()
        grid = f"-{i % GRIDS_PER_VILLAGE + 1:02d}"
        rows.append(("incident", {"case": i, "grid_code": grid, "category": "dispute", "title": f"邻里纠纷{i}",
                                  "reported_at": at, "reported_by": "worker", "status": "reported",
                                  "level": "village"}))
        rows.append(("incident_event", {"incident_id": i, "grid_code": grid, "step": "report", "actor": "worker",
                                        "actor_level": "village", "at": at, "prior": []}))
        if i % 2:          # settled: handled, fed back, closed (the station refuses a close straight after a report)
            for days, step in enumerate(("handle", "feedback", "close"), start=1):
                when = (dt.datetime.fromisoformat(at) + dt.timedelta(days=days)).isoformat()
                rows.append(("incident_event", {"incident_id": i, "grid_code": grid, "step": step, "actor": "worker",
                                                "actor_level": "village", "at": when, "prior": []}))
    for i in range(PATROLS):
        began = start + dt.timedelta(days=rng.randint(0, 150), hours=rng.randint(0, 8))
        ended = began + dt.timedelta(hours=3)
        rows.append(("patrol", {"grid_code": f"-{i % GRIDS_PER_VILLAGE + 1:02d}", "worker": "worker",
                                "started_at": began.isoformat(), "ended_at": ended.isoformat()}))
    return VillageTemplate(rows)


def _fake_id(village: int, n: int) -> str:
    """A UUIDv7-shaped id, time-ordered within the village (as ids made on one laptop are)."""
    return f"0190{village:04x}-{n >> 16 & 0xFFFF:04x}-7{n >> 4 & 0xFFF:03x}-8{n & 0xF:x}00-{village:06x}{n:06x}"


def village_records(tmpl: VillageTemplate, village_index: int, code: str, device: str,
                    hlc: int) -> list[tuple[str, str, tuple, list[str]]]:
    """The template's records for one village, own ids and grid codes, one device's stamp:
    (record type, id, driver row in column order, field names)."""
    from sync.station.writer import _value_plan

    home_ids: list[str] = []
    case_ids: dict[int, str] = {}
    steps_before: dict[int, list[str]] = {}
    stamp = clock.stamp(hlc, device)
    clocks_text: dict[tuple, str] = {}
    out = []
    for n, (record_type, fields) in enumerate(tmpl.rows):
        row = dict(fields)
        key = _fake_id(village_index, n)
        row["id"] = key
        if "grid_code" in row:
            row["grid_code"] = code + row["grid_code"]
        if record_type == "household":
            home_ids.append(key)
        elif record_type == "person":
            row["household_id"] = home_ids[row["household_id"]]
        elif record_type == "incident":
            case_ids[row.pop("case")] = key
        elif record_type == "incident_event":
            case = row["incident_id"]
            row["incident_id"] = case_ids[case]
            row["prior"] = list(steps_before.get(case, ()))      # a step names the history its author had
            steps_before.setdefault(case, []).append(key)
        names = tuple(row)
        if (record_type, names) not in clocks_text:
            clocks_text[(record_type, names)] = orjson.dumps(dict.fromkeys(names, stamp)).decode()
        row["clocks"], row["deleted"] = clocks_text[(record_type, names)], False
        values = tuple(orjson.dumps(row[c]).decode() if is_json and c != "clocks" else row.get(c, fallback)
                       for c, _nullable, fallback, is_json in _value_plan(record_type)[0])
        out.append((record_type, key, values, sorted(names)))
    return out


def sequenced(townships: int | range, tmpl: VillageTemplate) -> Iterator[tuple]:
    """(record type, id, driver row, fields, grid code of its version, device) in station-sequence order,
    round robin."""
    from sync.station.writer import _value_plan

    villages = [(t * VILLAGES + v, village_code(t, v)) for t in _indices(townships) for v in range(VILLAGES)]
    devices = {index: f"{index:08x}-0000-7000-8000-00000000d3v1" for index, _ in villages}
    base_hlc = clock.HybridClock().now()
    streams = []
    grid_at = {t: [s[0] for s in _value_plan(t)[0]].index(
        "household_id" if t == "person" else "grid_code") for t in ("household", "person", "incident",
                                                                   "incident_event", "patrol")}
    for index, code in villages:
        rows = village_records(tmpl, index, code, devices[index], base_hlc)
        homes = {key: values[grid_at["household"]] for t, key, values, _f in rows if t == "household"}
        streams.append([(t, key, values, names, homes[values[grid_at[t]]] if t == "person" else values[grid_at[t]],
                         devices[index]) for t, key, values, names in rows])
    length = len(streams[0])
    for start in range(0, length, ROUND):
        for stream in streams:
            yield from stream[start:start + ROUND]


def station_rows(townships: int | range, rng: random.Random, after_seq: int) -> Iterator[tuple[str, tuple]]:
    """(table, driver row) for every row the station would hold, in the order to write them."""
    tmpl = template(rng)
    seq = after_seq
    audit: list = []
    per_device: dict[str, int] = {}
    for record_type, key, values, names, grid, device in sequenced(townships, tmpl):
        seq += 1
        yield record_type, values
        yield "record_version", (record_type, key, seq, grid)
        device_seq = per_device[device] = per_device.get(device, 0) + 1
        yield "station_device_change", (device, device_seq, seq)
        audit.append((device_seq, record_type, key, names))
        if len(audit) == AUDIT_BATCH:
            yield "station_audit", _audit_row(device, audit)
            audit = []
    if audit:
        yield "station_audit", _audit_row("", audit)
    for device, acked in per_device.items():     # each village's laptop, registered as a pushing laptop is
        yield "station_device", (device, "village", "bench laptop", acked, False, 0)
    yield "station_counter", (seq,)


def _audit_row(device: str, changes: list) -> tuple:
    detail = orjson.dumps({"changes": [[s, t, i, f] for s, t, i, f in changes]}).decode()
    return (0, "bench", device, "push", None, None, None, detail)


def table_columns(table: str) -> list[str]:
    if table in records.RECORD_TYPES:
        from sync.station.writer import _value_plan
        return [step[0] for step in _value_plan(table)[0]]
    return {"record_version": ["record_type", "record_id", "seq", "grid_code"],
            "station_device": ["id", "user_name", "name", "acked", "revoked", "registered_ms"],
            "station_device_change": ["device_id", "seq", "digest"],
            "station_audit": ["at_ms", "user_name", "device_id", "action", "record_type", "record_id", "fields",
                              "detail"]}[table]


def build(url: str, townships: int | range, seed: int = 20261201, chunk: int = 20_000) -> dict:
    """Make a station database at `url` holding `townships` townships (the first N, or a range of
    them); {"records", "seconds"}. The same seed gives every township the same village template."""
    import time

    from sync.station import admin, db

    started = time.perf_counter()
    engine = db.make_engine(url)
    db.migrate(engine)
    with engine.begin() as conn:
        admin.import_grids(conn, "bench", grid_rows(townships))
        admin.add_user(conn, "bench", "village", "worker", [MEASURED_VILLAGE], PASSWORD)
        admin.add_user(conn, "bench", "county", "county", [COUNTY], PASSWORD)
        after = db.next_seqs(conn, 0) - 1
    rows = station_rows(townships, random.Random(seed), after)
    count = counter = 0
    raw = engine.raw_connection()
    try:
        indexes = _drop_indexes(raw, url.startswith("sqlite"))
        write = _sqlite_writer(raw) if url.startswith("sqlite") else _copy_writer(raw)
        pending: dict[str, list] = {}
        for n, (table, values) in enumerate(rows):
            if table == "station_counter":
                counter = values[0]
                continue
            count += table in records.RECORD_TYPES
            pending.setdefault(table, []).append(values)
            if n % chunk == chunk - 1:
                write(pending)
                pending = {}
        write(pending)
        cursor = raw.cursor()
        for statement in indexes:          # built once over the loaded rows: far faster than row by row
            cursor.execute(statement)
        cursor.execute(f"UPDATE station_counter SET seq = {counter} WHERE id = 1")
        raw.commit()
    finally:
        raw.close()
    engine.dispose()
    return {"records": count, "seconds": time.perf_counter() - started}


PASSWORD = "bench-secret-1"


def _sqlite_writer(raw):
    cursor = raw.cursor()

    def write(pending: dict[str, list]) -> None:
        cursor.execute("BEGIN")
        for table in _ordered(pending):
            columns = table_columns(table)
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                               pending[table])
        cursor.execute("COMMIT")
    return write


def _copy_writer(raw):
    cursor = raw.cursor()

    def write(pending: dict[str, list]) -> None:
        for table in _ordered(pending):
            with cursor.copy(f"COPY {table} ({', '.join(table_columns(table))}) FROM STDIN") as copy:
                for values in pending[table]:
                    copy.write_row(values)
        raw.commit()
    return write


LOADED = (*records.RECORD_TYPES, "record_version", "station_device_change", "station_audit")


def _drop_indexes(raw, sqlite: bool) -> list[str]:
    """Drop the secondary indexes of the loaded tables; return the statements that make them again."""
    cursor = raw.cursor()
    names = ", ".join(f"'{t}'" for t in LOADED)
    if sqlite:
        found = cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                               f"AND tbl_name IN ({names})").fetchall()
    else:
        cursor.execute(f"SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ({names}) "
                       "AND indexname NOT LIKE '%_pkey'")
        found = cursor.fetchall()
    for index, _sql in found:
        cursor.execute(f'DROP INDEX "{index}"')
    raw.commit()
    return [sql for _name, sql in found]


def _ordered(pending: dict[str, list]) -> list[str]:
    return [t for t in (*records.RECORD_TYPES, "record_version", "station_device_change", "station_audit",
                        "station_device") if pending.get(t)]
