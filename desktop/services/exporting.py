"""Export records to .xlsx/.csv with Chinese headers, and the one-household-one-form (一户一表) workbook.

Values are shown as people read them (男, 户籍人口, 低保、残疾人) and read back by the
importer, so an exported workbook re-imports to the same records. ID numbers and
phones are written as text cells so Excel cannot turn them into numbers.
"""
from __future__ import annotations

import csv
from pathlib import Path

from sync import messages, records, registers
from sync.validation import CHOICES

from .importing import texts

TEXT_FIELDS = ("id", "household_id", "building_id", "id_number", "head_id_number", "phone", "grid_code")
LABELLED = {f for (_, f) in CHOICES} | set(registers.TABLES) | {"tags"}
FORM_HOUSEHOLD = ("head_name", "head_id_number", "register_number", "address", "phone", "tags", "notes")
FORM_MEMBERS = ("name", "relation_to_head", "gender", "ethnicity", "id_number", "birth_date", "phone", "residence",
                "education", "marital_status", "political_status", "employer", "registered_address", "tags", "notes")


def display(field: str, value, lang: str | None = None):
    """A stored value as a person reads it in a sheet."""
    if value is None:
        return None
    if field == "tags":
        return "、".join(messages.value_label(t, lang) for t in value)
    if isinstance(value, list):                  # a group's member households: ids, one cell
        return ",".join(str(v) for v in value)
    if field in LABELLED and isinstance(value, str):
        return messages.value_label(value, lang, field=field)     # a case's "registered" is 已登记
    return value


def label(field: str, record_type: str, lang: str | None = None) -> str:
    """The column label; the catalogue's "名称/姓名" says 姓名 for people and 名称 for the rest."""
    if field == "name":
        english = (lang or messages.language()) == "en"
        return "name" if english else ("姓名" if record_type == "person" else "名称")
    return messages.field_label(field, lang)


def headers(record_type: str, lang: str | None = None) -> list[str]:
    return [label(f, record_type, lang) for f in records.fields_of(record_type)]


def table_rows(ledger, record_type: str, grid: str | None = None, lang: str | None = None,
               include_sensitive: bool = False) -> list[list]:
    fields = records.fields_of(record_type)
    return [[display(f, row.get(f), lang) for f in fields]
            for row in ledger.export_rows(record_type, grid, include_sensitive)]


def export_table(ledger, record_type: str, path: str | Path, grid: str | None = None,
                 lang: str | None = None, fmt: str | None = None, include_sensitive: bool = False) -> int:
    """Write one record type (optionally one grid) to .xlsx or .csv; return the row count. The
    sensitive key groups are left out unless `include_sensitive` (Ledger.export_rows)."""
    path = Path(path)
    rows = table_rows(ledger, record_type, grid, lang, include_sensitive)
    if (fmt or path.suffix.lower().lstrip(".")) == "csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as out:   # the BOM lets Excel read UTF-8
            writer = csv.writer(out)
            writer.writerow(headers(record_type, lang))
            writer.writerows(rows)
        return len(rows)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = messages.type_label(record_type, lang)[:31]
    _write_table(sheet, headers(record_type, lang), rows, records.fields_of(record_type))
    book.save(path)
    return len(rows)


def _write_table(sheet, header: list[str], rows: list[list], fields, first_row: int = 1) -> None:
    from openpyxl.styles import Font

    for column, name in enumerate(header, start=1):
        sheet.cell(first_row, column, name).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(first_row, column).column_letter].width = max(10, len(name) * 2 + 4)
    for offset, row in enumerate(rows, start=1):
        for column, (field, value) in enumerate(zip(fields, row, strict=True), start=1):
            cell = sheet.cell(first_row + offset, column, value)
            if field in TEXT_FIELDS:
                cell.number_format = "@"


