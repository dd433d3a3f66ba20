"""Key-group follow-up visits (重点人群走访) on the desktop: record one, raise a case from its needs,
a resident's history, who is due and overdue. No Qt, no SQL (desktop.store.duty_queries reads)."""
from __future__ import annotations

from collections.abc import Callable

from sync import incidents, sensitive, visits
from sync.validation import FieldError, ValidationError

from ..store import Store, duty_queries, photo_blobs
from ..store.repository import NotFound
from ..syncing.station_clock import local_ms
from .incidents import Incidents

VISIT_FIELDS = ("method", "findings", "needs", "notes", "visited_at")


class Visits:
    def __init__(self, store: Store, clock: Callable[[], int] = local_ms):
        self.store = store
        self.cases = Incidents(store, clock)

    def full_view(self, grid_code: str | None = None) -> bool:
        """Whether this laptop's account sees the sensitive key groups in full (the township's setting)."""
        return sensitive.full_view(self.store.get_meta("role"), self.cases.settings().for_grid(grid_code))

    def record(self, person_id: str, photo: bytes | None = None, **fields) -> str:
        """A visit to a resident, by this laptop's user, now (station time) unless `visited_at` says when;
        `photo`: its bytes, kept sealed here and uploaded after the records at a sync."""
        return self.store.put("visit", self._values(person_id, fields, photo))

    def record_with_case(self, person_id: str, case_title: str | None = None, photo: bytes | None = None,
                         **fields) -> tuple[str, str | None]:
        """A visit and, if `case_title`, the case its needs raise: both in one transaction, or neither."""
        values = self._values(person_id, fields, photo)
        with self.store.atomic():
            visit_id = self.store.put("visit", values)
            return visit_id, self._raise({**values, "id": visit_id}, case_title) if case_title else None

    def raise_case(self, visit_id: str, title: str, category: str = "livelihood",
                   description: str | None = None) -> str:
        """A case from a visit's needs (一个诉求成为一件事件), linked to the visit, in the visit's grid."""
        visit = self.store.get("visit", visit_id)
        if visit is None:
            raise NotFound("visit", visit_id)
        return self._raise(visit, title, category, description)

    def photo_path(self, visit: dict):
        """The visit's photo file on this computer (sealed: read with incident_photos.photo_bytes), or None."""
        if not visit.get("photo_sha256"):
            return None
        path = photo_blobs.path_of(self.store, visit["photo_sha256"])
        return path if path.exists() else None

    def _values(self, person_id: str, fields: dict, photo: bytes | None = None) -> dict:
        unknown = set(fields) - set(VISIT_FIELDS)
        if unknown:
            raise ValidationError([FieldError(k, "unknown_field", {"name": k}) for k in sorted(unknown)])
        person = self.store.get("person", person_id)
        if person is None:
            raise NotFound("person", person_id)
        household = self.store.get("household", person["household_id"]) if person.get("household_id") else None
        if household is None:
            raise ValidationError([FieldError("household_id", "required")])
        values = {"person_id": person_id, "household_id": household["id"], "grid_code": household["grid_code"],
                  "visitor": self.cases.actor(), "visited_at": incidents.ms_iso(self.cases.now_ms()),
                  **{k: v for k, v in fields.items() if v not in (None, "")}}
        if photo:
            values["photo_sha256"], values["photo_size"] = photo_blobs.keep(self.store, photo)
        return values

    def _raise(self, visit: dict, title: str, category: str = "livelihood", description: str | None = None) -> str:
        person = self.store.get("person", visit["person_id"]) or {}
        household = self.store.get("household", visit["household_id"]) or {}
        return self.cases.report({"grid_code": visit["grid_code"], "category": category, "title": title,
                                  "description": description or visit.get("needs") or visit.get("findings"),
                                  "location": household.get("address"), "parties": person.get("name"),
                                  "source_type": "visit", "source_id": visit["id"]})

    def history(self, person_id: str) -> list[dict]:
        """The resident's visits, newest first, each with the cases raised from it (`cases`: id, title)."""
        found = duty_queries.by_field(self.store, "visit", "person_id", [person_id], order_by="visited_at")
        raised: dict[str, list[dict]] = {}
        for case in duty_queries.by_field(self.store, "incident", "source_id", [v["id"] for v in found]):
            raised.setdefault(case["source_id"], []).append({"id": case["id"], "title": case["title"]})
        return [{**v, "cases": raised.get(v["id"], [])} for v in found]

    def in_grid(self, grid: str | None = None) -> list[dict]:
        """Every visit under a grid, newest first."""
        return duty_queries.in_grid(self.store, "visit", grid, order_by="visited_at")

    def due(self, grid: str | None = None, include_ok: bool = False) -> list[visits.DueVisit]:
        """Key-group residents under `grid` whose visit is overdue or due within SOON_DAYS (or all, `include_ok`)."""
        people = duty_queries.tagged_people(self.store, grid)
        seen = duty_queries.by_field(self.store, "visit", "person_id", [p["id"] for p in people])
        return visits.due_list(people, seen, self.cases.settings(), self.cases.now_ms(), include_ok)
