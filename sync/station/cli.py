"""gridbook-station: initialise, serve and administer a township sync station.

Exit codes: 0 success; 2 bad input (the message on stderr names what to fix,
and nothing was changed).
"""
from __future__ import annotations

import argparse
import getpass
import sys

import orjson
from sqlalchemy import String
from sqlalchemy.exc import OperationalError

from sync import messages, records

from . import admin, auth, conflicts, db, duty_cli, filesync, incident_cli, upstream_cli
from .errors import StationError
from .settings import StationSettings


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gridbook-station", description="网格台账乡镇同步站 / Gridbook township station")
    p.add_argument("--db", help="SQLAlchemy URL (default: a SQLite file in the user data folder)")
    p.add_argument("--lang", choices=["zh_CN", "en"], help="language of messages")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("init", help="create or migrate the database")
    serve = sub.add_parser("serve", help="serve the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8470)
    serve.add_argument("--log-level", default="warning")
    serve.add_argument("--tls-cert", metavar="PEM", help="serve HTTPS with this certificate (chain) file")
    serve.add_argument("--tls-key", metavar="PEM", help="the certificate's private key file")
    user = sub.add_parser("user").add_subparsers(dest="action", required=True)
    add = user.add_parser("add")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["worker", "township", "county", "station"])
    add.add_argument("--grids", required=True, help="CODE[,CODE]")
    add.add_argument("--password-stdin", action="store_true")
    user.add_parser("list").add_argument("--json", action="store_true")
    user.add_parser("disable").add_argument("name")
    device = sub.add_parser("device").add_subparsers(dest="action", required=True)
    device.add_parser("revoke").add_argument("id")
    grid = sub.add_parser("grid").add_subparsers(dest="action", required=True)
    grid.add_parser("import").add_argument("file")
    conflict = sub.add_parser("conflicts").add_subparsers(dest="action", required=True)
    listing = conflict.add_parser("list")
    listing.add_argument("--json", action="store_true")
    listing.add_argument("--all", action="store_true", help="include resolved conflicts")
    listing.add_argument("--offset", type=int, default=0, help="skip this many (oldest first)")
    listing.add_argument("--limit", type=int, default=conflicts.PAGE,
                         help=f"at most this many (default {conflicts.PAGE})")
    resolve = conflict.add_parser("resolve")
    resolve.add_argument("id", type=int)
    resolve.add_argument("--take", required=True, help="local | remote | merge (a duplicate) | a literal value")
    sub.add_parser("stats").add_argument("--json", action="store_true")
    imp = sub.add_parser("import", help="apply a push file from a USB stick and write the reply file")
    imp.add_argument("file")
    imp.add_argument("--user")
    imp.add_argument("--reply", help="reply file (default: FILE with .reply.gbsync)")
    link = sub.add_parser("upstream", help="link this station to its upper station (or --off)")
    link.add_argument("--station", metavar="URL", help="the upper station's address")
    link.add_argument("--user", help="this station's account there (role station)")
    link.add_argument("--password-stdin", action="store_true")
    link.add_argument("--ca-bundle", metavar="FILE", help="the CA that issued the upper station's certificate")
    link.add_argument("--off", action="store_true", help="unlink")
    link.add_argument("--by-file", action="store_true", help="no link at all: forward by sync file (with --grids)")
    link.add_argument("--grids", help="with --by-file: this station's scope at the upper station, comma-separated")
    forward = sub.add_parser("sync", help="forward to the upper station now (or by file: --export, --import)")
    forward.add_argument("--json", action="store_true")
    forward.add_argument("--export", metavar="FILE", help="write what goes up to a sync file")
    forward.add_argument("--import", dest="import_reply", metavar="REPLY", help="take the upper station's reply file")
    sub.add_parser("status", help="what waits to go to the upper station").add_argument("--json", action="store_true")
    incident_cli.add_commands(sub)
    duty_cli.add_commands(sub)
    return p


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _print_json(data) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def _literal(conflict_row: dict, text: str):
    """--take VALUE: text for text fields, JSON for lists, numbers and flags."""
    column = records.record_table(conflict_row["record_type"]).columns.get(conflict_row["field"])
    if column is not None and isinstance(column.type, String):
        return text
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise StationError(422, "bad_value", value=text) from exc


def _check_ready_to_serve(engine, lang: str | None = None) -> None:
    """Refuse an uninitialised database; a database that is down may come back, so serve (503s) anyway."""
    try:
        ready = db.is_ready(engine)
    except OperationalError as exc:
        print(messages.render("unavailable", lang), f"({exc.orig})", file=sys.stderr)
        return
    if not ready:
        raise StationError(422, "db_not_ready")


def _tls_options(args: argparse.Namespace, lang: str | None = None) -> dict:
    """uvicorn's TLS options from --tls-cert/--tls-key: both or neither, readable and a matching pair.
    Without them, serving beyond this computer is allowed (a LAN, or TLS ended by a reverse proxy)
    but said once: passwords and ID numbers would cross the network as plain text."""
    if not (args.tls_cert or args.tls_key):
        if args.host not in ("127.0.0.1", "localhost", "::1"):
            print(messages.render("serve_plain", lang, host=args.host), file=sys.stderr)
        return {}
    if not (args.tls_cert and args.tls_key):
        raise StationError(422, "tls_pair")
    import ssl

    try:
        ssl.create_default_context(ssl.Purpose.CLIENT_AUTH).load_cert_chain(args.tls_cert, args.tls_key)
    except (OSError, ssl.SSLError) as exc:
        raise StationError(422, "tls_files", cert=args.tls_cert, key=args.tls_key,
                           detail=getattr(exc, "strerror", None) or exc.args[-1]) from exc
    return {"ssl_certfile": args.tls_cert, "ssl_keyfile": args.tls_key}


