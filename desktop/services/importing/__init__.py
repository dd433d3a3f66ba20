"""Import existing ledgers (.xls/.xlsx/.ods/.csv): read, map headers, check every row, write the good ones at once.

    table = read_table(path)                       # header row found, data rows
    mapping = guess_mapping(table.headers, "person")   # the user may correct and save it
    plan = analyse(store, table, "person", grid, mapping)   # per-row errors, merges, households
    commit(store, plan)                            # one transaction, in the change log

`import_file` does all of it for the command line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sync import messages
from sync.validation import ADDRESS_PENDING

from . import texts  # noqa: F401  (registers the messages)
from .errorsheet import write_error_workbook
from .headers import (
    IMPORTABLE,
    allowed_fields,
    guess_mapping,
    header_score,
    load_mapping,
    missing_key_fields,
    normalise_header,
    save_mapping,
    yes_no_subject,
)
from .plan import BadMapping, ImportPlan, analyse
from .tables import BadFile, Table, read_table
from .writing import commit

__all__ = ["IMPORTABLE", "BadFile", "BadMapping", "ImportPlan", "ImportReport", "MissingColumns", "Table",
           "allowed_fields", "analyse", "commit", "guess_mapping", "import_file", "load_mapping",
           "missing_key_fields", "read_table", "report_of", "save_mapping", "write_error_workbook"]


class MissingColumns(ValueError):
    """No column gives the ID number or the phone, and the worker has not said to go on without it."""

    def __init__(self, fields: list[str], report: ImportReport):
        self.fields = fields
        self.report = report
        super().__init__(self.message())

    def message(self, lang: str | None = None) -> str:
        return messages.render("import_missing_columns", lang, fields=_field_list(self.fields, lang),
                               codes=",".join(self.fields))


def _field_list(fields, lang: str | None = None) -> str:
    return ("、" if (lang or messages.language()) != "en" else ", ").join(
        messages.field_label(f, lang) for f in fields)


@dataclass
class ImportReport:
    imported: int = 0
    merged: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    flagged: int = 0
    households: int = 0
    dry_run: bool = False
    error_path: Path | None = None
    flags: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)    # (sheet row, reasons)
    sheet: str | None = None                                        # the sheet read
    sheets: list[str] = field(default_factory=list)                 # every sheet of the file
    header_rows: tuple[int, int] = (1, 1)                           # first and last sheet row of the header
    columns: list[dict] = field(default_factory=list)               # {"column", "field"}, in file order
    ignored: list[str] = field(default_factory=list)                # columns no field takes
    yes_no: list[str] = field(default_factory=list)                 # ignored yes/no columns (是否开通手机银行)
    missing: list[str] = field(default_factory=list)                # key fields no column gives
    notes: list[tuple[int, str]] = field(default_factory=list)      # rows skipped as notes: (row, why)
    address_pending: int = 0                                        # new households marked 地址待补充
    without_household: int = 0                                      # residents the file puts in no household

    def summary(self, lang: str | None = None) -> str:
        return messages.render("import_summary", lang, imported=self.imported, merged=self.merged,
                               unchanged=self.unchanged, skipped=self.skipped, failed=self.failed,
                               flagged=self.flagged, households=self.households)

    def layout_lines(self, lang: str | None = None, field_label=None) -> list[str]:
        """Where the table was found and which column went where: said before anything else."""
        label = field_label or (lambda f: _label(f, lang))
        lines = []
        if self.sheet is not None:
            lines.append(messages.render("import_sheet", lang, sheet=self.sheet, count=len(self.sheets),
                                         sheets="、".join(self.sheets)))
        first, last = self.header_rows
        lines.append(messages.render("import_header_rows" if last > first else "import_header_row", lang,
                                     first=first, last=last))
        lines.append(messages.render("import_columns", lang))
        lines += ["  " + messages.render("import_column_to", lang, column=c["column"], field=label(c["field"]))
                  for c in self.columns if c["field"]]
        if self.ignored:
            shown = [messages.render("import_yes_no_column", lang, column=c) if c in self.yes_no else c
                     for c in self.ignored]
            lines.append(messages.render("import_ignored", lang, columns="、".join(shown)))
        return lines

    def detail_lines(self, lang: str | None = None) -> list[str]:
        """What the rows came to, besides the counts: notes skipped, missing columns, addresses to fill."""
        lines = []
        if self.missing:
            lines.append(messages.render("import_missing_accepted", lang, fields=_field_list(self.missing, lang)))
        notes = [n for n, why in self.notes if why != "member"]
        members = [n for n, why in self.notes if why == "member"]
        if notes:
            lines.append(messages.render("import_notes_skipped", lang, rows=_ranges(notes)))
        if members:
            lines.append(messages.render("import_members_skipped", lang, rows=_ranges(members)))
        if self.address_pending:
            lines.append(messages.render("import_address_pending", lang, count=self.address_pending))
        if self.without_household:
            lines.append(messages.render("import_without_household", lang, count=self.without_household))
        return lines

    def as_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in self.__dict__.items()}


def _label(field: str, lang: str | None = None) -> str:
    from .headers import field_label

    return field_label(field, lang)


def _ranges(numbers: list[int]) -> str:
    """3, 4, 5, 9 -> "3–5、9"."""
    out, start, previous = [], None, None
    for n in [*sorted(numbers), None]:
        if start is not None and (n is None or n != previous + 1):
            out.append(str(start) if start == previous else f"{start}–{previous}")
            start = None
        if n is not None and start is None:
            start = n
        previous = n
    return "、".join(out)


def layout_of(table: Table, mapping: dict, record_type: str) -> ImportReport:
    """The report's first part, known before any row is checked."""
    report = ImportReport(sheet=table.sheet, sheets=table.sheets,
                          header_rows=(table.header_row, table.header_row + table.header_rows - 1))
    report.columns = [{"column": name, "field": mapping.get(name)} for name in table.headers]
    report.ignored = [name for name in table.headers if not mapping.get(name) and not _unnamed(name, table)]
    report.yes_no = [name for name in report.ignored if yes_no_subject(name) is not None]
    report.missing = missing_key_fields(mapping, record_type)
    return report


