"""Read a spreadsheet (.xls, .xlsx, .ods or .csv in UTF-8 or GBK) into a header and its data rows.

Every sheet is looked at and the one with the best header is taken. Real ledgers carry
a title and notes above the header and headers two or three rows deep, with cells
merged down and across: merged cells are filled from their first cell before the
header is looked for, so a label merged down over a sub-header row is not lost.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sync import messages

from . import sheets
from .headers import header_score, normalise_header

SCAN_ROWS = 30          # the header is looked for among the first rows only
HEADER_DEPTH = 3        # a header spans at most this many rows


class BadFile(Exception):
    """The file cannot be read as a table; the message says why."""


@dataclass
class Table:
    path: Path
    headers: list[str]                                  # one per column, as shown ("" for none)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)   # (1-based sheet row, cells)
    header_rows: int = 1
    sheet: str | None = None                            # the sheet read (None for a CSV file)
    header_row: int = 1                                 # the sheet row of the header's first line
    lone: dict[int, str] = field(default_factory=dict)  # rows holding one text only: titles, notes, footers
    sheets: list[str] = field(default_factory=list)     # every sheet of the file


def read_table(path: str | Path, score: Callable[[str], bool] | None = None) -> Table:
    """The table in `path`: the best header among the first rows of every sheet, the rest as data rows."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in sheets.SPREADSHEETS:
            found = sheets.read(path)
        elif suffix in (".csv", ".txt"):
            found = [sheets.Sheet(None, _csv_rows(path))]
        else:
            raise BadFile(messages.render("import_bad_type", suffix=suffix or "?"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, sheets.Unreadable) as exc:
        raise BadFile(str(exc)) from exc
    score = score or header_score
    best = None
    for sheet in found:
        band = _header_band(sheet, score)
        if band and (best is None or band[0] > best[0][0]):
            best = (band, sheet)
    if best is None:
        raise BadFile("no header")
    (_, top, bottom, headers), sheet = best
    table = _table(path, sheet, top, bottom, headers)
    table.sheets = [s.name for s in found if s.name is not None]
    return table


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes, else GB18030 (a superset of GBK)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _csv_rows(path: Path) -> list[list[Any]]:
    text = decode(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [[c if c.strip() else None for c in row] for row in csv.reader(io.StringIO(text), dialect)]


def _hits(cells: list[Any], score) -> int:
    """How many distinct known column names a row holds (a label merged across counts once)."""
    return len({normalise_header(c) for c in cells if isinstance(c, str) and score(c)})


def _header_band(sheet: sheets.Sheet, score) -> tuple[int, int, int, list[str]] | None:
    """(hits, first row, last row, column names) of the sheet's header, 0-based rows; None if it has none."""
    filled = sheet.filled(SCAN_ROWS + HEADER_DEPTH)
    best, best_hits = None, 0
    for index, cells in enumerate(filled[:SCAN_ROWS]):
        hits = _hits(cells, score)
        # A label merged down repeats in the rows below it: the last of those rows, which
        # also holds the sub-labels, is the header's bottom line.
        if hits > best_hits or (hits == best_hits and best is not None and index == best + 1 and hits):
            best, best_hits = index, hits
    if best is None or best_hits < 2:
        return None
    top = min([best, *(r0 for (r0, c0), (r1, c1) in sheet.merged if r0 < best <= r1)])
    top = max(top, best - HEADER_DEPTH + 1)
    bottom = best
    width = max(len(c) for c in filled[max(0, top - HEADER_DEPTH):best + HEADER_DEPTH])
    band = [_texts(filled[r], width) for r in range(top, best + 1)]
    # Header lines without merge information (a CSV, an .ods, cells only looking merged): a
    # sub-header below names known columns and is blank under the known labels above it (they
    # "merge down"), so a data row such as "张三 | 户主" is never taken for one; a group line
    # above holds known labels over blank cells of the line below it.
    while bottom + 1 < len(filled) and bottom - top + 1 < HEADER_DEPTH:
        below = _texts(filled[bottom + 1], width)
        if not _continues(band[-1], below, score) or _looks_like_data(filled[bottom + 1]):
            break
        bottom += 1
        band.append(below)
    while top > 0 and bottom - top + 1 < HEADER_DEPTH:
        above = _texts(filled[top - 1], width)
        if not _continues(above, band[0], score, upward=True) or _looks_like_data(filled[top - 1]):
            break
        top -= 1
        band.insert(0, above)
    headers = [_column_name(band, i, score) for i in range(width)]
    return best_hits, top, bottom, _distinct(headers)


def _continues(upper: list[str], lower: list[str], score, upward: bool = False) -> bool:
    """Are two adjacent rows lines of one header: the new one (lower going down, upper going up)
    names known columns, and the lower line is blank under at least half the upper's known labels."""
    new = upper if upward else lower
    known = [i for i, name in enumerate(upper) if name and score(name)]
    blank_under = sum(1 for i in known if not lower[i])
    return any(c and score(c) for c in new) and bool(known) and blank_under * 2 >= len(known)


def _column_name(band: list[list[str]], index: int, score) -> str:
    """A column's lowest label; over an unknown one, a known label that is this column's own
    (not a group label merged over its neighbours too: 电话 over 手机 | 座机 names neither)."""
    labels = [line[index] for line in band]
    lowest = next((t for t in reversed(labels) if t), "")
    if lowest and score(lowest):
        return lowest
    for line in reversed(band):
        label = line[index]
        spans = (index > 0 and line[index - 1] == label) or (index + 1 < len(line) and line[index + 1] == label)
        if label and score(label) and not spans:
            return label
    return lowest


def _table(path: Path, sheet: sheets.Sheet, top: int, bottom: int, headers: list[str]) -> Table:
    width = len(headers)
    rows, lone = [], {}
    for index, cells in sheet.data_rows(bottom + 1):
        if all(c is None for c in cells):
            continue
        number = index + 1
        rows.append((number, (list(cells) + [None] * (width - len(cells)))[:max(width, len(cells))]))
        own = sheet.own_texts(index)
        if len(own) == 1 and isinstance(own[0], str):
            lone[number] = own[0].strip()
    return Table(path, headers, rows, bottom - top + 1, sheet.name, top + 1, lone)


def _texts(cells: list[Any], width: int) -> list[str]:
    out = [("" if c is None else str(c)).strip() for c in cells]
    return out + [""] * (width - len(out))


def _looks_like_data(cells: list[Any]) -> bool:
    """A data row holds numbers or long digit strings; a header row holds short labels."""
    return any((isinstance(c, (int, float)) and not isinstance(c, bool))
               or (isinstance(c, str) and sum(ch.isdigit() for ch in c) >= 6) for c in cells)


def _distinct(headers: list[str]) -> list[str]:
    """Number repeated or empty headers so every column has a distinct name."""
    seen: dict[str, int] = {}
    out = []
    for index, name in enumerate(headers):
        key = normalise_header(name) or f"#{index + 1}"
        seen[key] = seen.get(key, 0) + 1
        out.append(name if name and seen[key] == 1 else (f"{name}({seen[key]})" if name else f"列{index + 1}"))
    return out
