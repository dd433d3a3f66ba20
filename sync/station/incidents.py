"""Cases at the station: settings (deadlines, colours) written as synced records, the inbox, one case's history.

Status, level and light are derived at read time from the step events (sync.incidents)
with the station's own clock, the same function every device uses.
"""
from __future__ import annotations

import orjson
from sqlalchemy import Connection, select, true

from sync import duty_settings, grid_scope, incidents, messages, records
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
    "setting_key": ("设置项“{key}”无效，可选：{choices}。",
                    "The setting key '{key}' is not valid; choose from: {choices}."),
    "setting_days": ("“{key}”应为 0 到 {max} 之间的天数。", "'{key}' must be a number of days from 0 to {max}."),
    "setting_hours": ("“{key}”应为 0 到 {max} 之间的小时数。", "'{key}' must be a number of hours from 0 to {max}."),
    "setting_order": ("浅红灯的时限（light_red_upto_hours）不能长于紫灯的（purple_upto_hours）。",
                      "light_red_upto_hours must not be longer than purple_upto_hours."),
    "setting_bound": ("“{key}”为 {value} 天，超出县级设定的 {bound} 天：乡镇只能定得更严。",
                      "'{key}' is {value} days, beyond the county's {bound}: a township may only be stricter."),
    "setting_unit": ("您的账号不能修改“{unit}”的设置（乡镇账号改本乡镇的，县级账号改本县的，"
                     "全站默认值由乡镇站管理员修改）。",
                     "Your account cannot change the settings of '{unit}' (a township account sets its "
                     "township's, a county account its county's; the station-wide defaults are the station "
                     "administrator's)."),
})


def load_settings(conn: Connection) -> warnings.UnitSettings:
    table = records.record_table("setting")
    return warnings.settings_from_rows([dict(r) for r in conn.execute(select(table)).mappings()])


def setting_unit(caller_role: str | None, caller_codes: list[str] | None, unit: str | None) -> str | None:
    """The unit a setting change applies to, if the caller may set it (None: the station default).

    The station administrator (no role) sets anything; a county account its county's code; a
    township account its township's. A worker sets nothing (require_reviewer, before this)."""
    if caller_role is None:
        return unit or None
    codes = caller_codes or []
    if unit is None and len(codes) == 1:
        unit = codes[0]
    wanted = {"county": 6, "township": 9}.get(caller_role)
    if not unit or wanted is None or len(unit) != wanted or unit not in codes:
        raise StationError(403, "setting_unit", unit=unit or "*")
    return unit


def put_setting(conn: Connection, actor: str, name: str, value, unit: str | None = None) -> dict:
    """Replace a setting of a unit (None: the station default), merged over what lies under it when
    read; checked first (setting_problems, and a township only stricter than its county); it
    syncs down to every device."""
    if name not in warnings.DEFAULTS:
        raise StationError(422, "setting_unknown", name=name, choices=", ".join(warnings.DEFAULTS))
    if isinstance(value, (str, bytes)):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            raise StationError(422, "setting_value", name=name, detail=str(exc)) from exc
    problems = warnings.setting_problems(name, value)
    if problems:
        code, params = problems[0]
        raise StationError(422, code, name=name, **params)
    if unit and len(unit) >= 9 and name == warnings.DEADLINES_SETTING:
        _check_bounds(load_settings(conn).for_unit(unit[:6])[name], value)
    if unit and len(unit) >= 9:
        for code, params in duty_settings.bound_problems(name, load_settings(conn).for_unit(unit[:6])[name], value):
            raise StationError(422, code, **params)
    key, full_name = warnings.setting_id(name, unit), warnings.setting_name(name, unit)
    current = fetch_rows(conn, "setting", [key]).get(key)
    stamp = station_stamp(conn, max((current or {}).get("clocks", {}).values(), default=None))
    row = {"id": key, "name": full_name, "value": orjson.dumps(value).decode(), "deleted": False,
           "clocks": {"id": stamp, "name": stamp, "value": stamp}}
    write_rows(conn, "setting", [] if current else [row], [row] if current else [])
    bump_versions(conn, [("setting", key, None)])
    audit(conn, [{"user_name": actor, "action": "setting", "record_type": "setting", "record_id": key,
                  "fields": ["value"], "detail": {"name": name, "unit": unit}}])
    return load_settings(conn).for_unit(unit)[name]


def _check_bounds(county: dict, value: dict) -> None:
    for category, days in value.items():
        for level, count in days.items():
            bound = county.get(category, {}).get(level)
            if bound is not None and count > bound:
                raise StationError(422, "setting_bound", key=f"{category}.{level}", value=count, bound=bound)


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
    """One case as inbox and reports show it, lit by the settings of the unit holding its grid."""
    grid = incident["grid_code"]
    due = warnings.deadline_ms(state, settings, grid)
    return {"id": incident["id"], "grid_code": grid, "title": incident["title"],
            "category": state.category, "status": state.status, "level": state.level, "holder": state.holder,
            "assignee": state.assignee, "supervised": state.supervised, "instruction": state.instruction,
            "deadline": incidents.ms_iso(due) if due else None, "colour": warnings.colour(state, now, settings, grid)}


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