def _unnamed(name: str, table: Table) -> bool:
    """A column with no header (列3) that holds nothing either."""
    index = table.headers.index(name)
    return name.startswith("列") and name[1:].isdigit() and all(
        index >= len(cells) or cells[index] is None for _, cells in table.rows)


def report_of(plan: ImportPlan, dry_run: bool = False, error_path: Path | None = None) -> ImportReport:
    report = layout_of(plan.table, plan.mapping, plan.record_type)
    report.imported, report.merged = plan.count("new"), plan.count("merge")
    report.unchanged, report.skipped = plan.count("unchanged"), plan.count("skip")
    report.failed, report.flagged = len(plan.failed), len(plan.flagged)
    report.households, report.dry_run, report.error_path = len(plan.new_households), dry_run, error_path
    report.flags = [r.flag for r in plan.flagged]
    report.errors = [(r.number, "；".join(dict.fromkeys(e.message() for e in r.errors))) for r in plan.failed]
    report.notes = plan.notes
    report.without_household = sum(1 for r in plan.rows if plan.record_type == "person" and r.ok
                                   and r.action == "new" and not r.values.get("household_id"))
    report.address_pending = sum(1 for g in plan.new_households if ADDRESS_PENDING in g.values.get("tags", ())) + \
        sum(1 for r in plan.rows if plan.record_type == "household" and r.action == "new" and r.ok
            and ADDRESS_PENDING in r.values.get("tags", ()))
    return report


def default_error_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}_错误行.xlsx")


def import_file(store, path: str | Path, record_type: str, grid: str | None, mapping: dict | None = None,
                dry_run: bool = False, on_duplicate: str = "merge", errors_path: str | Path | None = None,
                progress=None, accept_missing: tuple[str, ...] | list[str] = (),
                default_address: str | None = None) -> ImportReport:
    """Import one file; failed rows go to an error workbook (beside the file unless told).

    accept_missing: key fields (id_number, phone) the worker knows no column gives; any other
    missing one stops the import before anything is written (MissingColumns), except a dry run."""
    if record_type not in IMPORTABLE:
        raise BadMapping(messages.render("import_wrong_type", type=record_type, choices=", ".join(IMPORTABLE)))
    # A saved mapping names the columns of this layout: its headers identify the header row.
    known = {normalise_header(k) for k in mapping or {}}
    table = read_table(path, lambda text: normalise_header(text) in known or header_score(text))
    mapping = mapping or guess_mapping(table.headers, record_type)
    missing = missing_key_fields(mapping, record_type)
    unaccepted = [f for f in missing if f not in accept_missing]
    if unaccepted and not dry_run:
        raise MissingColumns(unaccepted, layout_of(table, mapping, record_type))
    plan = analyse(store, table, record_type, grid, mapping, on_duplicate, progress, default_address)
    error_path = None
    if plan.failed:
        target = Path(errors_path) if errors_path else default_error_path(Path(path))
        error_path = write_error_workbook(target, plan, written=not dry_run)
    if not dry_run:
        commit(store, plan, progress)
    return report_of(plan, dry_run, error_path)
