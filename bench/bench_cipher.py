"""What encryption costs: the same saves, searches and bulk write on the encrypted store and on a plain copy.

One process, the same rows, the two stores taking turns in small rounds, so a shared and
noisy machine slows both alike; CPU time per operation (process_time) is shown beside the
wall time, as it hardly moves with the load of other programs. The plain store is the
same file decrypted (sqlcipher_export) and opened through the stdlib sqlite3, with the
same pragmas: exactly what the program did before the data file was encrypted.
"""
from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from desktop.store import engine as store_engine
from desktop.store import open_store
from desktop.store.repository import Store
from sync.sqlite_engine import sqlite_engine

from .common import GRID, Figure, households, percentiles, residents

ROUNDS = 6


def plain_store(path: Path) -> Store:
    """The store on a plain SQLite file: the same engine settings, the standard library's sqlite3."""
    engine = sqlite_engine(f"sqlite:///{path}", store_engine.SQLITE_PRAGMAS, hide_parameters=True)
    return Store(engine, path)


def decrypted_copy(store: Store, target: Path) -> Path:
    conn = store_engine.connect(store.path, store.key)
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(target),))
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute("DETACH DATABASE plain")
    conn.close()
    return target


def timed(fn, samples: dict, label: str) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    samples.setdefault(label, []).append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))


def figures_of(samples: dict, what: str, target: str = "", limit: float | None = None) -> list[Figure]:
    out = []
    for label in ("encrypted", "plain"):
        walls, cpus = [s[0] for s in samples[label]], [s[1] for s in samples[label]]
        p50, p95 = percentiles(walls)
        cpu50, _cpu95 = percentiles(cpus)
        met = (p95 < limit) if (limit is not None and label == "encrypted") else None
        out.append(Figure(f"{what}, {label} store, p95", p95, "ms", f"p50 {p50:.2f} ms, CPU p50 {cpu50:.2f} ms", None,
                          target if label == "encrypted" else "", met))
    cpu_ratio = percentiles([s[1] for s in samples["encrypted"]])[0] / max(
        percentiles([s[1] for s in samples["plain"]])[0], 1e-9)
    out[0].ratio = cpu_ratio
    out[0].reference += f" ({cpu_ratio:.2f}× the plain store's CPU)"
    return out


def run(quick: bool = False) -> list[Figure]:
    n = 20_000 if quick else 200_000
    rng = random.Random(20261201)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        encrypted = open_store(folder / "encrypted")
        encrypted.put("grid", {"code": GRID, "name": "第三网格", "level": "grid"})
        homes = []
        for _ in range(0, n // 3, 20_000):
            homes += encrypted.put_many("household", households(20_000, rng))
        people = []
        for start in range(0, n, 50_000):
            batch = residents(min(50_000, n - start), homes, rng)
            encrypted.put_many("person", batch)
            people += batch
        (folder / "plain").mkdir()
        plain = plain_store(decrypted_copy(encrypted, folder / "plain" / "gridbook.sqlite3"))
        stores = {"encrypted": encrypted, "plain": plain}
        saves, searches, bulk = {}, {}, {}
        probe = rng.sample(people, 40 * ROUNDS)
        for round_ in range(ROUNDS):
            for label, store in (stores.items() if round_ % 2 == 0 else reversed(stores.items())):
                for i in range(50):
                    values = {"id": homes[(round_ * 50 + i) % len(homes)],
                              "phone": f"139{rng.randint(0, 99999999):08d}"}
                    timed(lambda s=store, v=values: s.put("household", v), saves, label)
                for person in probe[round_ * 40:(round_ + 1) * 40]:
                    timed(lambda s=store, p=person: s.search(p["name"], limit=50), searches, label)
                rows = residents(1_000, homes[:200], random.Random(round_))
                timed(lambda s=store, r=rows: s.put_many("person", r), bulk, label)
        encrypted.engine.dispose()
        plain.engine.dispose()
    return (figures_of(saves, "single save (cost of encryption)", "< 5 ms", 5)
            + figures_of(searches, f"search by name over {n:,} residents (cost of encryption)", "p95 ≤ 30 ms", 30)
            + figures_of(bulk, "bulk write of 1,000 residents, put_many (cost of encryption)"))
