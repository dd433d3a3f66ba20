"""Cases on the desktop: report one, record a step (checked first), read its derived history, list with lights.

No Qt, no SQL: the store keeps incidents and their step events like any record and
syncs them; status, level, holder and the warning colour are derived at read time
(sync.incidents, sync.incident_warnings) with the station-corrected clock.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sync import grid_scope, incidents, messages, records
from sync import incident_rules as rules
from sync import incident_warnings as warnings
from sync.validation import FieldError, ValidationError

from ..store import Store, case_events, replication
from ..store.repository import NotFound
from ..syncing.station_clock import local_ms, station_now_ms

messages.register({"incident_this_device": ("本机用户", "this computer's user"),
                   "step_set_aside": ("乡镇站未接受：{reason}", "Refused by the station: {reason}")})
EVENT_FIELDS = ("assignee", "target_level", "category", "result", "notes", "mediation_parties", "agreement",
                "outcome")


log = logging.getLogger(__name__)


class StepRefused(ValidationError):
    """A step the rules do not allow now; its message is in the user's language."""

    def __init__(self, refused: rules.StepRefused):
        self.refused = refused
        super().__init__([FieldError("step", "step_refused", {"text": refused.message()})])

    def message(self, lang: str | None = None) -> str:
        return self.refused.message(lang)


@dataclass
class CaseRow:
    """One case as lists show it: the record, its derived state, deadline and light."""
    incident: dict
    state: incidents.CaseState
    deadline_ms: int | None
    colour: str | None


