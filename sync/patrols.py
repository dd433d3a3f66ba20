"""Patrols (巡查) against the daily target (at least three hours, Xiaogan), and the hazards they find. Pure.

A patrol counts to the China day it started on; one still open counts up to `now`. The
target is the unit's `assessment.patrol_hours_per_day` setting (default 3). A hazard
found on a patrol is a case whose source is the patrol (incident.source_type "patrol").
"""
from __future__ import annotations

import datetime as dt

from . import grid_scope
from . import incident_warnings as warnings
from .duty_settings import ASSESSMENT
from .incidents import iso_ms

CHINA = dt.timezone(dt.timedelta(hours=8))


def target_hours(settings: dict | None, grid_code: str | None) -> float:
    return float(warnings._view(settings, grid_code)[ASSESSMENT]["patrol_hours_per_day"])


def china_day(ms: int) -> dt.date:
    return dt.datetime.fromtimestamp(ms / 1000, CHINA).date()


def span_ms(patrol: dict, now_ms: int | None = None) -> tuple[int, int] | None:
    """(start, end) of a live patrol; an open one ends at `now_ms` (None: not counted)."""
    start, end = iso_ms(patrol.get("started_at")), iso_ms(patrol.get("ended_at"))
    if patrol.get("deleted") or start is None:
        return None
    if end is None:
        if now_ms is None:
            return None
        end = max(start, now_ms)
    return start, max(start, end)


def hours_on(patrols, worker: str, day: dt.date, now_ms: int) -> float:
    """A worker's patrol hours on one China day (open patrols up to now)."""
    total = 0
    for p in patrols:
        span = span_ms(p, now_ms)
        if span and p.get("worker") == worker and china_day(span[0]) == day:
            total += span[1] - span[0]
    return total / warnings.HOUR_MS


def figures(period, unit: str | None, patrols, incidents, settings: dict | None, now_ms: int) -> list[dict]:
    """Per worker and grid over `period`: hours, days patrolled, days that met the target, hazards found."""
    rows: dict[tuple[str, str], dict] = {}
    days: dict[tuple[str, str], dict[dt.date, float]] = {}
    owners: dict[str, tuple[str, str]] = {}
    for p in patrols:
        span = span_ms(p, now_ms)
        grid = p.get("grid_code")
        if span is None or not period.contains(span[0]) or (unit and not grid_scope.covers(unit, grid)):
            continue
        key = (p["worker"], grid)
        owners[p["id"]] = key
        hours = (span[1] - span[0]) / warnings.HOUR_MS
        per_day = days.setdefault(key, {})
        per_day[china_day(span[0])] = per_day.get(china_day(span[0]), 0.0) + hours
        rows.setdefault(key, {"worker": key[0], "grid_code": grid, "hours": 0.0, "hazards": 0,
                              "target": target_hours(settings, grid)})["hours"] += hours
    for case in incidents:
        if case.get("source_type") == "patrol" and not case.get("deleted") and case.get("source_id") in owners:
            rows[owners[case["source_id"]]]["hazards"] += 1
    out = []
    for key in sorted(rows):
        row = rows[key]
        patrolled = days[key]
        out.append({**row, "hours": round(row["hours"], 2), "days_patrolled": len(patrolled),
                    "days_met": sum(1 for h in patrolled.values() if h >= row["target"] - 1e-9),
                    "days": period.days})
    return out