def run(args: argparse.Namespace, settings: StationSettings, lang: str) -> int:
    url = args.db or settings.db or db.default_url()
    engine = db.make_engine(url)
    try:
        if args.command == "init":
            db.migrate(engine)
            print(url)
            return 0
        if args.command == "serve":
            tls = _tls_options(args, lang)
            _check_ready_to_serve(engine, lang)
            import uvicorn

            from .app import create_app
            engine.dispose()
            uvicorn.run(create_app(url, settings), host=args.host, port=args.port, log_level=args.log_level, **tls)
            return 0
        if not db.is_ready(engine):
            raise StationError(422, "db_not_ready")
        return _admin(engine, args, settings, lang)
    finally:
        engine.dispose()


def _admin(engine, args, settings: StationSettings, lang: str) -> int:
    actor = _actor()
    if args.command in incident_cli.COMMANDS:
        return incident_cli.run(engine, args, actor, lang)
    if args.command in ("upstream", "sync", "status"):
        return upstream_cli.run(engine, args, lang)
    if args.command in duty_cli.COMMANDS:
        return duty_cli.run(engine, args, actor, lang)
    if args.command == "user" and args.action == "add":
        if not args.password_stdin:
            raise StationError(422, "no_password")
        password = sys.stdin.readline().rstrip("\r\n")
        with engine.begin() as conn:
            admin.add_user(conn, actor, args.name, args.role, args.grids.split(","), password,
                           auth.Passwords.from_settings(settings))
    elif args.command == "user" and args.action == "list":
        with db.reading(engine) as conn:
            users = admin.list_users(conn)
        if args.json:
            _print_json(users)
        for u in [] if args.json else users:
            print(f"{u['name']}\t{u['role']}\t{','.join(u['grids'])}\t"
                  f"{'disabled' if u['disabled'] else 'active'}\tdevices={u['devices']}")
    elif args.command == "user" and args.action == "disable":
        with engine.begin() as conn:
            admin.disable_user(conn, actor, args.name)
    elif args.command == "device":
        with engine.begin() as conn:
            admin.revoke_device(conn, actor, args.id)
    elif args.command == "grid":
        rows = admin.read_grid_file(args.file)
        with engine.begin() as conn:
            print(admin.import_grids(conn, actor, rows, lang))
    elif args.command == "conflicts" and args.action == "list":
        if args.offset < 0 or not 0 < args.limit <= conflicts.MAX_PAGE:
            raise StationError(422, "conflicts_page", max=conflicts.MAX_PAGE)
        with db.reading(engine) as conn:
            found = conflicts.list_conflicts(conn, include_resolved=args.all, limit=args.limit, offset=args.offset)
            total = conflicts.count_conflicts(conn, include_resolved=args.all)
        print(messages.render("conflicts_shown", lang, first=args.offset + 1 if found else 0,
                              last=args.offset + len(found), total=total), file=sys.stderr)
        if args.json:
            _print_json(found)
        for c in [] if args.json else found:
            print(f"{c['id']}\t{c['kind']}\t{c['record_type']}\t{c['record_id']}\t{c['field']}\t"
                  f"kept={orjson.dumps(c['kept_value']).decode()} ({c['kept_user']})\t"
                  f"lost={orjson.dumps(c['lost_value']).decode()} ({c['lost_user']})")
    elif args.command == "conflicts" and args.action == "resolve":
        with engine.begin() as conn:
            take, value = args.take, None
            if take not in conflicts.TAKES:
                take, value = "value", _literal(conflicts.get_conflict(conn, args.id), args.take)
            conflicts.resolve(conn, actor, args.id, take, value)
    elif args.command == "stats":
        with db.reading(engine) as conn:
            stats = admin.stats(conn)
        if args.json:
            _print_json(stats)
        else:
            for name, count in stats["records"].items():
                print(f"{messages.type_label(name, lang)}\t{count}")
            print(f"users\t{stats['users']}\ndevices\t{stats['devices']}\n"
                  f"open conflicts\t{sum(stats['open_conflicts'].values())}\nsequence\t{stats['sequence']}")
    elif args.command == "import":
        summary = filesync.import_file(engine, args.file, args.user, args.reply, actor, lang)
        _print_json(summary)
        if summary.get("diverged_at"):
            print(messages.render("diverged", lang, diverged_at=summary["diverged_at"]), file=sys.stderr)
        return 0 if not summary.get("rejected") else 2
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = StationSettings()                       # the environment, read once, here
    lang = args.lang or messages.language()            # passed down; no process-wide switch
    try:
        return run(args, settings, lang)
    except StationError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 2
    except filesync.SyncFileError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 2
    except OperationalError as exc:      # the database is unreachable: no traceback, say so
        print(messages.render("unavailable", lang), f"({exc.orig})", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
