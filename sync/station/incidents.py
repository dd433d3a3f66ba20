"""Cases at the station: settings (deadlines, colours) written as synced records, the inbox, one case's history.

Status, level and light are derived at read time from the step events (sync.incidents)
with the station's own clock, the same function every device uses.
"""
from __future__ import annotations

import orjson
from sqlalchemy import Connection, select, true

from sync import grid_scope, incidents, messages, records
from sync import incident_rules as rules
from sync import incident_warnings as warnings

from . import db
from .errors import StationError
from .writer import audit, bump_versions, fetch_rows, station_stamp, write_rows

messages.register({
    "setting_unknown": ("没有设置“{name}”，可选：{choices}。", "No setting '{name}'; choose one of: {choices}."),
    "setting_value": ("设置“{name}”的值应为 JSON 对象：{detail}",
                      "The value of '{name}' must be a JSON object: {detail}"),
    "case_missing": ("找不到事件 {id}。", "No case {id}."),
})


def load_settings(conn: Connection) -> dict:
    table = records.record_table("setting")
    return warnings.settings_from_rows([dict(r) for r in conn.execute(select(table)).mappings()])


def put_setting(conn: Connection, actor: str, name: str, value) -> dict:
    """Replace a setting (merged over its default when read); it syncs down to every device."""
    if name not in warnings.DEFAULTS:
        raise StationError(422, "setting_unknown", name=name, choices=", ".join(warnings.DEFAULTS))
    if isinstance(value, (str, bytes)):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            raise StationError(422, "setting_value", name=name, detail=str(exc)) from exc
    if not isinstance(value, dict):
        raise StationError(422, "setting_value", name=name, detail=type(value).__name__)
    key = warnings.setting_id(name)
    current = fetch_rows(conn, "setting", [key]).get(key)
    stamp = station_stamp(conn, max((current or {}).get("clocks", {}).values(), default=None))
    row = {"id": key, "name": name, "value": orjson.dumps(value).decode(), "deleted": False,
           "clocks": {"id": stamp, "name": stamp, "value": stamp}}
    write_rows(conn, "setting", [] if current else [row], [row] if current else [])
    bump_versions(conn, [("setting", key, None)])
    audit(conn, [{"user_name": actor, "action": "setting", "record_type": "setting", "record_id": key,
                  "fields": ["value"], "detail": {"name": name}}])
    return load_settings(conn)[name]


def _scope_clause(table, prefixes: list[str] | None):
    if prefixes is None:
        return true()
    return grid_scope.sql_clause(table.c.grid_code, prefixes)


def load_rows(conn: Connection, prefixes: list[str] | None) -> tuple[list[dict], list[dict]]:
    """Incidents and their events within the scope (None: everything)."""
    inc, ev = records.record_table("incident"), records.record_table("incident_event")
    found = [dict(r) for r in conn.execute(select(inc).where(_scope_clause(inc, prefixes),
                                                             inc.c.deleted.is_(False))).mappings()]
    events = [dict(r) for r in conn.execute(select(ev).where(_scope_clause(ev, prefixes))).mappings()]
    return found, events


def case_summary(incident: dict, state: incidents.CaseState, settings: dict, now: int) -> dict:
    due = warnings.deadline_ms(state, settings)
    return {"id": incident["id"], "grid_code": incident["grid_code"], "title": incident["title"],
            "category": state.category, "status": state.status, "level": state.level, "holder": state.holder,
            "assignee": state.assignee, "supervised": state.supervised, "instruction": state.instruction,
            "deadline": incidents.ms_iso(due) if due else None, "colour": warnings.colour(state, now, settings)}


def inbox(conn: Connection, prefixes: list[str] | None, role: str | None) -> list[dict]:
    """Open cases held at the caller's level (a township's escalated cases, a county's …), most urgent first."""
    level = rules.ROLE_LEVEL.get(role or "township", "township")
    found, events = load_rows(conn, prefixes)
    grouped = incidents.group_events(events)
    settings, now = load_settings(conn), db.now_ms()
    out = []
    for incident in found:
        state = incidents.state_of(incident, grouped.get(incident["id"], []))
        if state.open and state.level == level:
            out.append(case_summary(incident, state, settings, now))
    return sorted(out, key=lambda c: (c["deadline"] or "9999", c["id"]))


def case(conn: Connection, prefixes: list[str] | None, incident_id: str, lang: str | None = None) -> dict:
    found = fetch_rows(conn, "incident", [incident_id]).get(incident_id)
    if found is None or (prefixes is not None and not grid_scope.in_scope(prefixes, found["grid_code"])):
        raise StationError(404, "case_missing", id=incident_id)
    ev = records.record_table("incident_event")
    events = [dict(r) for r in conn.execute(select(ev).where(ev.c.incident_id == incident_id)).mappings()]
    derived = incidents.derive(found, events)
    steps = [{**{k: s.event[k] for k in records.fields_of("incident_event")}, "applied": s.applied,
              "superseded_because": s.reason.message(lang) if s.reason else None} for s in derived.steps]
    return {**case_summary(found, derived.state, load_settings(conn), db.now_ms()), "steps": steps}
