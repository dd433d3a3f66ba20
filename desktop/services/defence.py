"""Ten-household joint defence (十户联防) on the desktop: groups and their members, a printable contact sheet,
watch and drill records, alerts raised as cases linked to the group's record, coverage per grid. No Qt."""
from __future__ import annotations

import html
from collections.abc import Callable

from sync import defence, incidents, messages, tasks
from sync.reports import Period
from sync.validation import FieldError, ValidationError

from ..store import Store, duty_queries, queries
from ..store.repository import NotFound
from ..syncing.station_clock import local_ms
from .incidents import Incidents

GROUP_FIELDS = ("name", "leader_name", "phone", "leader_person_id", "household_ids", "notes")
ALERT_CATEGORIES = {"theft": "public_security", "fire": "safety_hazard", "flood": "safety_hazard",
                    "suspicious": "public_security", "other": "other"}

messages.register({
    "group_other_grid": ("户 {value} 不在联防组所在的网格。", "Household {value} is not in the group's grid."),
    "sheet_title": ("十户联防组联系表", "Ten-household joint defence: contact sheet"),
    "sheet_group": ("联防组：{name}　网格：{grid}", "Group: {name}   Grid: {grid}"),
    "sheet_leader": ("联防长：{name}　电话：{phone}", "Leader: {name}   Phone: {phone}"),
    "sheet_member": ("户主", "Head"), "sheet_address": ("地址", "Address"), "sheet_phone": ("电话", "Phone"),
    "sheet_printed": ("打印时间：{at}", "Printed {at}"),
})


