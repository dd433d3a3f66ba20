"""Which grid codes lie under which: the one rule of the hierarchy, for the laptop and the station.

Codes are the official division codes (6-digit county, 9-digit township, 12-digit
village) and grid codes that extend a village's with a serial: `420704100201-03`.
The digit levels have a fixed width, so a county or township holds every code that
goes on with digits; a village's grids, and a grid's micro-grids, hang under it after
a '-', and a serial is not fixed-width, so grid `420704100201-03` holds only itself and
`420704100201-03-1`, never its sibling `420704100201-031`.

`code_range` gives the same rule as a half-open range of strings, so a scope filter is
an index range scan on both databases instead of a `LIKE 'prefix%'` that scans the table.
"""
from __future__ import annotations

from collections.abc import Iterable

SERIAL = "-"
VILLAGE_DIGITS = 12          # the last fixed-width level: below it, codes go on after a '-'
_AFTER_DIGITS = ":"          # '9' + 1
_AFTER_SERIAL = "."          # '-' + 1


def _children_after_serial(scope_code: str) -> bool:
    return SERIAL in scope_code or len(scope_code) >= VILLAGE_DIGITS


def covers(scope_code: str, grid_code: str | None) -> bool:
    """True if `grid_code` is `scope_code` itself or lies under it in the hierarchy."""
    if not grid_code or not scope_code:
        return False
    if grid_code == scope_code:
        return True
    if not grid_code.startswith(scope_code):
        return False
    following = grid_code[len(scope_code)]
    if _children_after_serial(scope_code):
        return following == SERIAL
    return following.isascii() and following.isdigit()


def in_scope(scope_codes: Iterable[str], grid_code: str | None) -> bool:
    """True if any of an account's codes covers `grid_code`."""
    return any(covers(code, grid_code) for code in scope_codes)


def code_range(scope_code: str) -> tuple[str, str]:
    """The half-open range [low, high) of the codes under `scope_code` (its own code aside).

    Byte order: on PostgreSQL the compared columns use the "C" collation (station schema 4),
    where a language collation would ignore the '-' and interleave siblings."""
    if _children_after_serial(scope_code):
        return scope_code + SERIAL, scope_code + _AFTER_SERIAL
    return scope_code + "0", scope_code + _AFTER_DIGITS


def sql_clause(column, scope_codes: Iterable[str]):
    """A SQLAlchemy condition on `column` (a grid code) for the codes an account covers."""
    from sqlalchemy import and_, false, or_

    clauses = []
    for code in scope_codes:
        low, high = code_range(code)
        clauses += [and_(column >= low, column < high), column == code]
    return or_(*clauses) if clauses else false()
