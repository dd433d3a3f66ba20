"""The sheets of a workbook (.xls, .xlsx, .xlsm, .ods) as rows of cell values, with their merged ranges.

One reader for every format: python-calamine (Rust). It reads the Excel 97–2003 files the
government and bank templates come in, and reads .xlsx several times faster than
openpyxl; it also gives the merged ranges of .xls and .xlsx sheets (xlrd is not needed for
them). For .ods it gives none, so they are read from the file's content.xml here.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SPREADSHEETS = (".xls", ".xlsx", ".xlsm", ".xlsb", ".ods")
# A float this large in an .xlsx cell may be an ID number some tool wrote as a whole
# number: calamine reads every number as a float, so its exact digits are read again.
EXACT_FROM = 1e15

Range = tuple[tuple[int, int], tuple[int, int]]      # ((first row, first column), (last row, last column)), 0-based


class Unreadable(ValueError):
    """The workbook cannot be opened (damaged, encrypted, not a workbook)."""


@dataclass
class Sheet:
    name: str | None
    rows: list[list[Any]]                       # cell values, None for an empty cell
    merged: list[Range] = field(default_factory=list)

    def filled(self, count: int) -> list[list[Any]]:
        """The first rows with every merged range filled from its first cell, down and across."""
        rows = [list(r) for r in self.rows[:count]]
        for (r0, c0), (r1, c1) in self.merged:
            if r0 >= count:
                continue
            value = _cell(self.rows, r0, c0)
            for r in range(r0, min(r1, count - 1) + 1):
                row = rows[r]
                if len(row) <= c1:
                    row.extend([None] * (c1 + 1 - len(row)))
                for c in range(c0, c1 + 1):
                    row[c] = value
        return rows

    def data_rows(self, start: int) -> Iterator[tuple[int, list[Any]]]:
        """(0-based index, cells) from `start` on; a cell merged down (a household number over
        its members' rows) gives its value to every row it covers."""
        down = {}
        for (r0, c0), (r1, _) in self.merged:
            value = _cell(self.rows, r0, c0)
            for r in range(max(r0 + 1, start), r1 + 1):
                down.setdefault(r, []).append((c0, value))
        for index in range(start, len(self.rows)):
            cells = self.rows[index]
            if index in down:
                cells = list(cells)
                for c, value in down[index]:
                    if len(cells) <= c:
                        cells.extend([None] * (c + 1 - len(cells)))
                    cells[c] = value
            yield index, cells

    def own_texts(self, index: int) -> list[Any]:
        """The values written in the row itself (not carried from a merged cell above)."""
        return [c for c in self.rows[index] if c is not None]


def _cell(rows: list[list[Any]], r: int, c: int) -> Any:
    return rows[r][c] if r < len(rows) and c < len(rows[r]) else None


def read(path: Path) -> list[Sheet]:
    """Every visible worksheet of the workbook, in order."""
    import python_calamine as calamine

    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except Exception as exc:      # calamine's own errors (CalamineError, PasswordError, ZipError, ...)
        raise Unreadable(str(exc) or type(exc).__name__) from exc
    found = []
    try:
        for meta in book.sheets_metadata:
            if meta.typ != calamine.SheetTypeEnum.WorkSheet or meta.visible != calamine.SheetVisibleEnum.Visible:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = [[None if v == "" else v for v in row] for row in sheet.to_python(skip_empty_area=False)]
            merged = [((r0, c0), (r1, c1)) for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or [])]
            found.append(Sheet(meta.name, rows, merged))
    except Exception as exc:
        raise Unreadable(str(exc) or type(exc).__name__) from exc
    finally:
        book.close()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        for sheet in found:
            _exact_numbers(path, sheet)
    if path.suffix.lower() == ".ods" and not any(s.merged for s in found):
        spans = _ods_merged(path)
        for sheet in found:
            sheet.merged = spans.get(sheet.name, [])
    return found


def _ods_merged(path: Path) -> dict[str, list[Range]]:
    """Each table's merged ranges, from the spans on its cells (OpenDocument 19.680, 19.682)."""
    import xml.etree.ElementTree as ElementTree
    import zipfile

    ns = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    cell_tags = (ns + "table-cell", ns + "covered-table-cell")
    try:
        with zipfile.ZipFile(path) as archive, archive.open("content.xml") as content:
            root = ElementTree.parse(content).getroot()
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return {}
    found = {}
    for table in root.iter(ns + "table"):
        merged, row_index = [], 0
        for row in table.iter(ns + "table-row"):
            column = 0
            for cell in row:
                if cell.tag not in cell_tags:
                    continue
                rows = int(cell.get(ns + "number-rows-spanned", "1"))
                columns = int(cell.get(ns + "number-columns-spanned", "1"))
                if rows > 1 or columns > 1:
                    merged.append(((row_index, column), (row_index + rows - 1, column + columns - 1)))
                column += int(cell.get(ns + "number-columns-repeated", "1"))
            row_index += int(row.get(ns + "number-rows-repeated", "1"))
        found[table.get(ns + "name")] = merged
    return found


def _exact_numbers(path: Path, sheet: Sheet) -> None:
    """Whole numbers of 16 digits or more as they are written in the file, not as floats."""
    where = [(r, c) for r, row in enumerate(sheet.rows) for c, v in enumerate(row)
             if isinstance(v, float) and abs(v) >= EXACT_FROM and v.is_integer()]
    if not where:
        return
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        wanted: dict[int, list[int]] = {}
        for r, c in where:
            wanted.setdefault(r, []).append(c)
        last = max(wanted)
        worksheet = book[sheet.name]
        worksheet.reset_dimensions()
        for r, row in enumerate(worksheet.iter_rows(values_only=True)):
            for c in wanted.get(r, ()):
                if c < len(row) and isinstance(row[c], int):
                    sheet.rows[r][c] = row[c]
            if r >= last:
                break
    finally:
        book.close()