class Defence:
    def __init__(self, store: Store, clock: Callable[[], int] = local_ms):
        self.store = store
        self.cases = Incidents(store, clock)

    # -- groups -------------------------------------------------------------------------
    def save_group(self, values: dict) -> str:
        """Create a group (grid_code, name, leader_name, phone, household_ids) or change the fields named
        with its id; the members must be households of its grid."""
        unknown = set(values) - {*GROUP_FIELDS, "id", "grid_code"}
        if unknown:
            raise ValidationError([FieldError(k, "unknown_field", {"name": k}) for k in sorted(unknown)])
        current = self.store.get("defence_group", values["id"]) if values.get("id") else None
        grid = values.get("grid_code") or (current or {}).get("grid_code")
        members = list(dict.fromkeys(values.get("household_ids", (current or {}).get("household_ids")) or []))
        for household_id in members:
            household = self.store.get("household", household_id)
            if household is None or household["grid_code"] != grid:
                raise ValidationError([FieldError("household_ids", "group_other_grid", {"value": household_id})])
        if "household_ids" in values:
            values = {**values, "household_ids": members}
        return self.store.put("defence_group", values)

    def join(self, group_id: str, household_ids: list[str]) -> str:
        group = self._group(group_id)
        return self.save_group({"id": group_id, "household_ids": [*group["household_ids"], *household_ids]})

    def leave(self, group_id: str, household_ids: list[str]) -> str:
        group = self._group(group_id)
        return self.save_group({"id": group_id, "household_ids": [h for h in group["household_ids"]
                                                                   if h not in household_ids]})

    def households(self, grid_code: str) -> list[dict]:
        """The households a group of this grid may take, by address."""
        return sorted(duty_queries.in_grid(self.store, "household", grid_code), key=lambda h: (h["address"], h["id"]))

    def groups(self, grid: str | None = None) -> list[dict]:
        return sorted(duty_queries.in_grid(self.store, "defence_group", grid), key=lambda g: (g["name"], g["id"]))

    def members(self, group_id: str) -> list[dict]:
        """The group's households (id, head_name, address, phone), in the group's order."""
        found = {h["id"]: h for h in duty_queries.by_field(self.store, "household", "id",
                                                           self._group(group_id)["household_ids"])}
        return [found[h] for h in self._group(group_id)["household_ids"] if h in found]

    def _group(self, group_id: str) -> dict:
        group = self.store.get("defence_group", group_id)
        if group is None:
            raise NotFound("defence_group", group_id)
        return group

    # -- watches, drills, alerts ----------------------------------------------------------
    def record(self, group_id: str, activity: str, participants: str | None = None, notes: str | None = None,
               at: str | None = None) -> str:
        """A watch or drill of the group (now unless `at`)."""
        group = self._group(group_id)
        return self.store.put("defence_activity", self._activity(group, activity, participants, notes, at))

    def alert(self, group_id: str, alert_type: str, title: str, notes: str | None = None) -> tuple[str, str]:
        """An alert raised for a group and the case it becomes, linked to it, in one transaction."""
        group = self._group(group_id)
        values = {**self._activity(group, "alert", None, notes, None), "alert_type": alert_type}
        with self.store.atomic():
            activity_id = self.store.put("defence_activity", values)
            case = self.cases.report({"grid_code": group["grid_code"], "title": title, "description": notes,
                                      "category": ALERT_CATEGORIES.get(alert_type, "other"),
                                      "parties": group["name"], "source_type": "defence_activity",
                                      "source_id": activity_id})
        return activity_id, case

    def _activity(self, group: dict, activity: str, participants, notes, at) -> dict:
        return {"group_id": group["id"], "grid_code": group["grid_code"], "activity": activity,
                "at": at or incidents.ms_iso(self.cases.now_ms()), "recorded_by": self.cases.actor(),
                "participants": participants, "notes": notes}

    def activities(self, group_id: str) -> list[dict]:
        """The group's records newest first, an alert with the case it raised (`case`: id, title)."""
        found = duty_queries.by_field(self.store, "defence_activity", "group_id", [group_id], order_by="at")
        raised = {c["source_id"]: {"id": c["id"], "title": c["title"]}
                  for c in duty_queries.by_field(self.store, "incident", "source_id", [a["id"] for a in found])}
        return [{**a, "case": raised.get(a["id"])} for a in found]

    # -- coverage and the contact sheet ----------------------------------------------------
    def coverage(self, grid: str | None = None) -> list[dict]:
        """Per grid: groups, households, households in a group and the share (today's activity aside)."""
        day = tasks.day_of(self.cases.now_ms())
        return defence.figures(Period(day, day), grid, duty_queries.household_grids(self.store, grid),
                               self.groups(grid), [])

    def contact_sheet_html(self, group_ids: list[str], lang: str | None = None) -> str:
        """The groups' contact sheets as HTML, one group per printed page (printed to PDF by desktop/ui)."""
        esc = html.escape
        r = lambda code, **kw: esc(messages.render(code, lang, **kw))    # noqa: E731
        names = {g["code"]: g["name"] for g in queries.grids(self.store)}
        printed = incidents.ms_iso(self.cases.now_ms())[:16].replace("T", " ")
        pages: list[str] = []
        for group_id in group_ids:
            group = self._group(group_id)
            rows = "".join(f"<tr><td>{n}</td><td>{esc(h['head_name'])}</td><td>{esc(h['address'])}</td>"
                           f"<td>{esc(h.get('phone') or '')}</td></tr>"
                           for n, h in enumerate(self.members(group_id), start=1))
            style = " style='page-break-before: always'" if pages else ""
            pages.append(
                f"<h2 align='center'{style}>{r('sheet_title')}</h2>"
                f"<p>{r('sheet_group', name=group['name'], grid=names.get(group['grid_code'], group['grid_code']))}</p>"
                f"<p>{r('sheet_leader', name=group['leader_name'], phone=group.get('phone') or '')}</p>"
                f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr><th>#</th>"
                f"<th>{r('sheet_member')}</th><th>{r('sheet_address')}</th><th>{r('sheet_phone')}</th></tr>{rows}"
                f"</table><p>{r('sheet_printed', at=printed)}</p>")
        return "<html><body>" + "".join(pages) + "</body></html>"
