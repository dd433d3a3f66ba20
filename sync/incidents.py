"""A case's status, level and holder, derived from its step events by one pure function.

Events are ordered by their creation stamp (the stamp on their `id` field: hybrid
logical clock + device), never by a wall-clock field, so every replica folds the
same history in the same order. A step that is illegal once ordered (two devices
acted concurrently) stays in the history, marked superseded with the reason.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import incident_rules as rules


@dataclass
class CaseState:
    status: str = ""                       # "" before the report
    level: str = ""
    holder: str | None = None              # unit code at the level, or the assignee once dispatched
    assignee: str | None = None
    category: str | None = None
    since_ms: int | None = None            # when the case reached its level: its deadline counts from here
    reported_ms: int | None = None
    closed_ms: int | None = None
    supervised: bool = False               # 督办
    instruction: str | None = None         # the instruction of the last return
    mediation: str | None = None           # outcome of the last mediation: success | failure
    levels: list = field(default_factory=list)     # levels below, for returns

    @property
    def open(self) -> bool:
        return self.status not in ("", rules.CLOSED)


@dataclass
class Step:
    event: dict
    applied: bool
    reason: rules.StepRefused | None = None


@dataclass
class Case:
    incident: dict | None
    state: CaseState
    steps: list[Step]


def creation_stamp(event: dict) -> str:
    """The stamp of the event's creation: its `id` field's stamp (the same on every replica)."""
    return (event.get("clocks") or {}).get("id", "")


def ordered(events: list[dict]) -> list[dict]:
    return sorted(events, key=lambda e: (creation_stamp(e), e["id"]))


def iso_ms(value: str | None) -> int | None:
    """Milliseconds since the epoch of an ISO time (naive means China time, UTC+8)."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))
    return int(moment.timestamp() * 1000)


def ms_iso(ms: int) -> str:
    return dt.datetime.fromtimestamp(ms / 1000, dt.timezone(dt.timedelta(hours=8))).isoformat(timespec="seconds")


def apply(state: CaseState, event: dict, grid_code: str) -> CaseState:
    """The state after `event`; StepRefused (state untouched) if it may not follow."""
    new_status = rules.check(state, event)
    step, at = event["step"], iso_ms(event.get("at"))
    s = CaseState(**{**state.__dict__, "levels": list(state.levels)})
    s.status = new_status
    if step == "report":
        s.level = event.get("target_level") or "village"
        s.since_ms = s.reported_ms = at
        s.category = event.get("category") or s.category
    elif step == "classify" and event.get("category"):
        s.category = event["category"]
    elif step == "escalate":
        s.levels.append(s.level)
        s.level, s.since_ms, s.assignee, s.supervised = rules.next_level(state, event), at, None, False
    elif step == "return":
        s.level = s.levels.pop() if s.levels else rules.LEVELS[rules.RANK[s.level] - 1]
        s.since_ms, s.assignee, s.supervised, s.instruction = at, None, False, event.get("notes")
    elif step == "dispatch":
        s.assignee = event.get("assignee")
    elif step == "supervise":
        s.supervised = True
    elif step == "handle" and event.get("outcome"):
        s.mediation = event["outcome"]
    elif step == "close":
        s.closed_ms, s.supervised = at, False
    elif step == "reopen":
        s.closed_ms, s.since_ms = None, at
    s.holder = s.assignee or rules.unit_at(grid_code, s.level)
    return s


def from_record(incident: dict) -> CaseState:
    """A case with no step yet (imported, or made before steps existed): what its record says."""
    level = incident.get("level") or "village"
    reported = iso_ms(incident.get("reported_at"))
    return CaseState(status=incident.get("status") or "reported", level=level,
                     holder=rules.unit_at(incident.get("grid_code") or "", level), category=incident.get("category"),
                     since_ms=reported, reported_ms=reported)


def derive(incident: dict | None, events: list[dict], fallback: bool = True) -> Case:
    """Fold the ordered events of one case; illegal ones are kept as superseded steps.

    Without events the record speaks for itself (`fallback`); rule checks fold from nothing."""
    if not events and fallback and incident:
        return Case(incident, from_record(incident), [])
    grid_code = (incident or {}).get("grid_code") or next((e["grid_code"] for e in events), "")
    state = CaseState(category=(incident or {}).get("category"))
    steps = []
    for event in ordered(events):
        try:
            state = apply(state, event, grid_code)
            steps.append(Step(event, True))
        except rules.StepRefused as refused:
            steps.append(Step(event, False, refused))
    return Case(incident, state, steps)


def state_of(incident: dict | None, events: list[dict], fallback: bool = True) -> CaseState:
    return derive(incident, events, fallback).state


def group_events(events: Iterable[dict]) -> dict[str, list[dict]]:
    """Events by incident id (reports and lists derive many cases from one query)."""
    out: dict[str, list[dict]] = {}
    for e in events:
        out.setdefault(e["incident_id"], []).append(e)
    return out
