"""Reports at the station: load the rows of a scope and hand them to the shared computation (sync.reports)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, select

from sync import grid_scope, messages, records, reports

from . import db, duty_rows
from .errors import StationError
from .incidents import _scope_clause, load_rows, load_settings

messages.register({
    "report_dates": ("日期应如 2026-01-31，且开始不晚于结束：{detail}",
                     "Dates look like 2026-01-31, the start not after the end: {detail}"),
    "report_scope": ("单位“{unit}”不在您的管辖范围内。", "The unit '{unit}' is outside your scope."),
})


def period(start: str | None, end: str | None) -> reports.Period:
    """[start, end] from ISO dates; the default is the current month up to today (China time)."""
    today = dt.datetime.now(reports.CHINA).date()
    try:
        first = dt.date.fromisoformat(start) if start else today.replace(day=1)
        last = dt.date.fromisoformat(end) if end else today
    except ValueError as exc:
        raise StationError(422, "report_dates", detail=str(exc)) from exc
    if first > last:
        raise StationError(422, "report_dates", detail=f"{first} > {last}")
    return reports.Period(first, last)


def report(conn: Connection, prefixes: list[str] | None, unit: str | None, start: str | None,
           end: str | None) -> dict:
    """The report of `unit` (a code prefix; default the whole scope) for an account holding `prefixes`."""
    span = period(start, end)
    if unit and prefixes is not None and not grid_scope.in_scope(prefixes, unit):
        raise StationError(403, "report_scope", unit=unit)
    scope = [unit] if unit else prefixes
    found, events = load_rows(conn, scope)
    patrol, grid = records.record_table("patrol"), records.record_table("grid")
    patrols = [dict(r) for r in conn.execute(select(patrol).where(_scope_clause(patrol, scope),
                                                                  patrol.c.deleted.is_(False))).mappings()]
    grids = [dict(r) for r in conn.execute(select(grid)).mappings()]
    return reports.compute(span, unit, found, events, patrols, grids, load_settings(conn), db.now_ms(),
                           duty_rows.load(conn, scope))
