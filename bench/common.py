"""What every benchmark shares: generated village data, timing, the results table."""
from __future__ import annotations

import datetime as dt
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sync.ids import new_id
from sync.validation import id_check_char

RESULTS = Path(__file__).with_name("RESULTS.md")
# The data folders benchmarks make are encrypted like any other: unlocked by this passphrase
# (argon2id at its real cost, once per folder, outside every timed section).
os.environ.setdefault("GRIDBOOK_PASSPHRASE", "bench recovery passphrase")
GRID = "420704100201-03"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅文斌宇浩凯鹏飞欣怡子轩梓涵雨萱"


@dataclass
class Figure:
    benchmark: str
    value: float
    unit: str
    reference: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


def id_number(rng: random.Random) -> str:
    first17 = "420704" + f"{rng.randint(1930, 2020)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" \
        + f"{rng.randint(0, 999):03d}"
    return first17 + id_check_char(first17)


def phone(rng: random.Random) -> str:
    """A mobile number in a range that exists (13x, 15x but 154, 18x, 19x but 194)."""
    return f"1{rng.choice(('35', '38', '39', '58', '59', '86', '88', '89', '98'))}{rng.randint(0, 99999999):08d}"


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def households(n: int, rng: random.Random, grid: str = GRID) -> list[dict]:
    return [{"id": new_id(), "grid_code": grid, "address": f"幸福村{rng.randint(1, 12)}组{i}号",
             "head_name": name(rng), "head_id_number": id_number(rng),
             "phone": phone(rng)} for i in range(n)]


def residents(n: int, household_ids: list[str], rng: random.Random) -> list[dict]:
    return [{"id": new_id(), "household_id": household_ids[i % len(household_ids)], "name": name(rng),
             "id_number": id_number(rng), "phone": phone(rng),
             "residence": rng.choice(("registered", "registered", "floating", "left"))} for i in range(n)]


def push_body(device: str, rng: random.Random, size: int, first_seq: int, hlc) -> bytes:
    """One encoded push batch of `size` new records (a third households, the rest their residents),
    numbered from `first_seq`, stamped by the HybridClock `hlc`: what a laptop sends."""
    from sync import protocol

    homes = households(max(size * 3 // 10, 1), rng)
    people = residents(size - len(homes), [h["id"] for h in homes], rng)
    changes = [{"seq": first_seq + n, "type": record_type, "id": row["id"], "op": "put", "hlc": hlc.now(),
                "f": row, "b": {}}
               for n, (record_type, row) in enumerate([("household", h) for h in homes] +
                                                      [("person", p) for p in people])]
    return protocol.encode({"device": device, "first": first_seq, "last": first_seq + len(changes) - 1,
                            "changes": changes})


def raw_executemany_rate(rows: list[dict], path: Path) -> float:
    """Rows/s for plain sqlite3 executemany of the same rows: UUID keys, WAL, synchronous=NORMAL."""
    columns = list(rows[0])
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(f"CREATE TABLE t ({', '.join(c + (' TEXT PRIMARY KEY' if c == 'id' else '') for c in columns)})")
    values = [tuple(r[c] for c in columns) for r in rows]
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(f"INSERT INTO t VALUES ({', '.join('?' * len(columns))})", values)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return len(rows) / elapsed


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    ordered = sorted(samples_ms)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def versions() -> str:
    import fastapi
    import sqlalchemy
    import sqlcipher3.dbapi2 as sqlcipher

    conn = sqlcipher.connect(":memory:")
    cipher = conn.execute("PRAGMA cipher_version").fetchone()[0]
    conn.close()
    # the station's SQLite is the stdlib's; the laptop's store is SQLCipher's own SQLite
    return (f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version} (station), SQLCipher {cipher} on "
            f"SQLite {sqlcipher.sqlite_version} (laptop store), SQLAlchemy {sqlalchemy.__version__}, "
            f"FastAPI {fastapi.__version__}")


def commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              cwd=Path(__file__).parent, timeout=10).stdout.strip()
    except OSError:
        return "?"


def table(figures: list[Figure]) -> str:
    lines = ["| benchmark | figure | reference (same run) | ratio | target | met |", "|---|---|---|---|---|---|"]
    for f in figures:
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else ""
        met = {True: "yes", False: "**no**", None: ""}[f.met]
        lines.append(f"| {f.benchmark} | {f.value:,.1f} {f.unit} | {f.reference} | {ratio} | {f.target} | {met} |")
    return "\n".join(lines)


def reference_loop() -> float:
    """Seconds for a fixed pure-Python loop, best of three. This machine's speed moves by a third or
    more within minutes (other guests on its host): the loop before and after a run says which phase
    the run's figures were taken in."""
    best = float("inf")
    for _ in range(3):
        started, total = time.perf_counter(), 0
        for i in range(5_000_000):
            total += i
        best = min(best, time.perf_counter() - started)
    return best


def record(figures: list[Figure], command: str, loops: tuple[float, float] | None = None) -> str:
    """Print the table and append it, with machine, versions, command and date, to RESULTS.md;
    `loops`: reference_loop() before and after the run."""
    stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    speed = (f"\n\nThe machine's speed: the reference loop (bench.common.reference_loop) took {loops[0]:.2f} s "
             f"before the run and {loops[1]:.2f} s after it.") if loops else ""
    block = (f"\n## {stamp} — `{command}` at {commit()}\n\n{machine()}; {versions()}{speed}\n\n{table(figures)}\n")
    if not RESULTS.exists():
        RESULTS.write_text("# Benchmark results\n\nNewest last. Each figure was measured next to its reference in "
                           "the same run (`make bench`), so ratios survive a noisy machine.\n", encoding="utf-8")
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(block)
    print(block, file=sys.stdout)
    return block
