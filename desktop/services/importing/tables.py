"""Read a spreadsheet (.xlsx or .csv in UTF-8 or GBK) into a header and its data rows.

Real ledgers carry a title and notes above the header, merged header cells, two-row
headers and blank rows; the header row is found by how many known column names it holds.
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

from .headers import header_score, normalise_header

SCAN_ROWS = 30          # the header is looked for among the first rows only


class BadFile(Exception):
    """The file cannot be read as a table; the message says why."""


@dataclass
class Table:
    path: Path
    headers: list[str]                                  # one per column, as shown ("" for none)
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)   # (1-based sheet row, cells)
    header_rows: int = 1
    sheet: str | None = None


def read_table(path: str | Path, score: Callable[[str], bool] | None = None) -> Table:
    """The table in `path`: the header found among the first rows, the rest as data rows."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            raw, sheet = _xlsx_rows(path), None
        elif suffix in (".csv", ".txt"):
            raw, sheet = _csv_rows(path), None
        else:
            raise BadFile(messages.render("import_bad_type", suffix=suffix or "?"))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BadFile(str(exc)) from exc
    return _split_header(path, raw, score or header_score, sheet)


def _xlsx_rows(path: Path) -> list[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    # read_only streams the sheet; merged header cells then show their value in the
    # first cell only, which _split_header fills across.
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.active
        # Many writers leave the sheet's size out or wrong; without this openpyxl would
        # parse the whole sheet once just to measure it.
        sheet.reset_dimensions()
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, list(row)))
        return rows
    finally:
        book.close()


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) if it decodes, else GB18030 (a superset of GBK)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _csv_rows(path: Path) -> list[tuple[int, list[Any]]]:
    text = decode(path.read_bytes())
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return [(n, row) for n, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]


def _blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _split_header(path: Path, raw, score, sheet) -> Table:
    best, best_hits = None, 0
    for index, (_, cells) in enumerate(raw[:SCAN_ROWS]):
        hits = sum(1 for c in cells if isinstance(c, str) and score(c))
        if hits > best_hits:
            best, best_hits = index, hits
    if best is None or best_hits < 2:
        raise BadFile("no header")
    width = max(len(cells) for _, cells in raw[best:best + 2])
    headers = _texts(raw[best][1], width)
    header_rows = 1
    # A two-row header: a merged group label ("联系方式") above its sub-columns
    # ("手机", "座机"); a sub-header that names a known column wins over the label.
    # A data row fills the columns under the known headers; a sub-header row leaves them
    # blank (those header cells are merged down), so "张三 | 户主" is never taken for one.
    if best + 1 < len(raw):
        below = _texts(raw[best + 1][1], width)
        known = [i for i, name in enumerate(headers) if name and score(name)]
        blank_under = sum(1 for i in known if not below[i])
        if any(c and score(c) for c in below) and blank_under * 2 >= len(known) \
                and not _looks_like_data(raw[best + 1][1]):
            headers = [b if b and (score(b) or not h) else h for h, b in zip(headers, below, strict=True)]
            header_rows = 2
    headers = _distinct(headers)
    rows = [(n, list(cells) + [None] * (width - len(cells)))
            for n, cells in raw[best + header_rows:] if not _blank(cells)]
    return Table(path, headers, rows, header_rows, sheet)


def _texts(cells: list[Any], width: int) -> list[str]:
    out = [("" if c is None else str(c)).strip() for c in cells]
    return out + [""] * (width - len(out))


def _looks_like_data(cells: list[Any]) -> bool:
    """A data row holds numbers or long digit strings; a header row holds short labels."""
    return any(isinstance(c, (int, float)) or (isinstance(c, str) and sum(ch.isdigit() for ch in c) >= 6)
               for c in cells)


def _distinct(headers: list[str]) -> list[str]:
    """Number repeated or empty headers so every column has a distinct name."""
    seen: dict[str, int] = {}
    out = []
    for index, name in enumerate(headers):
        key = normalise_header(name) or f"#{index + 1}"
        seen[key] = seen.get(key, 0) + 1
        out.append(name if name and seen[key] == 1 else (f"{name}({seen[key]})" if name else f"列{index + 1}"))
    return out
