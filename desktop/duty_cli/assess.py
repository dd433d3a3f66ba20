"""gridbook-cli assess show | grade: assessment sheets (from the station, or this laptop's own) and final grades."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sync import assessment_files, records

from ..services.assessments import Assessments
from ..services.ledger import to_json

COMMANDS = ("assess",)


def add_commands(sub: argparse._SubParsersAction) -> None:
    assess = sub.add_parser("assess", help="assessments (考核)").add_subparsers(dest="assess_command", required=True)
    show = assess.add_parser("show", help="the workers' sheets from the station (--local: this laptop's own)")
    show.add_argument("--period", required=True, help="2026, 2026-H1, 2026-Q1 or 2026-03")
    show.add_argument("--worker")
    show.add_argument("--local", action="store_true", help="compute this laptop's user's sheet from its own records")
    show.add_argument("--json", action="store_true")
    show.add_argument("--out", help="print the sheets to a .pdf (or .html) file")
    grade = assess.add_parser("grade", help="record a worker's final grade (township and county accounts)")
    grade.add_argument("worker")
    grade.add_argument("--period", required=True)
    grade.add_argument("--grade", required=True, choices=records.GRADES)
    grade.add_argument("--reason", required=True)


def _service(ledger) -> Assessments:
    from ..syncing import SyncEngine

    engine = SyncEngine(ledger.store)
    return Assessments(ledger.store, engine.assessments)


def run(args: argparse.Namespace, ledger) -> int:
    from ..syncing.errors import SyncError

    try:
        return _run(args, ledger)
    except SyncError as exc:             # the station cannot be reached, or refused: one line, exit 1
        print(exc.message(), file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, ledger) -> int:
    service = _service(ledger)
    if args.assess_command == "grade":
        sheet = service.from_station(args.period, args.worker)[0]
        print(service.grade(sheet, args.grade, args.reason))
        return 0
    sheets = [service.own_sheet(args.period)] if args.local else service.from_station(args.period, args.worker)
    if args.out:
        out = Path(args.out)
        if out.suffix.lower() == ".pdf":
            from ..ui.printing import html_to_pdf  # Qt only for this one output
            html_to_pdf(service.html(sheets), out)
        else:
            out.write_text(service.html(sheets), encoding="utf-8")
        print(len(sheets))
    elif args.json:
        for sheet in sheets:
            print(to_json(sheet))
    else:
        print("\n\n".join("\n".join(assessment_files.lines(s)) for s in sheets))
    return 0
