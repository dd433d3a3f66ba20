"""Local store: bulk write rate next to raw executemany, single-save latency, search latency."""
from __future__ import annotations

import random
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
    reference = f"raw executemany of the same records + change-log rows: {raw:,.0f} records/s"
    return [Figure("local bulk import (validate once + records + change log + search index)", rate, "records/s",
                   reference, rate / raw, "≥ 0.30 of raw", rate / raw >= 0.30),
            Figure("local bulk write of validated rows (put_many cleaned=True)", write_rate, "records/s",
                   reference, write_rate / raw, "", None),
            Figure("the store's own rows for those records (record, change log, search terms, name order) "
                   "by raw executemany into its schema", floor, "records/s",
                   f"{floor / raw:.2f} of raw before any Python work; "
                   f"the bulk write above runs at {write_rate / floor:.2f} of it", floor / raw, "", None),
            Figure("interactive single save p95", p95, "ms", f"p50 {p50:.2f} ms", None, "< 5 ms", p95 < 5)]


def store_rows_rate(source: Path, folder: Path) -> float:
    """Records/s for raw sqlite3 executemany of the rows a bulk import of residents wrote — the person
    rows, their change-log rows, search terms and name-order keys — into a fresh store (its indexes and FTS5 tables),
    in one transaction: the database's own share of a bulk write, with no Python work around it.
    Both files are encrypted (SQLCipher), as the store's are: the cipher is part of the floor."""
    from desktop.store import engine, keys

    reader = engine.connect(source, keys.opened(source.parent))
    cursor = reader.execute("SELECT rowid AS rowid_, * FROM person ORDER BY rowid")
    columns = ["rowid" if d[0] == "rowid_" else f'"{d[0]}"' for d in cursor.description]
    people = cursor.fetchall()
    log = reader.execute("SELECT * FROM change_log WHERE record_type = 'person' ORDER BY seq").fetchall()
    terms = reader.execute("SELECT rowid, terms FROM person_fts ORDER BY rowid").fetchall()
    keys = reader.execute("SELECT id, key FROM person_name_order ORDER BY id").fetchall()
    reader.close()
    target = open_store(folder)
    path, key = target.path, target.key
    target.engine.dispose()
    conn = engine.connect(path, key)
    conn.execute("PRAGMA synchronous=NORMAL")
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


def search_latency(folder: Path, rng: random.Random, n: int = SEARCH_RESIDENTS) -> list[Figure]:
    store = open_store(folder / "search")
    store.put("grid", {"code": GRID, "name": "第三网格", "level": "grid"})
    homes = []
    for _ in range(0, n // 3, 20_000):
        homes += store.put_many("household", households(20_000, rng))
    people = []
    for start in range(0, n, 50_000):
        batch = residents(min(50_000, n - start), homes, rng)
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
    store.engine.dispose()
    return figures


def run(quick: bool = False) -> list[Figure]:
    rng = random.Random(20261121)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        figures = bulk_writes(folder, rng, 5_000 if quick else 20_000)
        figures += search_latency(folder, rng, 20_000 if quick else SEARCH_RESIDENTS)
    return figures
