"""The sync commands of gridbook-cli: login, sync (network or file), logout."""
from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import asdict

import orjson

from sync import messages

from .engine import SyncEngine
from .errors import LoginRefused, SyncError

COMMANDS = ("login", "sync", "logout")
# tries after the first on a network failure; a scheduled task on a poor line may want more
RETRIES_ENV = "GRIDBOOK_SYNC_RETRIES"

messages.register({
    "client_login_ok": ("已登录乡镇站 {station}：用户 {user}（{role}），负责网格 {grids}。",
                        "Logged in to {station} as {user} ({role}), grids {grids}."),
    "client_password": ("密码：", "Password: "),
    "client_station_needed": ("请用 --station 指定乡镇站地址。", "Name the station with --station URL."),
    "client_sync_done": ("同步完成：上传 {pushed} 条，下载 {pulled} 条，退回 {set_aside} 条，冲突 {conflicts} 条。",
                         "Synced: {pushed} sent, {pulled} received, {set_aside} set aside, {conflicts} conflicts."),
    "client_exported": ("已将 {count} 条变更导出到 {path}，请带到乡镇站导入。",
                        "Exported {count} changes to {path}: take it to the township station to import."),
    "client_imported": ("已导入回执：确认 {pushed} 条，下载 {pulled} 条，退回 {set_aside} 条。",
                        "Reply imported: {pushed} confirmed, {pulled} received, {set_aside} set aside."),
    "client_logged_out": ("已退出登录。", "Logged out."),
})


def add_commands(sub: argparse._SubParsersAction) -> None:
    login = sub.add_parser("login", help="log in to a township station and register this device")
    login.add_argument("--station", help="station address, e.g. https://zhan.example.cn or http://192.168.1.10:8470")
    login.add_argument("--user", required=True)
    login.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    login.add_argument("--ca-bundle", metavar="FILE", help="the township's own CA certificate(s), PEM")
    sync = sub.add_parser("sync", help="send pending changes, then receive the station's (or use a file)")
    how = sync.add_mutually_exclusive_group()
    how.add_argument("--export", metavar="FILE", help="write pending changes to a sync file instead")
    how.add_argument("--import", metavar="FILE", dest="import_file", help="apply a reply file from the station")
    sync.add_argument("--json", action="store_true", help="print the counts as JSON")
    sub.add_parser("logout", help="forget this device's login")


def run(args: argparse.Namespace, ledger) -> int:
    """Run a sync command; a SyncError becomes one line on stderr and exit code 1."""
    engine = SyncEngine(ledger.store, retries=int(os.environ.get(RETRIES_ENV, "4")))
    try:
        if args.command == "login":
            return _login(engine, args)
        if args.command == "logout":
            engine.logout()
            print(messages.render("client_logged_out"))
        elif args.export:
            count = engine.export_file(args.export)
            print(messages.render("client_exported", count=count, path=args.export))
        elif args.import_file:
            _print_result(engine.import_reply(args.import_file), "client_imported", args.json)
        else:
            _print_result(engine.sync(), "client_sync_done", args.json)
    except LoginRefused as exc:            # nothing was asked of the station: a choice for the user
        print(exc.message(), file=sys.stderr)
        return 2
    except SyncError as exc:
        print(exc.message(), file=sys.stderr)
        return 1
    return 0


def _login(engine: SyncEngine, args) -> int:
    station = args.station or engine.station_url
    if not station:
        print(messages.render("client_station_needed"), file=sys.stderr)
        return 2
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = getpass.getpass(messages.render("client_password"))
    info = engine.login(station, args.user, password, ca_bundle=args.ca_bundle)
    if info["token_store"] == "file":
        print(messages.render("client_token_file"), file=sys.stderr)
    print(messages.render("client_login_ok", station=engine.station_url, user=info["user"], role=info["role"],
                          grids=", ".join(info["grids"]) or "-"))
    return 0


def _print_result(result, code: str, as_json: bool) -> None:
    if as_json:
        print(orjson.dumps(asdict(result)).decode())
    else:
        print(messages.render(code, **asdict(result)))
