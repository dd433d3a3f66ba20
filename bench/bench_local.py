"""Local store: bulk write rate next to raw executemany, single-save latency, search latency."""
from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

import orjson
import pypinyin

from desktop.store import open_store

from .common import GRID, Figure, households, percentiles, raw_executemany_rate, residents

SEARCH_RESIDENTS = 200_000


def bulk_writes(folder: Path, rng: random.Random, n: int = 20_000) -> list[Figure]:
    """A bulk import of `n` residents as the import pipeline does it: each row validated once
    (clean_record, timed), then put_many(cleaned=True): records, change log, search terms.

    Reference, same run: raw sqlite3 executemany of the same stored rows (every column, the
    field stamps included) into a record table and of their change-log rows into a log
    table, UUID keys, WAL, synchronous=NORMAL, no secondary index. The search index is extra
    work the store does and the reference does not."""
    from sync.validation import clean_record

    store = open_store(folder / "store")
    store.put("grid", {"code": GRID, "name": "第三网格", "level": "grid"})
    homes = store.put_many("household", households(max(n // 4, 1), rng))
    rows = residents(n, homes, rng)
    grids = {GRID}.__contains__
    started = time.perf_counter()
    cleaned = [clean_record("person", r, grids) for r in rows]
    validated = time.perf_counter()
    store.put_many("person", cleaned, cleaned=True)
    finished = time.perf_counter()
    rate, write_rate = n / (finished - started), n / (finished - validated)
    stored = store.list("person", limit=n)
    log = [{"seq": i + 1, "device_id": store.device_id, "record_type": "person", "record_id": r["id"], "op": "put",
            "fields": orjson.dumps({k: v for k, v in r.items() if k not in ("clocks", "deleted")}).decode(),
            "base": "{}", "hlc": i, "state": "pending"} for i, r in enumerate(stored)]
    for r in stored:
        r["clocks"], r["tags"] = orjson.dumps(r["clocks"]).decode(), orjson.dumps(r["tags"]).decode()
    seconds = len(stored) / raw_executemany_rate(stored, folder / "raw.sqlite3")
    seconds += len(log) / raw_executemany_rate(log, folder / "raw-log.sqlite3")
    raw = len(stored) / seconds
    samples = []
    for i in range(300):
        values = {"id": homes[i % len(homes)], "phone": f"139{rng.randint(0, 99999999):08d}"}
        started = time.perf_counter()
        store.put("household", values)
        samples.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentiles(samples)
    store.engine.dispose()
    floor = store_rows_rate(store.path, folder / "floor")
    reference = f"the store's own rows written raw (below): {floor:,.0f} records/s"
    return [Figure("local bulk import (validate once + records + change log + search index)", rate, "records/s",
                   reference, rate / floor, "≥ 0.5 of the rows written raw", rate / floor >= 0.5),
            Figure("local bulk write of validated rows (put_many cleaned=True)", write_rate, "records/s",
                   reference, write_rate / floor, "≥ 0.5 of the rows written raw", write_rate / floor >= 0.5),
            Figure("the store's own rows for those records (record, change log, search terms, name order, grid "
                   "counts) by raw executemany into its schema", floor, "records/s",
                   f"raw executemany of the records and change-log rows alone, no index: {raw:,.0f} records/s",
                   floor / raw, "", None),
            Figure("interactive single save p95", p95, "ms", f"p50 {p50:.2f} ms", None, "< 5 ms", p95 < 5)]


def store_rows_rate(source: Path, folder: Path) -> float:
    """Records/s for raw sqlite3 executemany of the rows a bulk import of residents wrote — the person
    rows, their change-log rows, search terms and name-order keys — into a fresh store (its indexes, FTS5
    tables and the triggers that keep each resident's grid and the counts per grid),
    in one transaction: the database's own share of a bulk write, with no Python work around it.
    Both files are encrypted (SQLCipher), as the store's are: the cipher is part of the floor."""
    from desktop.store import engine, keys

    reader = engine.connect(source, keys.opened(source.parent))
    cursor = reader.execute("SELECT rowid AS rowid_, * FROM person ORDER BY rowid")
    columns = ["rowid" if d[0] == "rowid_" else f'"{d[0]}"' for d in cursor.description]
    people = cursor.fetchall()
    homes = reader.execute("SELECT * FROM household").fetchall()
    log = reader.execute("SELECT * FROM change_log WHERE record_type = 'person' ORDER BY seq").fetchall()
    terms = reader.execute("SELECT rowid, terms FROM person_fts ORDER BY rowid").fetchall()
    keys = reader.execute("SELECT id, key FROM person_name_order ORDER BY id").fetchall()
    reader.close()
    target = open_store(folder)
    path, key = target.path, target.key
    target.engine.dispose()
    conn = engine.connect(path, key)
    conn.execute("PRAGMA synchronous=NORMAL")
    # the households are there already, as they were for the import: residents take their grid and counts
    conn.executemany(f"INSERT INTO household VALUES ({', '.join('?' * len(homes[0]))})", homes)
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO person ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", people)
    conn.executemany(f"INSERT INTO change_log VALUES ({', '.join('?' * len(log[0]))})", log)
    conn.executemany("INSERT INTO person_fts (rowid, terms) VALUES (?, ?)", terms)
    conn.executemany("INSERT INTO person_name_order (id, key) VALUES (?, ?)", keys)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return len(people) / elapsed


VILLAGES, GRIDS_PER_VILLAGE = 20, 3


def village_code(v: int) -> str:
    return f"420704100{201 + v:03d}"


def search_latency(folder: Path, rng: random.Random, n: int = SEARCH_RESIDENTS) -> list[Figure]:
    """Search, and one village's page, count and the dashboard, over `n` residents in 20 villages."""
    store = open_store(folder / "search")
    per_village = n // VILLAGES
    people = []
    for v in range(VILLAGES):
        code = village_code(v)
        store.put("grid", {"code": code, "name": f"第{v + 1}村", "level": "village"})
        homes = []
        for g in range(GRIDS_PER_VILLAGE):
            grid = f"{code}-{g + 1:02d}"
            store.put("grid", {"code": grid, "name": f"第{v + 1}村第{g + 1}网格", "level": "grid", "parent_code": code})
            homes += store.put_many("household", households(per_village // 3 // GRIDS_PER_VILLAGE, rng, grid))
        batch = residents(per_village, homes, rng)
        for person in batch[::7]:
            person["tags"] = ["独居老人"]
        store.put_many("person", batch)
        people += batch
    probe = rng.sample(people, 200)
    queries = {
        "name": [p["name"] for p in probe],
        "pinyin initials": ["".join(pypinyin.lazy_pinyin(p["name"], style=pypinyin.Style.FIRST_LETTER))
                            for p in probe],
        "ID suffix (6)": [p["id_number"][-6:] for p in probe],
        "phone": [p["phone"] for p in probe],
    }
    figures = []
    for label, texts in queries.items():
        samples = []
        for text in texts:
            started = time.perf_counter()
            store.search(text, limit=50)
            samples.append((time.perf_counter() - started) * 1000)
        p50, p95 = percentiles(samples)
        figures.append(Figure(f"search over {n:,} residents: {label}, p95", p95, "ms", f"p50 {p50:.2f} ms",
                              None, "p95 ≤ 30 ms", p95 <= 30))
    figures += village_queries(store, n)
    store.engine.dispose()
    return figures


def _median_ms(call, times: int = 9) -> float:
    call()                                   # the first read warms the page cache: the others are what a user sees
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def village_queries(store, n: int) -> list[Figure]:
    """One village among twenty: its residents' first page and count, and the dashboard (desktop.store.queries)."""
    from desktop.store import queries

    village = queries.Filter(grid=village_code(7))
    everyone = queries.Filter()
    count = _median_ms(lambda: queries.count(store, "person", village))
    count_all = _median_ms(lambda: queries.count(store, "person", everyone))
    page = _median_ms(lambda: queries.page(store, "person", village))
    page_all = _median_ms(lambda: queries.page(store, "person", everyone))
    by_name = _median_ms(lambda: queries.page(store, "person", village, order_by="name"))
    by_name_all = _median_ms(lambda: queries.page(store, "person", everyone, order_by="name"))
    dashboard = _median_ms(lambda: queries.dashboard_counts(store, None, "2026-01-01"))
    one = _median_ms(lambda: queries.dashboard_counts(store, village_code(7), "2026-01-01"))
    size = f"{n // VILLAGES:,} of {n:,} residents"
    return [
        Figure(f"one village's residents ({size}): count, median", count, "ms",
               f"every resident counted: {count_all:.1f} ms", None, "< 50 ms", count < 50),
        Figure(f"one village's residents ({size}): first page of 200, median", page, "ms",
               f"the first page of everyone: {page_all:.1f} ms", None, "< 50 ms", page < 50),
        Figure(f"one village's residents ({size}): first page of 200 by name, median", by_name, "ms",
               f"everyone by name: {by_name_all:.1f} ms", None, "< 50 ms", by_name < 50),
        Figure(f"dashboard counts over all {VILLAGES * GRIDS_PER_VILLAGE} grids ({n:,} residents), median", dashboard,
               "ms", f"one village's: {one:.1f} ms", None, "< 50 ms", dashboard < 50),
    ]


def run(quick: bool = False) -> list[Figure]:
    rng = random.Random(20261121)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        figures = bulk_writes(folder, rng, 5_000 if quick else 20_000)
        figures += search_latency(folder, rng, 20_000 if quick else SEARCH_RESIDENTS)
    return figures