def household_forms(ledger, path: str | Path, grid: str | None = None, household_ids=None,
                    lang: str | None = None, include_sensitive: bool = False) -> int:
    """一户一表: one sheet per household (its facts, then its members); return the household count."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    households = [h for h in ledger.export_rows("household", grid, include_sensitive)
                  if not household_ids or h["id"] in household_ids]
    members: dict[str, list[dict]] = {}
    for person in ledger.export_rows("person", grid, include_sensitive):
        members.setdefault(person.get("household_id"), []).append(person)
    book = Workbook()
    book.remove(book.worksheets[0])         # the empty sheet a new workbook starts with
    names: set[str] = set()
    for household in households:
        title = _sheet_name(household, names)
        sheet = book.create_sheet(title)
        sheet.cell(1, 1, messages.render("form_title", lang)).font = Font(bold=True, size=16)
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(FORM_MEMBERS))
        sheet.cell(1, 1).alignment = Alignment(horizontal="center")
        sheet.cell(2, 1, messages.render("form_grid", lang, grid=household["grid_code"]))
        for offset, field in enumerate(FORM_HOUSEHOLD):
            sheet.cell(3 + offset, 1, messages.field_label(field, lang)).font = Font(bold=True)
            cell = sheet.cell(3 + offset, 2, display(field, household.get(field), lang))
            cell.number_format = "@"
            sheet.merge_cells(start_row=3 + offset, start_column=2, end_row=3 + offset, end_column=5)
        start = 4 + len(FORM_HOUSEHOLD)
        sheet.cell(start, 1, messages.render("form_members", lang)).font = Font(bold=True)
        people = sorted(members.get(household["id"], []), key=_head_first)
        _write_table(sheet, [label(f, "person", lang) for f in FORM_MEMBERS],
                     [[display(f, p.get(f), lang) for f in FORM_MEMBERS] for p in people], FORM_MEMBERS, start + 1)
    if not households:
        book.create_sheet(messages.render("form_title", lang))
    book.save(path)
    return len(households)


def household_forms_html(ledger, grid: str | None = None, household_ids=None, lang: str | None = None,
                         include_sensitive: bool = False) -> str:
    """一户一表 as HTML, one household per printed page (the PDF is rendered from this)."""
    households = [h for h in ledger.export_rows("household", grid, include_sensitive)
                  if not household_ids or h["id"] in household_ids]
    members: dict[str, list[dict]] = {}
    for person in ledger.export_rows("person", grid, include_sensitive):
        members.setdefault(person.get("household_id"), []).append(person)
    pages: list[str] = []
    for household in households:
        facts = "".join(f"<tr><th>{_esc(messages.field_label(f, lang))}</th>"
                        f"<td colspan='5'>{_esc(display(f, household.get(f), lang))}</td></tr>" for f in FORM_HOUSEHOLD)
        head = "".join(f"<th>{_esc(label(f, 'person', lang))}</th>" for f in FORM_MEMBERS)
        rows = "".join("<tr>" + "".join(f"<td>{_esc(display(f, p.get(f), lang))}</td>" for f in FORM_MEMBERS) + "</tr>"
                       for p in sorted(members.get(household["id"], []), key=_head_first))
        # Qt's rich text breaks pages only on a block element's own page-break style.
        style = " style='page-break-before: always'" if pages else ""
        pages.append(f"<h2 align='center'{style}>{_esc(messages.render('form_title', lang))}</h2>"
                     f"<p>{_esc(messages.render('form_grid', lang, grid=household['grid_code']))}</p>"
                     f"<table border='1' cellspacing='0' cellpadding='4' width='100%'>{facts}</table>"
                     f"<h3>{_esc(messages.render('form_members', lang))}</h3>"
                     f"<table border='1' cellspacing='0' cellpadding='3' width='100%'><tr>{head}</tr>{rows}</table>")
    return "".join(pages)


def _esc(value) -> str:
    import html

    return "" if value is None else html.escape(str(value))


def _head_first(person: dict):
    return (person.get("relation_to_head") not in ("户主", "本人"), person.get("birth_date") or "")


def _sheet_name(household: dict, taken: set) -> str:
    base = f"{household['head_name']}-{household['address']}"
    for bad in "[]:*?/\\":
        base = base.replace(bad, " ")
    name, n = base[:31], 2
    while name in taken:
        suffix = f"({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name)
    return name


__all__ = ["display", "export_table", "headers", "household_forms", "household_forms_html",
           "texts"]
