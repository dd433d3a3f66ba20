"""Reports at the station: load the rows of a scope and a period, hand them to the shared computation (sync.reports).

Only the period asked for is read, through the (grid_code, time) indexes of schema 7: the
cases reported in it — by their record's reported_at or by their report step's time, which
is what the computation counts — with every step of those cases, and the patrols started in
it. Times are ISO text, compared as text with a day's margin either side (an offset moves a
time by less than a day); the computation then keeps exactly the period.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, and_, select

from sync import grid_scope, messages, records, reports

from . import db, duty_rows
from .errors import StationError
from .incidents import _scope_clause, load_settings
from .writer import chunks

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
    found, events, patrols = load_period(conn, scope, span)
    grid = records.record_table("grid")
    grids = [dict(r) for r in conn.execute(select(grid)).mappings()]
    return reports.compute(span, unit, found, events, patrols, grids, load_settings(conn), db.now_ms(),
                           duty_rows.load(conn, scope))


def text_window(span: reports.Period) -> tuple[str, str]:
    """[low, high) as ISO text holding every time, whatever its offset, of the days of `span`."""
    return (span.start - dt.timedelta(days=1)).isoformat(), (span.end + dt.timedelta(days=2)).isoformat()


def load_period(conn: Connection, prefixes: list[str] | None,
                span: reports.Period) -> tuple[list[dict], list[dict], list[dict]]:
    """(cases reported in `span` within the scope, all their steps, patrols started in it); a few
    cases either side of the period come along and the computation leaves them out."""
    low, high = text_window(span)
    inc, ev, patrol = (records.record_table(t) for t in ("incident", "incident_event", "patrol"))
    reported = set(conn.execute(select(inc.c.id).where(
        _scope_clause(inc, prefixes), inc.c.reported_at >= low, inc.c.reported_at < high)).scalars())
    reported |= set(conn.execute(select(ev.c.incident_id).where(
        _scope_clause(ev, prefixes), ev.c.at >= low, ev.c.at < high, ev.c.step == "report")).scalars())
    found, events = [], []
    for part in chunks(sorted(reported)):
        found += [dict(r) for r in conn.execute(select(inc).where(inc.c.id.in_(part), inc.c.deleted.is_(False),
                                                                  _scope_clause(inc, prefixes))).mappings()]
        events += [dict(r) for r in conn.execute(select(ev).where(ev.c.incident_id.in_(part),
                                                                  _scope_clause(ev, prefixes))).mappings()]
    patrols = [dict(r) for r in conn.execute(select(patrol).where(
        _scope_clause(patrol, prefixes), patrol.c.deleted.is_(False),
        and_(patrol.c.started_at >= low, patrol.c.started_at < high))).mappings()]
    return found, events, patrols


