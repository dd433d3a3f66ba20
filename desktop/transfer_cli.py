"""The `import` command of gridbook-cli and the xlsx / labelled / 一户一表 side of `export`.

Import exits 0 when the file was processed, even if some rows failed (they are in the
error workbook, and the output says so); 2 when the file or the mapping is unusable.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sync import messages

from .services import exporting
from .services.importing import IMPORTABLE, BadFile, BadMapping, MissingColumns, import_file, load_mapping
from .services.importing.headers import KEY_FIELDS

COMMANDS = ("import",)
EXIT_BAD_INPUT = 2


def add_commands(sub: argparse._SubParsersAction) -> None:
    cmd = sub.add_parser("import", help="import a ledger (.xls, .xlsx, .ods or .csv): households, residents, "
                                        "buildings, organisations")
    cmd.add_argument("file")
    cmd.add_argument("--type", required=True, choices=IMPORTABLE, dest="record_type")
    cmd.add_argument("--grid", help="grid code the records belong to (a resident list's households go here)")
    cmd.add_argument("--mapping", help="JSON file {column header: field} correcting the guessed columns")
    cmd.add_argument("--dry-run", action="store_true", help="check every row and report, write nothing")
    cmd.add_argument("--errors", metavar="OUT.xlsx", help="where to write the failed rows "
                                                          "(default: FILE_错误行.xlsx beside the file)")
    cmd.add_argument("--on-duplicate", choices=("merge", "skip"), default="merge",
                     help="a record already in the ledger (same ID number or id): update it, or leave it")
    cmd.add_argument("--json", action="store_true", help="print the report as JSON")
    cmd.add_argument("--accept-missing", metavar="FIELDS", default="",
                     help="go on although no column gives these fields (comma-separated: id_number,phone; "
                          "head_id_number,phone for households); without it such an import stops before writing")
    cmd.add_argument("--address", metavar="TEXT", help="the address of households the file gives none for "
                                                       "(default: left empty and marked 地址待补充)")


def add_export_options(export: argparse.ArgumentParser) -> None:
    export.add_argument("--grid", help="only this grid's records")
    export.add_argument("--include-sensitive", action="store_true",
                        help="keep the sensitive key groups (left out otherwise; only for roles the township allows)")
    export.add_argument("--household-forms", action="store_true",
                        help="one-household-one-form (一户一表): a sheet per household (.xlsx) or a page (.pdf)")
    export.add_argument("--labels", action="store_true",
                        help="CSV with Chinese headers and values, as people read them (xlsx always is)")


def run(args: argparse.Namespace, ledger) -> int:
    mapping = None
    try:
        if args.mapping:
            mapping = load_mapping(args.mapping, args.record_type)
    except (OSError, ValueError) as exc:
        return _bad(messages.render("import_bad_mapping", path=args.mapping, detail=exc))
    accepted = [f.strip() for f in args.accept_missing.split(",") if f.strip()]
    wrong = [f for f in accepted if f not in KEY_FIELDS.get(args.record_type, ())]
    if wrong:
        return _bad(messages.render("import_bad_accept", fields=",".join(wrong),
                                    choices=",".join(KEY_FIELDS.get(args.record_type, ())) or "-"))
    try:
        report = import_file(ledger.store, args.file, args.record_type, args.grid, mapping, args.dry_run,
                             args.on_duplicate, args.errors, accept_missing=accepted, default_address=args.address)
    except MissingColumns as exc:
        if args.json:
            print(json.dumps({**exc.report.as_dict(), "stopped": "missing_columns"}, ensure_ascii=False))
        else:
            print("\n".join(exc.report.layout_lines()))
        return _bad(exc.message())
    except BadFile as exc:
        detail = str(exc)
        if detail == "no header":
            return _bad(messages.render("import_no_header", path=args.file))
        return _bad(messages.render("import_bad_file", path=args.file, detail=detail))
    except BadMapping as exc:
        return _bad(messages.render("import_bad_mapping", path=args.mapping or "-", detail=exc))
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False))
        return 0
    print("\n".join(report.layout_lines()))
    print(report.summary())
    for line in report.detail_lines():
        print(line)
    for flag in report.flags:
        print("  " + flag)
    for number, reasons in report.errors[:20]:
        print(f"  {number}: {reasons}")
    if report.failed:
        print(messages.render("import_failed_rows", failed=report.failed, path=report.error_path))
    if report.dry_run:
        print(messages.render("import_dry_run"))
    return 0


def export(args: argparse.Namespace, ledger, types: list[str]) -> int | None:
    """The export cases the services module handles; None leaves the JSON/CSV stream to the caller."""
    labelled_csv = args.format == "csv" and (args.labels or args.grid)
    if args.format == "json" and args.grid and not args.household_forms:
        return _bad("--grid 只用于 xlsx、csv 导出和一户一表。" if messages.language() != "en"
                    else "--grid works with xlsx and csv exports and household forms only.")
    if not (args.format == "xlsx" or args.household_forms or labelled_csv):
        return None
    if not args.out:
        return _bad("请用 --out 指定要写入的文件（.xlsx 或 .pdf）。" if messages.language() != "en"
                    else "Name the file to write (.xlsx or .pdf) with --out.")
    if args.household_forms and Path(args.out).suffix.lower() == ".pdf":
        from .ui.printing import household_forms_pdf  # Qt only for this one output
        count = household_forms_pdf(ledger, Path(args.out), args.grid, include_sensitive=args.include_sensitive)
    elif args.household_forms:
        count = exporting.household_forms(ledger, Path(args.out), args.grid, include_sensitive=args.include_sensitive)
    elif len(types) != 1:
        return _bad("导出表格需要且只能指定一个 --type。" if messages.language() != "en"
                    else "A spreadsheet export needs exactly one --type.")
    else:
        count = exporting.export_table(ledger, types[0], Path(args.out), args.grid, fmt=args.format,
                                       include_sensitive=args.include_sensitive)
    print(count)
    return 0


def _bad(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_BAD_INPUT
