"""gridbook-station task … and assess …: the duty cycle's station commands, wired into cli.py by two calls."""
from __future__ import annotations

import sys
from pathlib import Path

import orjson

from sync import assessment_files, messages, records

from . import assessments, boundaries, db, task_list

COMMANDS = ("task", "assess", "boundary")

messages.register({"task_published": ("已发布或更新 {count} 项。", "{count} items published or updated."),
                   "task_withdrawn": ("已撤回 {count} 项。", "{count} items withdrawn.")})


def add_commands(sub) -> None:
    task = sub.add_parser("task", help="the grid task list (网格事务清单)").add_subparsers(dest="action",
                                                                                        required=True)
    imp = task.add_parser("import", help="publish the items of a CSV or XLSX ledger for a unit")
    imp.add_argument("file")
    imp.add_argument("--unit", required=True, help="the township, village or grid code the items apply to")
    add = task.add_parser("add", help="publish one item")
    add.add_argument("--unit", required=True)
    add.add_argument("--title", required=True)
    add.add_argument("--done-when")
    add.add_argument("--owner", choices=records.TASK_OWNERS, default="worker")
    add.add_argument("--frequency", choices=records.TASK_FREQUENCIES, default="once")
    add.add_argument("--deadline", help="a one-off item's, e.g. 2026-03-31T17:00:00+08:00")
    listing = task.add_parser("list", help="the items of a unit (and of the units above and below it)")
    listing.add_argument("--unit")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--out", help="write the ledger to a .csv or .xlsx file (it imports back)")
    task.add_parser("withdraw", help="withdraw items").add_argument("ids", nargs="+")
    boundary = sub.add_parser("boundary", help="grid boundaries for the offline map").add_subparsers(
        dest="action", required=True)
    boundary.add_parser("import", help="a GeoJSON FeatureCollection, one feature per grid (properties.code)") \
        .add_argument("file")
    boundary.add_parser("list", help="the boundaries held, with their number of points")
    assess = sub.add_parser("assess", help="workers' assessments (考核)").add_subparsers(dest="action", required=True)
    show = assess.add_parser("show", help="each worker's measured inputs, score and grade for a period")
    show.add_argument("--period", required=True, help="2026, 2026-H1, 2026-Q1 or 2026-03")
    show.add_argument("--worker")
    show.add_argument("--format", choices=["text", "json", "html"], default="text")
    show.add_argument("--out", help="write to this file (html prints one worker per page)")
    grade = assess.add_parser("grade", help="record a worker's final grade with its reason")
    grade.add_argument("worker")
    grade.add_argument("--period", required=True)
    grade.add_argument("--grade", required=True, choices=records.GRADES)
    grade.add_argument("--reason", required=True)


def run(engine, args, actor: str, lang: str) -> int:
    if args.command == "assess":
        return _assess(engine, args, actor, lang)
    if args.command == "boundary":
        if args.action == "import":
            rows = boundaries.read_file(args.file)
            with engine.begin() as conn:
                print(boundaries.import_rows(conn, actor, rows, lang))
        else:
            with db.reading(engine) as conn:
                for row in boundaries.listing(conn):
                    print(f"{row['grid_code']}\t{row['points']}")
        return 0
    if args.action in ("import", "add"):
        rows = task_list.read_file(args.file) if args.action == "import" else [
            {k: v for k, v in (("title", args.title), ("done_when", args.done_when), ("owner_role", args.owner),
                               ("frequency", args.frequency), ("deadline", args.deadline)) if v}]
        with engine.begin() as conn:
            count = task_list.publish(conn, actor, args.unit, rows, lang)
        print(messages.render("task_published", lang, count=count))
    elif args.action == "withdraw":
        with engine.begin() as conn:
            count = task_list.withdraw(conn, actor, args.ids)
        print(messages.render("task_withdrawn", lang, count=count))
    else:
        with db.reading(engine) as conn:
            items = task_list.listing(conn, args.unit)
        if args.out:
            print(task_list.export(items, args.out, lang))
        elif args.json:
            sys.stdout.write(orjson.dumps(items).decode() + "\n")
        else:
            for item in items:
                print("\t".join(str(v) for v in task_list.to_table([item], lang)[1][0]))
    return 0


def _assess(engine, args, actor: str, lang: str) -> int:
    if args.action == "grade":
        with engine.begin() as conn:
            found = [assessments.grade(conn, actor, None, args.worker, args.period, args.grade, args.reason, lang)]
    else:
        with db.reading(engine) as conn:
            found = assessments.sheets(conn, None, args.period, args.worker)
    if getattr(args, "format", "text") == "json":
        text = orjson.dumps(found, option=orjson.OPT_INDENT_2).decode() + "\n"
    elif getattr(args, "format", "text") == "html":
        text = assessment_files.sheet_html(found, lang)
    else:
        text = "\n\n".join("\n".join(assessment_files.lines(s, lang)) for s in found) + "\n"
    if getattr(args, "out", None):
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
