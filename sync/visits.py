"""Key-group follow-up visits (重点人群走访): who is due, who is overdue, and the period's figures. Pure.

A resident's interval is the shortest rule among their tags (setting `visit_rules`, per
unit: 独居老人 weekly, 留守儿童 monthly, …); a tag without a rule (or 0 days) asks for no
visits. Due counts from the last visit; a key-group resident never visited is overdue.
The same functions serve the workbench, `gridbook-cli visit due` and the reports of the
station and the desktop, with the station-corrected time passed in.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import grid_scope
from . import incident_warnings as warnings
from .duty_settings import VISIT_RULES
from .incidents import iso_ms

SOON_DAYS = 3                 # due within this many days: listed as due


@dataclass
class DueVisit:
    person: dict                  # id, name, tags, household_id, grid_code
    interval_days: int
    rule_tags: list[str]
    last_ms: int | None           # the last visit, None if never visited
    due_ms: int | None            # None: never visited (due now)
    status: str                   # overdue | due | ok


def rules_of(settings: dict | None, grid_code: str | None) -> dict:
    """The visit rules {tag: days} of the unit holding a grid."""
    return warnings._view(settings, grid_code)[VISIT_RULES]


def interval(tags, rules: dict) -> tuple[int | None, list[str]]:
    """The shortest interval among the tags that have a rule, and those tags."""
    ruled = [(int(rules[t]), t) for t in tags or () if rules.get(t)]
    if not ruled:
        return None, []
    days = min(d for d, _ in ruled)
    return days, [t for _d, t in ruled]


def last_visits(visits, before_ms: int | None = None) -> dict[str, int]:
    """person id -> time of the latest live visit (up to `before_ms` if given)."""
    last: dict[str, int] = {}
    for v in visits:
        at = iso_ms(v.get("visited_at"))
        if v.get("deleted") or at is None or (before_ms is not None and at >= before_ms):
            continue
        if at > last.get(v["person_id"], -1):
            last[v["person_id"]] = at
    return last


def due_list(people, visits, settings: dict | None, now_ms: int, include_ok: bool = False) -> list[DueVisit]:
    """The key-group residents with a rule, overdue first (never visited before the rest), then due."""
    last = last_visits(visits)
    out = []
    for person in people:
        days, tags = interval(person.get("tags"), rules_of(settings, person.get("grid_code")))
        if days is None:
            continue
        seen = last.get(person["id"])
        due = seen + days * warnings.DAY_MS if seen is not None else None
        status = "overdue" if due is None or due < now_ms else \
            "due" if due - now_ms <= SOON_DAYS * warnings.DAY_MS else "ok"
        if status != "ok" or include_ok:
            out.append(DueVisit(person, days, tags, seen, due, status))
    order = {"overdue": 0, "due": 1, "ok": 2}
    return sorted(out, key=lambda d: (order[d.status], d.due_ms if d.due_ms is not None else -1,
                                      d.person.get("name") or "", d.person["id"]))


def figures(period, unit: str | None, people, visits, settings: dict | None, now_ms: int) -> list[dict]:
    """Per grid over `period` (sync.reports.Period): key-group residents with a rule, visits made,
    visit periods asked for and covered (each resident's interval windows counted from the period's
    start, as the reporting quota counts days), the on-time rate, and residents overdue at its end."""
    people = [p for p in people if not unit or grid_scope.covers(unit, p.get("grid_code"))]
    end = min(now_ms, period.end_ms)
    last = last_visits(visits, before_ms=end)
    by_person: dict[str, list[int]] = {}
    made: dict[str, int] = {}
    for v in visits:
        at = iso_ms(v.get("visited_at"))
        if v.get("deleted") or not period.contains(at) or (unit and not grid_scope.covers(unit, v.get("grid_code"))):
            continue
        assert at is not None              # period.contains refuses None
        by_person.setdefault(v["person_id"], []).append(at)
        made[v["grid_code"]] = made.get(v["grid_code"], 0) + 1
    grids: dict[str, dict] = {}
    for person in people:
        days, _tags = interval(person.get("tags"), rules_of(settings, person.get("grid_code")))
        if days is None:
            continue
        row = grids.setdefault(person["grid_code"], {"grid_code": person["grid_code"], "key_people": 0,
                                                     "required": 0, "covered": 0, "overdue": 0})
        row["key_people"] += 1
        row["required"] += -(-period.days // days)
        row["covered"] += len({period.day_index(at) // days for at in by_person.get(person["id"], [])})
        seen = last.get(person["id"])
        if seen is None or seen + days * warnings.DAY_MS < end:
            row["overdue"] += 1
    for code in made:
        grids.setdefault(code, {"grid_code": code, "key_people": 0, "required": 0, "covered": 0, "overdue": 0})
    out = []
    for code in sorted(grids):
        row = grids[code]
        rate = round(row["covered"] / row["required"], 4) if row["required"] else None
        out.append({**row, "visits": made.get(code, 0), "on_time_rate": rate})
    return out
