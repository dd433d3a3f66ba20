"""gridbook-station report | setting | inbox: the case commands, wired into cli.py by two calls."""
from __future__ import annotations

import sys
from pathlib import Path

import orjson

from sync import messages, report_files

from . import db, incidents, reports

COMMANDS = ("report", "setting", "inbox")


def add_commands(sub) -> None:
    report = sub.add_parser("report", help="case statistics of a unit over a date range")
    report.add_argument("--from", dest="start", help="first day, e.g. 2026-01-01 (default: first of this month)")
    report.add_argument("--to", dest="end", help="last day (default: today)")
    report.add_argument("--unit", help="a unit code of the hierarchy (default: everything)")
    report.add_argument("--format", choices=["text", "json", "csv", "xlsx"], default="text")
    report.add_argument("--out", help="write to this file (needed for xlsx)")
    setting = sub.add_parser("setting", help="case deadlines and warning colours").add_subparsers(
        dest="action", required=True)
    show = setting.add_parser("show")
    show.add_argument("name", nargs="?")
    show.add_argument("--unit", help="as a county or township sees it (its own over its county's)")
    put = setting.add_parser("set")
    put.add_argument("name")
    put.add_argument("value", help="a JSON object, merged over the default when read")
    put.add_argument("--unit", help="a county (6 digits) or township (9) code; default: the station-wide default")
    inbox = sub.add_parser("inbox", help="open cases held at a level")
    inbox.add_argument("--level", choices=["township", "county"], default="township")
    inbox.add_argument("--json", action="store_true")


def run(engine, args, actor: str, lang: str) -> int:
    if args.command == "setting" and args.action == "set":
        with engine.begin() as conn:
            value = incidents.put_setting(conn, actor, args.name, args.value, getattr(args, "unit", None))
        sys.stdout.write(orjson.dumps(value, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    with db.reading(engine) as conn:
        if args.command == "setting":
            found = incidents.load_settings(conn).for_unit(getattr(args, "unit", None))
            found = found.get(args.name, found)
            sys.stdout.write(orjson.dumps(found, option=orjson.OPT_INDENT_2).decode() + "\n")
            return 0
        if args.command == "inbox":
            cases = incidents.inbox(conn, None, "county" if args.level == "county" else "township")
            if args.json:
                sys.stdout.write(orjson.dumps(cases).decode() + "\n")
            for c in [] if args.json else cases:
                colour = messages.value_label(c["colour"], lang, field="colour", record_type="warning") \
                    if c["colour"] else ""
                print(f"{c['id']}\t{c['grid_code']}\t{c['title']}\t"
                      f"{messages.value_label(c['status'], lang, field='status', record_type='incident')}\t"
                      f"{c['deadline'] or ''}\t{colour}")
            return 0
        found = reports.report(conn, None, args.unit, args.start, args.end)
    return _write_report(found, args, lang)


def _write_report(found: dict, args, lang: str) -> int:
    if args.format == "xlsx":
        Path(args.out or "report.xlsx").write_bytes(report_files.to_xlsx(found, lang))
        return 0
    if args.format == "json":
        text = orjson.dumps(found, option=orjson.OPT_INDENT_2).decode() + "\n"
    elif args.format == "csv":
        text = report_files.to_csv(found, lang)
    else:
        lines = [report_files.title(found, lang)]
        for heading, columns, rows in report_files.sections(found, lang):
            lines += ["", heading, "\t".join(columns), *("\t".join(str(v) for v in row) for row in rows)]
        text = "\n".join(lines) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
