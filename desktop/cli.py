"""gridbook-cli: a thin command line over the services, for admins, scheduled tasks and tests.

Exit codes: 0 success; 2 bad input (a clear message on stderr, the store unchanged), a missing
or wrong recovery passphrase included; 1 anything else, such as an unreachable station.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import sys

from sync import gc_tuning, messages, records
from sync.validation import ValidationError

from . import duty_cli, passphrase_cli
from . import transfer_cli as import_cli
from .services import Ledger
from .services.ledger import to_json
from .store import doctor
from .store.keys import KeyUnavailable
from .store.repository import NotFound, StorageFullError
from .syncing import cli as sync_cli

EXIT_BAD_INPUT = 2


class BadInput(Exception):
    """A mistake in what the user typed; the message says how to fix it."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gridbook-cli", description="Gridbook 网格台账 command line")
    parser.add_argument("--data", help="data folder (default: the user data folder, or GRIDBOOK_DATA)")
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="language of messages (default zh_CN)")
    sub = parser.add_subparsers(dest="command", required=True)

    grid = sub.add_parser("grid", help="the grid hierarchy").add_subparsers(dest="grid_command", required=True)
    add = grid.add_parser("add", help="add a unit of the hierarchy")
    add.add_argument("--code", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--level", required=True, choices=records.GRID_LEVELS)
    add.add_argument("--parent")
    grid.add_parser("list", help="list the hierarchy as JSON lines")

    put = sub.add_parser("put", help="create a record, or change the fields named for an existing id")
    put.add_argument("type")
    put.add_argument("--json", required=True, dest="payload")
    get = sub.add_parser("get", help="show one record as JSON")
    get.add_argument("type")
    get.add_argument("id")
    lst = sub.add_parser("list", help="list records as JSON lines")
    lst.add_argument("type")
    lst.add_argument("--grid")
    delete = sub.add_parser("delete", help="delete a record (kept as a tombstone and synced)")
    delete.add_argument("type")
    delete.add_argument("id")
    find = sub.add_parser("search", help="find households and residents by name, pinyin, ID, phone, address")
    find.add_argument("text")
    find.add_argument("--limit", type=int, default=50)
    status = sub.add_parser("status", help="pending changes, last sync, device id, data file")
    status.add_argument("--json", action="store_true")
    doctor = sub.add_parser("doctor", help="check the data file: integrity, rows and bytes per table, search index")
    doctor.add_argument("--mend", action="store_true", help="rebuild the search index from the records and optimise it")
    export = sub.add_parser("export", help="export records")
    export.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
    export.add_argument("--type", action="append", dest="types")
    export.add_argument("--out", help="file to write (default: standard output)")
    import_cli.add_export_options(export)
    import_cli.add_commands(sub)
    duty_cli.add_commands(sub)
    sync_cli.add_commands(sub)
    passphrase_cli.add_options(parser, sub)
    return parser


def _record_type(name: str) -> str:
    if name not in records.RECORD_TYPES:
        raise BadInput(messages.render("unknown_type", value=name, choices=", ".join(records.RECORD_TYPES)))
    return name


def _payload(text: str) -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadInput(messages.render("bad_json", detail=str(exc))) from exc
    if not isinstance(value, dict):
        raise BadInput(messages.render("bad_json", detail="expected an object {...}"))
    return value


def run(args: argparse.Namespace, ledger: Ledger) -> int:
    out = sys.stdout
    if args.command in sync_cli.COMMANDS:
        return sync_cli.run(args, ledger)
    if args.command in import_cli.COMMANDS:
        return import_cli.run(args, ledger)
    if args.command in duty_cli.COMMANDS:
        return duty_cli.run(args, ledger)
    if args.command in passphrase_cli.COMMANDS:
        return passphrase_cli.run(args, ledger.store)
    if args.command == "grid":
        if args.grid_command == "add":
            print(ledger.add_grid(args.code, args.name, args.level, args.parent))
        else:
            for row in ledger.list("grid"):
                print(to_json(row))
    elif args.command == "put":
        print(ledger.put(_record_type(args.type), _payload(args.payload)))
    elif args.command == "get":
        row = ledger.get(_record_type(args.type), args.id)
        if row is None:
            raise NotFound(args.type, args.id)
        print(to_json(duty_cli.full_view_row(ledger, args.type, row)))
    elif args.command == "list":
        for row in ledger.list(_record_type(args.type), args.grid):
            print(to_json(duty_cli.list_row(args.type, row)))
    elif args.command == "delete":
        ledger.delete(_record_type(args.type), args.id)
    elif args.command == "search":
        for row in ledger.search(args.text, limit=args.limit):
            print(to_json(row))
    elif args.command == "status":
        _print_status(ledger, args.json)
    elif args.command == "doctor":
        found = doctor.examine(ledger.store, mend=args.mend)
        print(to_json(found))
        return 0 if found["integrity"] == "ok" and found["search_index"] == "ok" else 1
    elif args.command == "export":
        types = [_record_type(t) for t in args.types or []]
        handled = import_cli.export(args, ledger, types)
        if handled is not None:
            return handled
        if args.format == "csv" and len(types) != 1:
            raise BadInput("CSV 导出需要且只能指定一个 --type。" if messages.language() != "en"
                           else "CSV export needs exactly one --type.")
        encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
        with open(args.out, "w", encoding=encoding, newline="") if args.out else contextlib.nullcontext(out) as target:
            ledger.export(args.format, target, types or None, include_sensitive=args.include_sensitive)
    return 0


def _print_status(ledger: Ledger, as_json: bool) -> None:
    status = ledger.status()
    if as_json:
        print(to_json({**status.as_dict(), "set_aside_changes": ledger.set_aside()}))
        return
    en = messages.language() == "en"
    lines = [("pending", "待同步变更", status.pending), ("set aside", "被退回变更", status.set_aside),
             ("last sync", "上次同步", status.last_sync or ("never" if en else "从未同步")),
             ("station", "乡镇站", status.station or ("not logged in" if en else "未登录")),
             ("user", "用户", status.user or ("not logged in" if en else "未登录")),
             ("device", "设备编号", status.device_id), ("data file", "数据文件", status.data_file)]
    for english, chinese, value in lines:
        print(f"{english if en else chinese}: {value}")
    if status.identity_note:
        print(status.identity_note)
    if status.sync_check and status.sync_check.get("ok") is False:
        print(messages.render("client_check_differs", types="、".join(messages.type_label(t)
                                                                  for t in status.sync_check["types"])))
    for item in ledger.set_aside():
        print(f"  #{item['seq']} {item['type']} {item['label']} ({item['id']}): {item['reason']}")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.lang:
        messages.set_language(args.lang)
    try:
        ledger = Ledger(passphrase_cli.open_for(args))
        gc_tuning.settle()              # an import or a sync makes a large heap: see sync.gc_tuning
        return run(args, ledger)
    except KeyUnavailable as exc:
        print(exc.message(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except (ValidationError, BadInput) as exc:
        print(str(exc) if isinstance(exc, BadInput) else exc.message(), file=sys.stderr)
        return EXIT_BAD_INPUT
    except NotFound as exc:
        print(messages.render("not_found", type=messages.type_label(exc.record_type), id=exc.record_id),
              file=sys.stderr)
        return EXIT_BAD_INPUT
    except StorageFullError:
        print(messages.render("storage_full"), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
