"""Who sees what: an account holds codes of the hierarchy; a record is in scope if its grid lies under one.

A worker holds grid codes, a township account its 9-digit township code, a county
account its 6-digit code. Grid records themselves are visible as ancestors (so the
hierarchy above a worker's grid reaches the laptop) and descendants of the scope; so is
what a unit above publishes for its grids (FROM_ABOVE: the task list, the village's outline).
"""
from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Connection, and_, false, or_, select

from sync import grid_scope, records

from . import tables
from .errors import StationError

ROLES = ("worker", "township", "county", "station")
# record types a unit publishes for every grid under it: they reach the accounts below the unit too
FROM_ABOVE = ("task_item", "grid_boundary")
SCOPE_PATTERNS = {
    "worker": (re.compile(r"^\d{12}(-\d{2,3})?$"), "420704100201-03"),
    "township": (re.compile(r"^\d{9}$"), "420704100"),
    "county": (re.compile(r"^\d{6}$"), "420704"),
    # a lower station's upstream account: the township's (or county's) code; it forwards with stamps
    "station": (re.compile(r"^\d{6}(\d{3})?$"), "420704100"),
}


def check_grids(role: str, grids: list[str]) -> list[str]:
    """The account's codes, checked against its role; StationError (422) if malformed."""
    if role not in ROLES:
        raise StationError(422, "bad_role")
    pattern, example = SCOPE_PATTERNS[role]
    cleaned = [g.strip() for g in grids if g.strip()]
    for code in cleaned or [""]:
        if not pattern.match(code):
            raise StationError(422, "bad_scope", role=role, value=code, example=example)
    return cleaned


def in_scope(prefixes: list[str], grid_code: str | None) -> bool:
    return grid_scope.in_scope(prefixes, grid_code)


def ancestors(conn: Connection, prefixes: list[str]) -> set[str]:
    """Codes of the grids above the scope (walking parent_code up from each prefix)."""
    grid = records.record_table("grid")
    found: set[str] = set()
    frontier = set(prefixes)
    while frontier:
        rows = conn.execute(select(grid.c.code, grid.c.parent_code).where(grid.c.code.in_(frontier))).all()
        parents = {parent for _code, parent in rows if parent and parent not in found}
        found |= parents
        frontier = parents
    return found


def version_filter(conn: Connection, prefixes: list[str]):
    """A WHERE clause on record_version: the records a holder of `prefixes` may pull."""
    rv = tables.record_version
    # ranges over the grid index (sync.grid_scope), not LIKE 'prefix%', which scans the table
    clauses: list[ColumnElement[bool]] = [grid_scope.sql_clause(rv.c.grid_code, prefixes)] if prefixes else []
    clauses.append(rv.c.record_type == "setting")      # station settings reach every device
    above = ancestors(conn, prefixes)
    if above:
        clauses.append(and_(rv.c.record_type == "grid", rv.c.record_id.in_(sorted(above))))
        # what a unit above publishes for all its grids (the task list) reaches each of them
        clauses.append(and_(rv.c.record_type.in_(FROM_ABOVE), rv.c.grid_code.in_(sorted(above))))
    return or_(*clauses) if clauses else false()
