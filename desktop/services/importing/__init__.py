"""Import existing ledgers (.xlsx/.csv): read, map headers, check every row, write the good ones at once.

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

from . import texts  # noqa: F401  (registers the messages)
from .errorsheet import write_error_workbook
from .headers import (
    IMPORTABLE,
    allowed_fields,
    guess_mapping,
    header_score,
    load_mapping,
    normalise_header,
    save_mapping,
)
from .plan import BadMapping, ImportPlan, analyse
from .tables import BadFile, Table, read_table
from .writing import commit

__all__ = ["IMPORTABLE", "BadFile", "BadMapping", "ImportPlan", "ImportReport", "Table", "allowed_fields",
           "analyse", "commit", "guess_mapping", "import_file", "load_mapping", "read_table", "report_of",
           "save_mapping", "write_error_workbook"]


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

    def summary(self, lang: str | None = None) -> str:
        return messages.render("import_summary", lang, imported=self.imported, merged=self.merged,
                               unchanged=self.unchanged, skipped=self.skipped, failed=self.failed,
                               flagged=self.flagged, households=self.households)

    def as_dict(self) -> dict:
        return {k: (str(v) if isinstance(v, Path) else v) for k, v in self.__dict__.items()}


def report_of(plan: ImportPlan, dry_run: bool = False, error_path: Path | None = None) -> ImportReport:
    return ImportReport(
        imported=plan.count("new"), merged=plan.count("merge"), unchanged=plan.count("unchanged"),
        skipped=plan.count("skip"), failed=len(plan.failed), flagged=len(plan.flagged),
        households=len(plan.new_households), dry_run=dry_run, error_path=error_path,
        flags=[r.flag for r in plan.flagged],
        errors=[(r.number, "；".join(dict.fromkeys(e.message() for e in r.errors))) for r in plan.failed])


def default_error_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}_错误行.xlsx")


def import_file(store, path: str | Path, record_type: str, grid: str | None, mapping: dict | None = None,
                dry_run: bool = False, on_duplicate: str = "merge", errors_path: str | Path | None = None,
                progress=None) -> ImportReport:
    """Import one file; failed rows go to an error workbook (beside the file unless told)."""
    if record_type not in IMPORTABLE:
        raise BadMapping(messages.render("import_wrong_type", type=record_type, choices=", ".join(IMPORTABLE)))
    # A saved mapping names the columns of this layout: its headers identify the header row.
    known = {normalise_header(k) for k in mapping or {}}
    table = read_table(path, lambda text: normalise_header(text) in known or header_score(text))
    mapping = mapping or guess_mapping(table.headers, record_type)
    plan = analyse(store, table, record_type, grid, mapping, on_duplicate, progress)
    error_path = None
    if plan.failed:
        target = Path(errors_path) if errors_path else default_error_path(Path(path))
        error_path = write_error_workbook(target, plan, written=not dry_run)
    if not dry_run:
        commit(store, plan, progress)
    return report_of(plan, dry_run, error_path)
