"""Import: a 10,000-resident village register (.xlsx, 户号 groups) read, checked and written."""
from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from desktop.services import importing
from desktop.store import open_store

from .common import GRID, Figure, id_number, name

HEADERS = ["序号", "户号", "姓名", "与户主关系", "公民身份号码", "联系电话", "现住址", "人口类型", "重点人群"]


def register(path: Path, n: int, rng: random.Random) -> Path:
    """A resident list with a title row: households of 1-6 people, the head first."""
    book = Workbook()             # a normal workbook, like Excel's: shared strings, a dimension
    sheet = book.active
    sheet.append(["幸福村第三网格 人口信息登记表"])
    sheet.append(HEADERS)
    row, household = 0, 0
    while row < n:
        household += 1
        for member in range(min(rng.randint(1, 6), n - row)):
            row += 1
            sheet.append([row, f"H{household:05d}", name(rng), "户主" if member == 0 else rng.choice("妻子女孙"),
                          id_number(rng), f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
                          f"幸福村{rng.randint(1, 12)}组{household}号", rng.choice(("户籍", "户籍", "流动", "外出")),
                          rng.choice((None, None, None, "低保", "独居老人", "残疾人"))])
    book.save(path)
    return path


def run(quick: bool = False) -> list[Figure]:
    n = 1_000 if quick else 10_000
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        store = open_store(folder / "store")
        store.put("grid", {"code": GRID[:12], "name": "幸福村", "level": "village"})
        store.put("grid", {"code": GRID, "name": "第三网格", "level": "grid", "parent_code": GRID[:12]})
        path = register(folder / "register.xlsx", n, rng)
        started = time.perf_counter()
        table = importing.read_table(path)
        read = time.perf_counter() - started
        plan = importing.analyse(store, table, "person", GRID, importing.guess_mapping(table.headers, "person"))
        checked = time.perf_counter() - started
        importing.commit(store, plan)
        total = time.perf_counter() - started
        assert store.count("person") == n - len(plan.failed)
        started = time.perf_counter()
        again = importing.import_file(store, path, "person", GRID)
        reimport = time.perf_counter() - started
        assert again.imported == 0
        store.engine.dispose()
    rate = n / total
    return [Figure(f"import {n:,} residents from .xlsx (read + check + households + write)", rate, "rows/s",
                   f"read {read:.2f} s, checked {checked:.2f} s, total {total:.2f} s", None,
                   "10,000 in a few seconds (≤ 10 s)", total <= 10 * n / 10_000),
            Figure(f"re-import the same {n:,} rows (all unchanged)", n / reimport, "rows/s",
                   f"{reimport:.2f} s", None, "", None)]


if __name__ == "__main__":
    for figure in run():
        print(figure)
