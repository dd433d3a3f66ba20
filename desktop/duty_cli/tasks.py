"""gridbook-cli task list | done | add | withdraw: the grid task list (网格事务清单) on a laptop."""
from __future__ import annotations

import argparse

from sync import incidents, messages, records

from ..services.ledger import to_json
from ..services.tasks import Tasks

COMMANDS = ("task",)


def add_commands(sub: argparse._SubParsersAction) -> None:
    task = sub.add_parser("task", help="the grid task list").add_subparsers(dest="task_command", required=True)
    listing = task.add_parser("list", help="each item per grid: overdue, open or done")
    listing.add_argument("--grid", help="grids under this code (default: all of this laptop's)")
    listing.add_argument("--overdue", action="store_true", help="only the overdue ones")
    listing.add_argument("--json", action="store_true")
    done = task.add_parser("done", help="mark an item done for a grid, with a note")
    done.add_argument("id")
    done.add_argument("--grid", required=True)
    done.add_argument("--note")
    done.add_argument("--period", help="another period than the current one, e.g. a missed week 2026-W10")
    add = task.add_parser("add", help="publish an item (township and county accounts)")
    add.add_argument("--unit", required=True)
    add.add_argument("--title", required=True)
    add.add_argument("--done-when")
    add.add_argument("--owner", choices=records.TASK_OWNERS, default="worker")
    add.add_argument("--frequency", choices=records.TASK_FREQUENCIES, default="once")
    add.add_argument("--deadline")
    task.add_parser("withdraw", help="withdraw an item (township and county accounts)").add_argument("id")


def run(args: argparse.Namespace, ledger) -> int:
    service = Tasks(ledger.store)
    if args.task_command == "done":
        print(service.mark_done(args.id, args.grid, args.note, args.period))
    elif args.task_command == "add":
        print(service.publish(args.unit, args.title, done_when=args.done_when, owner_role=args.owner,
                              frequency=args.frequency, deadline=args.deadline))
    elif args.task_command == "withdraw":
        service.withdraw(args.id)
    else:
        for s in service.overdue(args.grid) if args.overdue else service.board(args.grid):
            shown = s.overdue or s.current
            row = {"id": s.item["id"], "title": s.item["title"], "grid_code": s.grid_code, "status": s.status,
                   "frequency": s.item["frequency"], "period": shown.period if shown else None,
                   "due": incidents.ms_iso(shown.due_ms) if shown and shown.due_ms else None,
                   "note": (shown.done or {}).get("note") if shown else None}
            if args.json:
                print(to_json(row))
            else:
                print("\t".join([messages.value_label(row["status"]), row["grid_code"], row["title"],
                                 messages.value_label(row["frequency"]), row["period"] or "", row["due"] or ""]))
    return 0