class Incidents:
    def __init__(self, store: Store, clock: Callable[[], int] = local_ms):
        self.store = store
        self.clock = clock               # this computer's clock; corrected by the station's offset

    # -- who and when ----------------------------------------------------------------
    def now_ms(self) -> int:
        return station_now_ms(self.store, self.clock)

    def actor(self) -> str:
        return self.store.get_meta("user") or messages.render("incident_this_device")

    def actor_level(self) -> str:
        return rules.ROLE_LEVEL.get(self.store.get_meta("role") or "worker", "village")

    def steps_offered(self, state: incidents.CaseState) -> list[str]:
        """The steps this account may take on the case now: those its status allows, at this account's level
        (a village worker is never offered 督办, nor 退回 of a case that is at village level)."""
        rank, level = rules.RANK[self.actor_level()], state.level or "village"
        allowed = rules.TRANSITIONS.get(state.status, {})
        offered = []
        for step in records.INCIDENT_STEPS:
            if step == "report" or step not in allowed:
                continue
            if step in rules.HOLDER_STEPS and rank < rules.RANK[level]:
                continue
            if (step == "supervise" and rank < rules.RANK["township"]) or (step == "return" and level == "village"):
                continue
            offered.append(step)
        return offered

    def settings(self) -> warnings.UnitSettings:
        """Deadlines and colours of every unit as pulled; `problems` names those that could not be
        used (a station's bad value): they fall back to what lies under them, and the page says so."""
        found = warnings.settings_from_rows(self.store.list("setting"))
        if found.problems:
            log.warning("settings that cannot be used, defaults in their place: %s", ", ".join(found.problems))
        return found

    # -- writes ----------------------------------------------------------------------
    def report(self, values: dict, target_level: str | None = None) -> str:
        """A new case and its first step (采集上报) in one transaction; major ones may go straight up."""
        values = {"reported_at": incidents.ms_iso(self.now_ms()), "reported_by": self.actor(), **values}
        values.setdefault("level", target_level or "village")
        with self.store.atomic():
            incident_id = self.store.put("incident", values)
            incident = {**values, "id": incident_id}        # not yet readable outside this transaction
            self._append(incident, [], "report", {"target_level": target_level, "category": values.get("category")})
        return incident_id

    def record(self, incident_id: str, step: str, **fields) -> str:
        """Append one step after checking it against the case as this device knows it; StepRefused if illegal."""
        unknown = set(fields) - set(EVENT_FIELDS)
        if unknown:
            raise ValidationError([FieldError(k, "unknown_field", {"name": k}) for k in sorted(unknown)])
        with self.store.atomic():
            incident, events = self._reported(incident_id)
            return self._append(incident, events, step, fields)["id"]

    def ensure_reported(self, incident_id: str) -> None:
        """Give a case made without steps (the generic form, an import) its report."""
        with self.store.atomic():
            self._reported(incident_id)

    def _reported(self, incident_id: str) -> tuple[dict, list[dict]]:
        incident = self.store.get("incident", incident_id)
        if incident is None:
            raise NotFound("incident", incident_id)
        events = self._events(incident)
        if not events:         # the report, dated when the record says, comes first
            level = incident.get("level") if incident.get("level") in ("county", "city") else None
            report = {"target_level": level, "category": incident.get("category")}
            events = [self._append(incident, [], "report", report, at=incident.get("reported_at"))]
        return incident, events

    def _append(self, incident: dict, events: list[dict], step: str, fields: dict, at: str | None = None) -> dict:
        """Check and write one step; the event as written (with its id)."""
        event = {"incident_id": incident["id"], "grid_code": incident["grid_code"], "step": step,
                 "actor": self.actor(), "actor_level": self.actor_level(),
                 "at": at or incidents.ms_iso(self.now_ms()),
                 **{k: v for k, v in fields.items() if v not in (None, "")},
                 "prior": [e["id"] for e in incidents.ordered(events)]}
        try:
            rules.check(incidents.state_of(incident, events, fallback=False), event)
        except rules.StepRefused as refused:
            raise StepRefused(refused) from None
        return {**event, "id": self.store.put("incident_event", event)}

    # -- reads -----------------------------------------------------------------------
    def _refused(self) -> dict[str, str]:
        """Steps the station refused (set aside, with its reason): they reach no one, so no derivation counts them."""
        return {c["record_id"]: c["reason"] or "" for c in replication.set_aside_changes(self.store)
                if c["record_type"] == "incident_event"}

    def _events(self, incident: dict, refused: dict | None = None) -> list[dict]:
        refused = self._refused() if refused is None else refused
        events = case_events.of_cases(self.store, "incident_event", [incident["id"]])
        return [e for e in events if e["id"] not in refused]

    def case(self, incident_id: str) -> incidents.Case:
        """The derived case; steps the station refused are listed last as superseded, with its reason."""
        incident = self.store.get("incident", incident_id)
        if incident is None:
            raise NotFound("incident", incident_id)
        refused = self._refused()
        case = incidents.derive(incident, self._events(incident, refused))
        for event in incidents.ordered(case_events.of_cases(self.store, "incident_event", [incident_id])):
            if event["id"] in refused:
                case.steps.append(incidents.Step(event, False, rules.StepRefused("step_set_aside",
                                                                                 {"reason": refused[event["id"]]})))
        return case

    def cases(self, grid: str | None = None, open_only: bool = False, level: str | None = None) -> list[CaseRow]:
        """Every case (of a grid), newest report first, with derived state and light at the station's now."""
        # The store lists one grid exactly; a village or township covers the grids below it.
        leaf = grid if grid and "-" in grid else None
        found = [i for i in self.store.list("incident", grid=leaf)
                 if not grid or grid_scope.covers(grid, i["grid_code"])]
        refused = self._refused()
        events = incidents.group_events(
            e for e in self.store.list("incident_event", grid=leaf)
            if e["id"] not in refused and (not grid or grid_scope.covers(grid, e["grid_code"])))
        settings, now = self.settings(), self.now_ms()
        rows = []
        for incident in found:
            state = incidents.state_of(incident, events.get(incident["id"], []))
            if (open_only and not state.open) or (level and state.level != level):
                continue
            grid_code = incident["grid_code"]
            rows.append(CaseRow(incident, state, warnings.deadline_ms(state, settings, grid_code),
                                warnings.colour(state, now, settings, grid_code)))
        rows.sort(key=lambda r: r.incident.get("reported_at") or "", reverse=True)
        return rows

    def with_lights(self, rows: list[dict]) -> list[dict]:
        """Rows of incidents (a table page) with each case's derived `_light`, `_status`, `_level`, `_deadline_ms`."""
        refused = self._refused()
        events = incidents.group_events(e for e in case_events.of_cases(self.store, "incident_event",
                                                                         [r["id"] for r in rows])
                                        if e["id"] not in refused)
        settings, now = self.settings(), self.now_ms()
        out = []
        for r in rows:
            state = incidents.state_of(r, events.get(r["id"], []))
            grid_code = r.get("grid_code")
            out.append({**r, "_light": warnings.colour(state, now, settings, grid_code), "_status": state.status,
                        "_level": state.level, "_deadline_ms": warnings.deadline_ms(state, settings, grid_code),
                        "_now_ms": now})
        return out

    def inbox(self) -> list[CaseRow]:
        """The township's (or county's) inbox: open cases held at this account's level."""
        return self.cases(open_only=True, level=self.actor_level())
