"""gridbook-cli visit add | list | due | case: key-group follow-up visits (重点人群走访)."""
from __future__ import annotations

import argparse

from sync import incidents, messages, records, sensitive

from ..services.ledger import to_json
from ..services.visits import Visits

COMMANDS = ("visit",)

messages.register({
    "cli_visit_due": ("{status}\t{name}\t{tags}\t每 {days} 天\t上次 {last}\t应访 {due}",
                      "{status}\t{name}\t{tags}\tevery {days} days\tlast {last}\tdue {due}"),
    "cli_visit_never": ("从未走访", "never"),
})


def add_commands(sub: argparse._SubParsersAction) -> None:
    visit = sub.add_parser("visit", help="key-group follow-up visits").add_subparsers(dest="visit_command",
                                                                                       required=True)
    add = visit.add_parser("add", help="record a visit to a resident (now, by this laptop's user)")
    add.add_argument("--person", required=True, help="the resident's id")
    add.add_argument("--method", choices=records.VISIT_METHODS, default="home")
    add.add_argument("--findings")
    add.add_argument("--needs")
    add.add_argument("--notes")
    add.add_argument("--at", dest="visited_at", help="when, e.g. 2026-03-01T09:30:00+08:00 (default: now)")
    listing = visit.add_parser("list", help="visits as JSON lines, newest first")
    listing.add_argument("--person", help="one resident's history")
    listing.add_argument("--grid")
    due = visit.add_parser("due", help="key-group residents overdue or due for a visit")
    due.add_argument("--grid")
    due.add_argument("--all", action="store_true", help="everyone with a visit rule, not only due and overdue")
    due.add_argument("--json", action="store_true")
    case = visit.add_parser("case", help="raise a case from a visit's needs")
    case.add_argument("visit")
    case.add_argument("--title", required=True)
    case.add_argument("--category", choices=records.INCIDENT_CATEGORIES, default="livelihood")
    case.add_argument("--description")


def run(args: argparse.Namespace, ledger) -> int:
    service = Visits(ledger.store)
    if args.visit_command == "add":
        print(service.record(args.person, method=args.method, findings=args.findings, needs=args.needs,
                             notes=args.notes, visited_at=args.visited_at))
    elif args.visit_command == "list":
        rows = service.history(args.person) if args.person else service.in_grid(args.grid)
        for row in rows:
            print(to_json({k: v for k, v in row.items() if k not in records.SYNC_COLUMNS}))
    elif args.visit_command == "case":
        print(service.raise_case(args.visit, args.title, args.category, args.description))
    else:
        _print_due(service, args)
    return 0


def _when(ms: int | None) -> str:
    return incidents.ms_iso(ms)[:10] if ms is not None else messages.render("cli_visit_never")


def _print_due(service: Visits, args: argparse.Namespace) -> None:
    for due in service.due(args.grid, include_ok=args.all):
        person = due.person
        tags = sensitive.visible(due.rule_tags, service.full_view(person["grid_code"]))
        if args.json:
            print(to_json({"person_id": person["id"], "name": person["name"], "grid_code": person["grid_code"],
                           "tags": tags, "interval_days": due.interval_days, "status": due.status,
                           "last_visit": incidents.ms_iso(due.last_ms) if due.last_ms else None,
                           "due": incidents.ms_iso(due.due_ms) if due.due_ms else None}))
            continue
        print(messages.render("cli_visit_due", status=messages.value_label(due.status), name=person["name"],
                              tags="、".join(messages.value_label(t) for t in tags), days=due.interval_days,
                              last=_when(due.last_ms), due=_when(due.due_ms)))
