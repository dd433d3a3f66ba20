"""gridbook-cli defence add | list | join | leave | record | alert | sheet | coverage: ten-household groups."""
from __future__ import annotations

import argparse
from pathlib import Path

from sync import records

from ..services.defence import Defence
from ..services.ledger import to_json

COMMANDS = ("defence",)


def _ids(text: str | None) -> list[str]:
    return [i.strip() for i in (text or "").split(",") if i.strip()]


def add_commands(sub: argparse._SubParsersAction) -> None:
    defence = sub.add_parser("defence", help="ten-household joint defence groups (十户联防)").add_subparsers(
        dest="defence_command", required=True)
    add = defence.add_parser("add", help="a new group of a grid's households")
    add.add_argument("--grid", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--leader", required=True, help="the leader's name (联防长)")
    add.add_argument("--phone", help="the leader's phone")
    add.add_argument("--households", help="member household ids, comma separated")
    defence.add_parser("list", help="groups as JSON lines").add_argument("--grid")
    for name, text in (("join", "add households to a group"), ("leave", "take households out of a group")):
        move = defence.add_parser(name, help=text)
        move.add_argument("group")
        move.add_argument("--households", required=True)
    record = defence.add_parser("record", help="a watch or drill of the group, now")
    record.add_argument("group")
    record.add_argument("--activity", choices=("watch", "drill"), default="watch")
    record.add_argument("--participants")
    record.add_argument("--notes")
    alert = defence.add_parser("alert", help="an alert for the group; it becomes a case")
    alert.add_argument("group")
    alert.add_argument("--type", dest="alert_type", choices=records.ALERT_TYPES, required=True)
    alert.add_argument("--title", required=True)
    alert.add_argument("--notes")
    sheet = defence.add_parser("sheet", help="print the groups' contact sheets to PDF (or HTML)")
    sheet.add_argument("groups", nargs="+")
    sheet.add_argument("--out", required=True, help="a .pdf or .html file")
    defence.add_parser("coverage", help="households in a group, per grid").add_argument("--grid")


def run(args: argparse.Namespace, ledger) -> int:
    service = Defence(ledger.store)
    command = args.defence_command
    if command == "add":
        print(service.save_group({"grid_code": args.grid, "name": args.name, "leader_name": args.leader,
                                  "phone": args.phone, "household_ids": _ids(args.households)}))
    elif command == "list":
        for group in service.groups(args.grid):
            print(to_json({k: group[k] for k in records.fields_of("defence_group")}))
    elif command in ("join", "leave"):
        move = service.join if command == "join" else service.leave
        print(move(args.group, _ids(args.households)))
    elif command == "record":
        print(service.record(args.group, args.activity, args.participants, args.notes))
    elif command == "alert":
        print(to_json(dict(zip(("activity", "case"), service.alert(args.group, args.alert_type, args.title,
                                                                     args.notes), strict=True))))
    elif command == "sheet":
        html = service.contact_sheet_html(args.groups)
        out = Path(args.out)
        if out.suffix.lower() == ".pdf":
            from ..ui.printing import html_to_pdf  # Qt only for this one output
            html_to_pdf(html, out)
        else:
            out.write_text(html, encoding="utf-8")
        print(len(args.groups))
    else:
        for row in service.coverage(args.grid):
            print(to_json({k: row[k] for k in ("grid_code", "groups", "households", "covered", "coverage")}))
    return 0
