"""Deadlines per category and level, and the five-colour lights (五色亮灯): pure functions of (case, settings, now).

Settings are station-owned `setting` records (name "incident_deadlines" and
"warning_colours", value JSON) that every device pulls; missing ones fall back to
the defaults below. `now` is always passed in: the desktop passes its clock
corrected by the station's offset, so a laptop with a wrong clock colours the same.

Default meaning of the colours (a station may change the thresholds):
  yellow 黄     due within 24 hours
  light_red 浅红 overdue by up to 1 day
  purple 紫     overdue by more than 1 and up to 3 days
  red 红        overdue by more than 3 days
  blue 蓝       under supervision (督办) or returned with instructions: shown whatever the time
"""
from __future__ import annotations

import uuid
from typing import Any

import orjson

from .incidents import CaseState

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
COLOURS = ("yellow", "light_red", "purple", "red", "blue")
DEADLINES_SETTING = "incident_deadlines"
COLOURS_SETTING = "warning_colours"

# days allowed at each level, by category ("small matters stay in the grid": quick at village level)
DEFAULT_DEADLINES = {
    "dispute":            {"village": 3, "township": 7, "county": 15, "city": 30},
    "safety_hazard":      {"village": 1, "township": 3, "county": 7, "city": 15},
    "public_security":    {"village": 1, "township": 3, "county": 7, "city": 15},
    "livelihood":         {"village": 3, "township": 5, "county": 10, "city": 20},
    "environment":        {"village": 3, "township": 7, "county": 15, "city": 30},
    "special_population": {"village": 2, "township": 5, "county": 10, "city": 20},
    "other":              {"village": 5, "township": 10, "county": 20, "city": 30},
}
DEFAULT_COLOURS = {"yellow_within_hours": 24, "light_red_upto_hours": 24, "purple_upto_hours": 72,
                   "blue_when": ["supervised", "returned"]}
DEFAULTS: dict[str, dict[str, Any]] = {DEADLINES_SETTING: DEFAULT_DEADLINES, COLOURS_SETTING: DEFAULT_COLOURS}


def setting_id(name: str) -> str:
    """A setting's record id, the same at every station, so settings never duplicate."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gridbook:setting:{name}"))


def settings_from_rows(rows: list[dict]) -> dict:
    """{name: value} from `setting` records, over the defaults (a bad value keeps its default)."""
    found = {r["name"]: r["value"] for r in rows if not r.get("deleted")}
    out = {}
    for name, default in DEFAULTS.items():
        try:
            value = orjson.loads(found[name]) if name in found else {}
        except orjson.JSONDecodeError:
            value = {}
        merged = dict(default)
        if isinstance(value, dict):
            for key, part in value.items():
                merged[key] = {**default[key], **part} if isinstance(default.get(key), dict) and \
                    isinstance(part, dict) else part
        out[name] = merged
    return out


def deadline_ms(state: CaseState, settings: dict | None = None) -> int | None:
    """When the case is due at its current level (None for a closed case or one without a time)."""
    if not state.open or state.since_ms is None:
        return None
    table = (settings or DEFAULTS)[DEADLINES_SETTING]
    days = table.get(state.category or "other", table["other"]).get(state.level, 30)
    return state.since_ms + int(float(days) * DAY_MS)


def colour(state: CaseState, now_ms: int, settings: dict | None = None) -> str | None:
    """The light of an open case at `now_ms`, or None (closed, or well within its deadline)."""
    if not state.open:
        return None
    rules = (settings or DEFAULTS)[COLOURS_SETTING]
    blue_when = rules.get("blue_when", [])
    if ("supervised" in blue_when and state.supervised) or ("returned" in blue_when and state.status == "returned"):
        return "blue"
    due = deadline_ms(state, settings)
    if due is None:
        return None
    late = now_ms - due
    if late < 0:
        return "yellow" if -late <= rules["yellow_within_hours"] * HOUR_MS else None
    if late <= rules["light_red_upto_hours"] * HOUR_MS:
        return "light_red"
    if late <= rules["purple_upto_hours"] * HOUR_MS:
        return "purple"
    return "red"
