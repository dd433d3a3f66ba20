"""Assessments (考核) on the desktop: the station's sheets (it knows every worker's grids), or this laptop's own
sheet computed from its store when the station cannot be reached; a supervisor records the final grade with
its reason (an `assessment` record, synced); sheets print one worker per page. No Qt."""
from __future__ import annotations

from collections.abc import Callable

import orjson

from sync import assessment, assessment_files, incidents, messages
from sync.validation import FieldError, ValidationError

from ..store import Store, duty_queries, queries
from ..syncing.station_clock import local_ms
from .incidents import Incidents
from .reports import duty_rows

SUPERVISORS = ("township", "county")

messages.register({"assessment_role_here": ("只有乡镇（街道）或县级账号才能评定考核等次。",
                                            "Only township and county accounts grade an assessment.")})


class Assessments:
    def __init__(self, store: Store, fetch: Callable[..., list[dict]] | None = None,
                 clock: Callable[[], int] = local_ms):
        self.store, self.fetch = store, fetch       # fetch: SyncEngine.assessments, if logged in
        self.cases = Incidents(store, clock)

    def can_grade(self) -> bool:
        return self.store.get_meta("role") in SUPERVISORS

    def from_station(self, period: str, worker: str | None = None) -> list[dict]:
        """The station's sheets; raises the sync layer's errors when it cannot be reached (call off the GUI thread)."""
        if self.fetch is None:
            raise LookupError("not logged in")
        return self.fetch(period, worker)

    def own_sheet(self, period: str) -> dict:
        """This laptop's user's sheet from the local store (its grids, its records), with the final grade if synced."""
        span = assessment.period_of(period)
        worker = self.cases.actor()
        grids = [g["code"] for g in queries.grids(self.store) if g["level"] == "grid"]
        settings, now = self.cases.settings(), self.cases.now_ms()
        rows = {**duty_rows(self.store), "incidents": self.store.list("incident"),
                "events": self.store.list("incident_event"), "patrols": self.store.list("patrol"),
                "persons": self._persons(), "households": self.store.list("household")}
        values = assessment.inputs(span, worker, grids, rows, settings, now, self.store.list("grid"))
        view = settings.for_grid(grids[0] if grids else None)
        points = assessment.score(values, view)
        return {"worker": worker, "grids": grids, "period": period, "start": span.start.isoformat(),
                "end": span.end.isoformat(), "inputs": values, "weights": view["assessment"]["weights"],
                "score": points, "suggested": assessment.suggested_grade(points, view),
                "final": self.final(worker, period)}

    def _persons(self) -> list[dict]:
        grid_of = {h["id"]: h["grid_code"] for h in duty_queries.household_grids(self.store)}
        return [{"id": p["id"], "id_number": p["id_number"], "grid_code": grid_of.get(p["household_id"])}
                for p in self.store.list("person")]

    def final(self, worker: str, period: str) -> dict | None:
        found = self.store.get("assessment", assessment.record_id(worker, period))
        return {k: found[k] for k in ("grade", "reason", "graded_by", "graded_at")} if found else None

    def grade(self, sheet: dict, chosen: str, reason: str) -> str:
        """The supervisor's final grade of a sheet's worker, with the inputs as measured; it syncs up and down."""
        if not self.can_grade():
            raise ValidationError([FieldError("grade", "assessment_role_here")])
        if not sheet.get("grids"):
            raise ValidationError([FieldError("grid_code", "required")])
        return self.store.put("assessment", {
            "id": assessment.record_id(sheet["worker"], sheet["period"]), "worker": sheet["worker"],
            "grid_code": sheet["grids"][0], "period": sheet["period"], "grade": chosen, "reason": reason,
            "graded_by": self.cases.actor(), "graded_at": incidents.ms_iso(self.cases.now_ms()),
            "score": sheet.get("score"), "inputs": orjson.dumps(sheet["inputs"]).decode()})

    @staticmethod
    def html(sheets: list[dict], lang: str | None = None) -> str:
        return assessment_files.sheet_html(sheets, lang)
