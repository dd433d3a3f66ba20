"""The error workbook: the failed rows with their original columns and a reason, to fix and re-import."""
from __future__ import annotations

from pathlib import Path

from . import texts

ID_HEADER_HINTS = ("身份证", "证件", "号码", "电话", "手机", "户号")


def write_error_workbook(path: str | Path, plan, lang: str | None = None, written: bool = True) -> Path:
    """One row per failed row; a 所属户 column keeps the household a member already has
    (when `written`: after a dry run a new household does not exist yet)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    path = Path(path)
    failed = plan.failed
    headers = list(plan.table.headers)
    mapped = {name: field for name, field in plan.mapping.items() if field}
    new = {g.household_id for g in plan.new_households} if not written else set()
    households = {r.number: r.household_id for r in failed if r.household_id and r.household_id not in new}
    keep_household = "household_id" not in mapped.values() and bool(households)
    book = Workbook()
    sheet = book.active
    sheet.title = texts.text("error_reason")[:31]
    reason = texts.messages.render("error_reason", lang)
    extra = [texts.messages.field_label("household_id", lang)] if keep_household else []
    sheet.append([*headers, reason, *extra])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in failed:
        cells = list(row.cells[:len(headers)]) + [None] * (len(headers) - len(row.cells))
        message = "；".join(dict.fromkeys(e.message(lang) for e in row.errors))
        household = [households.get(row.number)] if keep_household else []
        sheet.append([_cell(c) for c in cells] + [message] + household)
        sheet.cell(sheet.max_row, len(headers) + 1).fill = PatternFill("solid", fgColor="FFF2CC")
    # ID numbers and phones as text, so whoever fixes the sheet does not lose digits again.
    for index, name in enumerate(headers, start=1):
        if any(hint in name for hint in ID_HEADER_HINTS):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "@"
    sheet.column_dimensions[_letter(len(headers) + 1)].width = 60
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _cell(value):
    return value.strip() if isinstance(value, str) else value


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter(index)
