"""The grid task list at the station: a township's ledger of items (网格事务清单, e.g. Jinggangshan's 79)
imported from CSV or XLSX, listed and exported back the same way, and items added or withdrawn.

Columns are the Chinese labels (事项, 完成标准, 责任人, 频次, 截止时间, 起始日期, 备注) or the field names; an
item's id follows from its unit and title, so importing a file again changes nothing and a corrected
file updates the items it names.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from sqlalchemy import Connection, select

from sync import grid_scope, messages, records
from sync.tasks import item_id

from .errors import StationError
from .station_records import cleaned, write

COLUMNS = ("title", "done_when", "owner_role", "frequency", "deadline", "starts_on", "notes")
HEADERS = {"事项": "title", "事项名称": "title", "任务": "title", "完成标准": "done_when", "责任人": "owner_role",
           "责任主体": "owner_role", "频次": "frequency", "频率": "frequency", "截止时间": "deadline",
           "时限": "deadline", "起始日期": "starts_on", "备注": "notes", **{c: c for c in COLUMNS}}
VALUES = {field: {messages.value_label(v): v for v in choices} | {v: v for v in choices}
          for field, choices in (("owner_role", records.TASK_OWNERS), ("frequency", records.TASK_FREQUENCIES))}
VALUES["owner_role"].update({"村": "village", "社区": "village", "乡镇": "township", "街道": "township"})

messages.register({
    "task_file": ("事务清单文件无法读取：{detail}", "The task list file cannot be read: {detail}"),
    "task_unit": ("“{unit}”不是乡镇站已有的单位编码。", "'{unit}' is no unit of the station's hierarchy."),
})


def read_file(path: str | Path) -> list[dict]:
    """Rows {field: value} of a CSV (UTF-8, with or without BOM) or XLSX task list; labels become values."""
    path = Path(path)
    table: list[list]
    try:
        if path.suffix.lower() == ".xlsx":
            from openpyxl import load_workbook
            sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
            table = [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]
        else:
            table = [list(r) for r in csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig")))]
    except (OSError, UnicodeDecodeError, csv.Error, ValueError, KeyError) as exc:
        raise StationError(422, "task_file", detail=getattr(exc, "strerror", None) or str(exc)) from exc
    if not table:
        raise StationError(422, "task_file", detail="empty")
    fields = [HEADERS.get(str(h).strip()) for h in table[0]]
    if "title" not in fields:
        raise StationError(422, "task_file", detail="事项 / title")
    rows = []
    for line in table[1:]:
        row: dict = {}
        for field, cell in zip(fields, line, strict=False):
            if field is None or cell in ("", None):
                continue
            text = cell.isoformat() if isinstance(cell, (dt.date, dt.datetime)) else str(cell).strip()
            row[field] = VALUES.get(field, {}).get(text, text)
        if row:
            rows.append(row)
    return rows


def publish(conn: Connection, actor: str, unit: str, rows: list[dict], lang: str | None = None) -> int:
    """Add or update items for `unit` (all rows or none); how many changed."""
    grid = records.record_table("grid")
    if conn.execute(select(grid.c.code).where(grid.c.code == unit)).first() is None:
        raise StationError(422, "task_unit", unit=unit)
    today = dt.date.today().isoformat()
    full = [{"id": item_id(unit, str(r.get("title") or "")), "grid_code": unit, "published_by": actor,
             **({"starts_on": today} if r.get("frequency", "once") != "once" else {}), **r} for r in rows]
    return write(conn, actor, "task_item", cleaned(conn, "task_item", full, lang), "task_publish")


def withdraw(conn: Connection, actor: str, ids: list[str]) -> int:
    rows = [{"id": i} for i in ids]
    return write(conn, actor, "task_item", rows, "task_withdraw", delete=True)


def listing(conn: Connection, unit: str | None = None) -> list[dict]:
    """Live items that apply to `unit` or lie under it (None: all), by unit and title."""
    table = records.record_table("task_item")
    rows = [dict(r) for r in conn.execute(select(table).where(table.c.deleted.is_(False))).mappings()]
    chosen = [r for r in rows if not unit or grid_scope.covers(r["grid_code"], unit) or
              grid_scope.covers(unit, r["grid_code"])]
    return sorted(({k: r[k] for k in records.fields_of("task_item")} for r in chosen),
                  key=lambda r: (r["grid_code"], r["title"]))


def to_table(items: list[dict], lang: str | None = None) -> tuple[list[str], list[list]]:
    """Headings and rows as the import reads them back (labels for the choices)."""
    headings = ["单位" if lang != "en" else "unit",
                *[next(k for k, v in HEADERS.items() if v == c) if lang != "en" else c for c in COLUMNS]]
    rows = [[i["grid_code"], *[messages.value_label(i[c], lang) if c in VALUES and i.get(c) else i.get(c)
                               for c in COLUMNS]] for i in items]
    return headings, rows


def export(items: list[dict], path: str | Path, lang: str | None = None) -> int:
    headings, rows = to_table(items, lang)
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook
        book = Workbook()
        sheet = book.worksheets[0]
        sheet.title = "网格事务清单" if lang != "en" else "task list"
        sheet.append(headings)
        for row in rows:
            sheet.append(row)
        book.save(path)
    else:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(headings)
        writer.writerows(rows)
        path.write_text("\ufeff" + out.getvalue(), encoding="utf-8")
    return len(rows)
