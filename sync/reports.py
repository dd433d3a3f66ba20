"""Statistics of a unit over a date range, one pure computation for the station and the desktop (no SQL).

Input is rows (incidents, their events, patrols, grids) and settings; both sides
load them their own way. Definitions:
  reported        cases of the unit reported in [start, end] (dates, China time)
  closed          of those, the ones closed by the end of the range; closure rate = closed / reported
  mediated        of those, cases with a mediation outcome; success rate = last outcome "success" / mediated
  overdue         of those still open at `now`, the lit ones by colour and by the unit holding them
  workers         per worker and grid: reports per day (urban grid, 社区/街道) or per week (rural),
                  periods covered with at least one report, and patrol hours started in the range
  visits, …       the duty cycle's figures (sync.duty_reports), when the caller loaded their rows
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import duty_reports, grid_scope, incidents
from . import incident_rules as rules
from . import incident_warnings as warnings

CHINA = dt.timezone(dt.timedelta(hours=8))
URBAN_MARKS = ("社区", "街道")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date                     # inclusive

    @property
    def start_ms(self) -> int:
        return int(dt.datetime.combine(self.start, dt.time(), CHINA).timestamp() * 1000)

    @property
    def end_ms(self) -> int:         # exclusive: midnight after the last day
        return int(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), CHINA).timestamp() * 1000)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, ms: int | None) -> bool:
        return ms is not None and self.start_ms <= ms < self.end_ms

    def day_index(self, ms: int) -> int:
        return (ms - self.start_ms) // warnings.DAY_MS


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def in_unit(grid_code: str | None, unit: str | None) -> bool:
    return not unit or grid_scope.covers(unit, grid_code)


def is_urban(grid_code: str, grids: dict[str, dict] | None = None) -> bool:
    """A grid of an urban community (reporting quota 1 a day; rural 1 a week).

    By the statistical division code when the grid follows it: the village part of a
    12-digit code is 001-199 for a residents' committee (社区居委会), 200-399 for a
    villagers' committee (村委会). Otherwise by the names up the hierarchy: 社区 or 街道
    means urban, 村 rural.
    """
    digits = grid_code.split("-")[0]
    if len(digits) == 12 and digits.isdigit():
        return int(digits[9:12]) < 200
    grids = grids or {}
    code: str | None = grid_code
    seen: set[str] = set()
    while code and code not in seen and code in grids:
        seen.add(code)
        name = grids[code].get("name") or ""
        if any(mark in name for mark in URBAN_MARKS):
            return True
        if "村" in name:
            return False
        code = grids[code].get("parent_code")
    return False


def compute(period: Period, unit: str | None, incident_rows: list[dict], event_rows: list[dict],
            patrol_rows: list[dict], grid_rows: list[dict], settings: dict | None, now_ms: int,
            duty_rows: dict[str, list[dict]] | None = None) -> dict:
    """The report as plain data (JSON-ready); `duty_rows` adds the duty cycle's sections."""
    settings = settings or warnings.DEFAULTS
    events = incidents.group_events(event_rows)
    cases = []
    for incident in incident_rows:
        if incident.get("deleted") or not in_unit(incident.get("grid_code"), unit):
            continue
        state = incidents.state_of(incident, events.get(incident["id"], []))
        reported = state.reported_ms if state.reported_ms is not None else incidents.iso_ms(incident["reported_at"])
        if reported is not None and period.contains(reported):
            cases.append((incident, state, reported))
    closed = [c for c in cases if c[1].status == rules.CLOSED and (c[1].closed_ms or 0) < period.end_ms]
    mediated = [c for c in cases if c[1].mediation]
    overdue: dict[str, dict[str, int]] = {}
    for incident, state, _ in cases:
        light = warnings.colour(state, now_ms, settings, incident["grid_code"])
        if light:
            holder = rules.unit_at(incident["grid_code"], state.level)
            overdue.setdefault(holder, dict.fromkeys(warnings.COLOURS, 0))[light] += 1
    workers = _workers(period, unit, [(c[0], c[2]) for c in cases], patrol_rows, grid_rows)
    found: dict = {
        "unit": unit or "", "start": period.start.isoformat(), "end": period.end.isoformat(),
        "reported": len(cases), "closed": len(closed), "closure_rate": _rate(len(closed), len(cases)),
        "mediated": len(mediated), "mediation_success": sum(1 for c in mediated if c[1].mediation == "success"),
        "mediation_rate": _rate(sum(1 for c in mediated if c[1].mediation == "success"), len(mediated)),
        "overdue": {u: overdue[u] for u in sorted(overdue)},
        "overdue_total": {k: sum(v[k] for v in overdue.values()) for k in warnings.COLOURS},
        "workers": workers,
        **(duty_reports.compute(period, unit, {**duty_rows, "patrols": patrol_rows, "incidents": incident_rows,
                                                        "grids": grid_rows},
                                settings, now_ms) if duty_rows is not None else {}),
    }
    # the units the tables name, by name (tables and PDFs show names, not codes)
    shown = {unit or "", *overdue, *(w["grid_code"] for w in workers)}
    found["names"] = {g["code"]: g["name"] for g in grid_rows if g.get("name") and g["code"] in shown}
    return found


def _workers(period: Period, unit: str | None, reported: list[tuple[dict, int]], patrol_rows: list[dict],
             grid_rows: list[dict]) -> list[dict]:
    grids = {g["code"]: g for g in grid_rows}
    hours: dict[tuple[str, str], float] = {}
    for p in patrol_rows:
        start, end = incidents.iso_ms(p.get("started_at")), incidents.iso_ms(p.get("ended_at"))
        if p.get("deleted") or not in_unit(p.get("grid_code"), unit) or start is None or not period.contains(start):
            continue
        key = (p["worker"], p["grid_code"])
        hours[key] = hours.get(key, 0.0) + (max(0, end - start) / warnings.HOUR_MS if end else 0.0)
    days: dict[tuple[str, str], set[int]] = {}
    counts: dict[tuple[str, str], int] = {}
    for incident, reported_ms in reported:
        if incident.get("reported_by"):
            key = (incident["reported_by"], incident["grid_code"])
            days.setdefault(key, set()).add(period.day_index(reported_ms))
            counts[key] = counts.get(key, 0) + 1
    out = []
    for worker, grid in sorted(set(hours) | set(days)):
        urban = is_urban(grid, grids)
        span = 1 if urban else 7
        periods = -(-period.days // span)
        covered = len({d // span for d in days.get((worker, grid), set())})
        out.append({"worker": worker, "grid_code": grid, "urban": urban,
                    "reports": counts.get((worker, grid), 0),
                    "periods": periods, "covered": covered, "compliance": _rate(covered, periods),
                    "compliant": covered >= periods, "patrol_hours": round(hours.get((worker, grid), 0.0), 2)})
    return out
