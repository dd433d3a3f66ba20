"""The annual assessment (考核) of a grid worker: the measured inputs over a period, the weighted score and the
grade it suggests (优秀/良好/称职/不称职). Pure: the station loads the rows of the worker's grids.

Inputs, each a rate from 0 to 1 (None when there was nothing to measure; its weight then goes to the
others), over the period up to today:
  patrol        patrol hours against the daily target (setting assessment.patrol_hours_per_day), at most 1
  reporting     the reporting quota: periods (days urban, weeks rural) with a report by the worker
  cases         cases of the worker's grids reported in the period: closed within their deadline, of those
                closed or already past it
  visits        key-group visit periods covered on time (sync.visits)
  completeness  households with a phone and a building, residents with an ID number
The weights and grade thresholds are the township's `assessment` setting; the supervisor's final grade
is an `assessment` record, with its reason.
"""
from __future__ import annotations

import datetime as dt
import uuid

from . import incident_warnings as warnings
from . import incidents, patrols, visits
from .duty_settings import ASSESSMENT, ASSESSMENT_INPUTS
from .reports import Period, is_urban
from .validation import ASSESSMENT_PERIOD_RE


def period_of(key: str) -> Period:
    """2026 (a year), 2026-H1, 2026-Q2 or 2026-03 as a Period; ValueError otherwise."""
    if not ASSESSMENT_PERIOD_RE.match(key):
        raise ValueError(key)
    year = int(key[:4])
    rest = key[4:]
    if not rest:
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
    if rest in ("-H1", "-H2"):
        first = 1 if rest == "-H1" else 7
        return Period(dt.date(year, first, 1), _month_end(year, first + 5))
    if len(rest) == 3 and rest[:2] == "-Q" and rest[2] in "1234":
        first = (int(rest[2]) - 1) * 3 + 1
        return Period(dt.date(year, first, 1), _month_end(year, first + 2))
    if len(rest) == 3 and rest[0] == "-" and rest[1:].isdigit() and 1 <= int(rest[1:]) <= 12:
        month = int(rest[1:])
        return Period(dt.date(year, month, 1), _month_end(year, month))
    raise ValueError(key)


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def record_id(worker: str, period: str) -> str:
    """The id of a worker's assessment for a period: graded twice, it is one record."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gridbook:assessment:{worker}:{period}"))


def _rate(part: float, whole: float) -> float | None:
    return round(min(1.0, part / whole), 4) if whole else None


def inputs(period: Period, worker: str, grids: list[str], rows: dict[str, list[dict]], settings: dict | None,
           now_ms: int, grid_rows: list[dict] | None = None) -> dict[str, float | None]:
    """The five inputs of `worker` over `period` (up to today) in `grids`. rows: incidents, events,
    patrols, people (tagged residents with their grid), visits, households, persons."""
    today = dt.datetime.fromtimestamp(now_ms / 1000, patrols.CHINA).date()
    span = Period(period.start, min(period.end, today)) if period.start <= today else None
    if span is None:
        return dict.fromkeys(ASSESSMENT_INPUTS)
    mine = set(grids)
    view = warnings._view(settings, grids[0] if grids else None)
    out: dict[str, float | None] = {}
    hours = sum(p["hours"] for p in patrols.figures(span, None, [p for p in rows.get("patrols", [])
                                                                 if p.get("worker") == worker
                                                                 and p.get("grid_code") in mine],
                                                   [], settings, now_ms))
    out["patrol"] = _rate(hours, span.days * float(view[ASSESSMENT]["patrol_hours_per_day"])) if grids else None
    out["reporting"] = _reporting(span, worker, mine, rows.get("incidents", []), grid_rows or [])
    out["cases"] = _cases(span, mine, rows.get("incidents", []), rows.get("events", []), settings, now_ms)
    people = [p for p in rows.get("people", []) if p.get("grid_code") in mine]
    figures = visits.figures(span, None, people, rows.get("visits", []), settings, now_ms)
    out["visits"] = _rate(sum(f["covered"] for f in figures), sum(f["required"] for f in figures))
    out["completeness"] = _completeness(mine, rows.get("households", []), rows.get("persons", []))
    return out


def _reporting(span: Period, worker: str, grids: set[str], incident_rows, grid_rows) -> float | None:
    table = {g["code"]: g for g in grid_rows}
    covered = whole = 0
    for grid in sorted(grids):
        length = 1 if is_urban(grid, table) else 7
        whole += -(-span.days // length)
        days = {span.day_index(ms) for i in incident_rows
                if i.get("reported_by") == worker and i.get("grid_code") == grid and not i.get("deleted")
                and span.contains(ms := incidents.iso_ms(i.get("reported_at")) or -1)}
        covered += len({d // length for d in days})
    return _rate(covered, whole)


def _cases(span: Period, grids: set[str], incident_rows, event_rows, settings, now_ms: int) -> float | None:
    grouped = incidents.group_events(event_rows)
    on_time = counted = 0
    for case in incident_rows:
        if case.get("deleted") or case.get("grid_code") not in grids:
            continue
        state = incidents.state_of(case, grouped.get(case["id"], []))
        reported = state.reported_ms if state.reported_ms is not None else incidents.iso_ms(case.get("reported_at"))
        if not span.contains(reported) or state.since_ms is None:
            continue
        table = warnings._view(settings, case["grid_code"])[warnings.DEADLINES_SETTING]
        days = table.get(state.category or "other", table["other"]).get(state.level, 30)
        due = state.since_ms + int(float(days) * warnings.DAY_MS)
        if state.open and due >= now_ms:
            continue                     # still within its time: not yet measured
        counted += 1
        on_time += int(not state.open and (state.closed_ms or 0) <= due)
    return _rate(on_time, counted)


def _completeness(grids: set[str], household_rows, person_rows) -> float | None:
    filled = expected = 0
    for h in household_rows:
        if h.get("grid_code") in grids and not h.get("deleted"):
            expected += 2
            filled += bool(h.get("phone")) + bool(h.get("building_id"))
    for p in person_rows:
        if p.get("grid_code") in grids and not p.get("deleted"):
            expected += 1
            filled += bool(p.get("id_number"))
    return _rate(filled, expected)


def score(values: dict[str, float | None], settings_view: dict) -> float | None:
    """The weighted score from 0 to 100 over the inputs that could be measured."""
    weights = settings_view[ASSESSMENT]["weights"]
    known = {k: v for k, v in values.items() if v is not None and weights.get(k)}
    total = sum(weights[k] for k in known)
    return round(100 * sum(weights[k] * v for k, v in known.items()) / total, 1) if total else None


def suggested_grade(points: float | None, settings_view: dict) -> str | None:
    if points is None:
        return None
    grades = settings_view[ASSESSMENT]["grades"]
    for grade in ("excellent", "good", "competent"):
        if points >= grades[grade]:
            return grade
    return "not_competent"
