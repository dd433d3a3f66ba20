"""Local store: bulk write rate next to raw executemany, single-save latency, search latency."""
from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from desktop.store import open_store

from .common import GRID, Figure, households, percentiles, raw_executemany_rate, residents

SEARCH_RESIDENTS = 200_000


def bulk_writes(folder: Path, rng: random.Random, n: int = 20_000) -> list[Figure]:
    store = open_store(folder / "store")
    store.put("grid", {"code": GRID, "name": "第三网格", "level": "grid"})
    homes = store.put_many("household", households(max(n // 4, 1), rng))
    rows = residents(n, homes, rng)
    started = time.perf_counter()
    store.put_many("person", rows)
    rate = n / (time.perf_counter() - started)
    raw = raw_executemany_rate(residents(n, homes, rng), folder / "raw.sqlite3")
    samples = []
    for i in range(300):
        values = {"id": homes[i % len(homes)], "phone": f"139{rng.randint(0, 99999999):08d}"}
        started = time.perf_counter()
        store.put("household", values)
        samples.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentiles(samples)
    store.engine.dispose()
    return [Figure("local bulk write (residents + change log + search index)", rate, "records/s",
                   f"raw executemany {raw:,.0f} rows/s", rate / raw, "≥ 0.30 of raw", rate / raw >= 0.30),
            Figure("interactive single save p95", p95, "ms", f"p50 {p50:.2f} ms", None, "< 5 ms", p95 < 5)]


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
        "pinyin initials": ["".join(__import__("pypinyin").lazy_pinyin(p["name"], style=__import__("pypinyin").Style.FIRST_LETTER))
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
