"""The duty-cycle commands of gridbook-cli (visit, …), one module per part, wired into cli.py by two calls.

Lists mask the sensitive key groups; `get` shows them only to an account the township allows.
"""
from __future__ import annotations

import argparse

from sync import sensitive

from . import assess, defence, patrols, tasks, visits

PARTS = (visits, patrols, tasks, defence, assess)
COMMANDS = tuple(name for part in PARTS for name in part.COMMANDS)


def add_commands(sub: argparse._SubParsersAction) -> None:
    for part in PARTS:
        part.add_commands(sub)


def run(args: argparse.Namespace, ledger) -> int:
    for part in PARTS:
        if args.command in part.COMMANDS:
            return part.run(args, ledger)
    raise AssertionError(args.command)


def list_row(record_type: str, row: dict) -> dict:
    """A record as `list` prints it: the sensitive key groups masked."""
    if record_type in sensitive.TAGGED_TYPES and sensitive.is_sensitive(row.get("tags")):
        return {**row, "tags": sensitive.masked(row["tags"])}
    return row


def full_view_row(ledger, record_type: str, row: dict) -> dict:
    """A record as `get` prints it: in full for an account the township allows, else masked."""
    if record_type not in sensitive.TAGGED_TYPES or not sensitive.is_sensitive(row.get("tags")):
        return row
    grid = row.get("grid_code") or (ledger.get("household", row.get("household_id") or "") or {}).get("grid_code")
    return row if ledger.full_view(grid) else list_row(record_type, row)
