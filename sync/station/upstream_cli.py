"""gridbook-station upstream / sync / status: link to the upper station, forward now, say what waits."""
from __future__ import annotations

import argparse
import getpass
import sys

import orjson
from sqlalchemy import Engine

from sync import messages

from . import upstream, upstream_file, upstream_sync
from .errors import StationError


def _print_json(data) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def run(engine: Engine, args: argparse.Namespace, lang: str) -> int:
    """0 done; 1 the upper station is unreachable (one line on stderr); StationError otherwise."""
    try:
        if args.command == "upstream":
            return _link(engine, args, lang)
        if args.command == "sync" and (args.export or args.import_reply):
            return _by_file(engine, args, lang)
        if args.command == "sync":
            counts = upstream_sync.forward(engine, lang=lang)
            if args.json:
                _print_json(counts)
            else:
                print(messages.render("upstream_synced", lang, **counts))
            return 0
        found = upstream_sync.status(engine)
        if args.json:
            _print_json(found)
        else:
            for key, value in found.items():
                print(f"{key}\t{value}")
        return 0
    except upstream.Unreachable as exc:
        print(exc.error().message(lang), file=sys.stderr)
        return 1


def _by_file(engine: Engine, args: argparse.Namespace, lang: str) -> int:
    if args.export:
        done = upstream_file.export(engine, args.export)
        if args.json:
            _print_json(done)
        else:
            print(messages.render("upstream_file_done", lang, **done))
        return 0
    counts = upstream_file.import_reply(engine, args.import_reply)
    if args.json:
        _print_json(counts)
    else:
        print(messages.render("upstream_synced", lang, pushed=counts["acked"], **counts))
    return 0


def _link(engine: Engine, args: argparse.Namespace, lang: str) -> int:
    if args.off:
        upstream.unlink(engine)
        print(messages.render("upstream_off", lang))
        return 0
    if args.by_file:
        grids = [g.strip() for g in (args.grids or "").split(",") if g.strip()]
        link = upstream_file.link_by_file(engine, args.user or "", grids)
        print(messages.render("upstream_linked", lang, url=link.url, user=link.user, grids=",".join(link.grids)))
        return 0
    if not (args.station and args.user):
        raise StationError(422, "upstream_not_linked")
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else getpass.getpass()
    link = upstream.link(engine, args.station, args.user, password, args.ca_bundle, lang)
    print(messages.render("upstream_linked", lang, url=link.url, user=link.user, grids=",".join(link.grids)))
    return 0
