"""gridbook-cli patrol start | stop | today | hazard: the patrol timer and the hazards found on it."""
from __future__ import annotations

import argparse

from sync import messages, records

from ..services.ledger import to_json
from ..services.patrols import Patrols

COMMANDS = ("patrol",)

messages.register({
    "cli_patrol_today": ("今日巡查 {hours} 小时，目标 {target} 小时：{state}",
                         "Patrolled {hours} hours today, target {target}: {state}"),
    "cli_patrol_met": ("已达标", "met"), "cli_patrol_not_met": ("未达标", "not met"),
    "cli_patrol_running": ("巡查进行中，{since} 开始（{grid}）", "Patrol running since {since} ({grid})"),
})


def add_commands(sub: argparse._SubParsersAction) -> None:
    patrol = sub.add_parser("patrol", help="the patrol timer").add_subparsers(dest="patrol_command", required=True)
    start = patrol.add_parser("start", help="start a patrol now")
    start.add_argument("--grid", help="the grid patrolled (default: this laptop's first grid)")
    start.add_argument("--notes")
    stop = patrol.add_parser("stop", help="end the running patrol now")
    stop.add_argument("--notes")
    patrol.add_parser("today", help="today's hours against the target, and the running patrol").add_argument(
        "--json", action="store_true")
    hazard = patrol.add_parser("hazard", help="a hazard found on a patrol, raised as a case linked to it")
    hazard.add_argument("--title", required=True)
    hazard.add_argument("--patrol", help="the patrol (default: the running one)")
    hazard.add_argument("--category", choices=records.INCIDENT_CATEGORIES, default="safety_hazard")
    hazard.add_argument("--description")
    hazard.add_argument("--location")


def run(args: argparse.Namespace, ledger) -> int:
    service = Patrols(ledger.store)
    if args.patrol_command == "start":
        print(service.start(args.grid or service.default_grid() or "", args.notes))
    elif args.patrol_command == "stop":
        print(service.stop(args.notes))
    elif args.patrol_command == "hazard":
        print(service.report_hazard(args.title, args.patrol, args.category, args.description, args.location))
    else:
        today = service.today()
        if args.json:
            print(to_json({"hours": today.hours, "target": today.target, "met": today.met,
                           "running": today.running and {k: today.running[k] for k in records.fields_of("patrol")}}))
            return 0
        state = messages.render("cli_patrol_met" if today.met else "cli_patrol_not_met")
        print(messages.render("cli_patrol_today", hours=f"{today.hours:.2f}", target=today.target, state=state))
        if today.running:
            print(messages.render("cli_patrol_running", since=today.running["started_at"],
                                  grid=today.running["grid_code"]))
    return 0
