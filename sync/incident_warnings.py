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

from . import duty_settings
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
DEFAULTS: dict[str, dict[str, Any]] = {DEADLINES_SETTING: DEFAULT_DEADLINES, COLOURS_SETTING: DEFAULT_COLOURS,
                                       **duty_settings.DEFAULTS}    # visit rules, sensitive groups, assessment


UNIT_MARK = "@"                   # a unit's own setting is named "incident_deadlines@420704100"
MAX_DAYS = 365
MAX_HOURS = 24 * 90


def setting_id(name: str, unit: str | None = None) -> str:
    """A setting's record id, the same at every station, so settings never duplicate."""
    key = f"{name}{UNIT_MARK}{unit}" if unit else name
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gridbook:setting:{key}"))


def setting_name(name: str, unit: str | None = None) -> str:
    return f"{name}{UNIT_MARK}{unit}" if unit else name


def _number(value, low: float, high: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high


def setting_problems(name: str, value: Any) -> list[tuple[str, dict]]:
    """What is wrong with a setting's value, as (message code, params); [] if it can be used.

    A part left out keeps its default; what is given must be of the known categories and
    levels, days and hours numbers from 0, and the colour thresholds in order."""
    if not isinstance(value, dict):
        return [("setting_value", {"detail": type(value).__name__})]
    problems: list[tuple[str, dict]] = []
    if name in duty_settings.DEFAULTS:
        return duty_settings.problems(name, value)
    if name == DEADLINES_SETTING:
        from .records import INCIDENT_CATEGORIES, INCIDENT_LEVELS
        for category, days in value.items():
            if category not in INCIDENT_CATEGORIES:
                problems.append(("setting_key", {"key": category, "choices": ", ".join(INCIDENT_CATEGORIES)}))
            elif not isinstance(days, dict):
                problems.append(("setting_days", {"key": category, "max": MAX_DAYS}))
            else:
                for level, count in days.items():
                    if level not in INCIDENT_LEVELS:
                        problems.append(("setting_key", {"key": f"{category}.{level}",
                                                         "choices": ", ".join(INCIDENT_LEVELS)}))
                    elif not _number(count, 0, MAX_DAYS):
                        problems.append(("setting_days", {"key": f"{category}.{level}", "max": MAX_DAYS}))
    elif name == COLOURS_SETTING:
        merged = {**DEFAULT_COLOURS, **value}
        for key in value:
            if key not in DEFAULT_COLOURS:
                problems.append(("setting_key", {"key": key, "choices": ", ".join(DEFAULT_COLOURS)}))
        for key in ("yellow_within_hours", "light_red_upto_hours", "purple_upto_hours"):
            if key in value and not _number(value[key], 0, MAX_HOURS):
                problems.append(("setting_hours", {"key": key, "max": MAX_HOURS}))
        if not problems and merged["light_red_upto_hours"] > merged["purple_upto_hours"]:
            problems.append(("setting_order", {}))
        blue = value.get("blue_when", [])
        if not isinstance(blue, list) or not set(blue) <= {"supervised", "returned"}:
            problems.append(("setting_key", {"key": "blue_when", "choices": "supervised, returned"}))
    return problems


def _merged(default: dict, value: dict) -> dict:
    merged = dict(default)
    for key, part in value.items():
        merged[key] = {**default[key], **part} if isinstance(default.get(key), dict) and isinstance(part, dict) \
            else part
    return merged


class UnitSettings(dict):
    """The settings as every unit sees them: the defaults, under the station's own, under the
    county's, under the township's (the most specific wins). As a dict it is the station-wide
    view; `for_grid(code)` is the view of the unit holding a grid. `problems` names the
    settings that could not be used and fell back to what lies under them."""

    def __init__(self, values: dict[str, dict], by_unit: dict[str, dict[str, dict]], problems: list[str]):
        super().__init__(values)
        self.by_unit, self.problems = by_unit, problems
        self._views: dict[str, dict] = {}

    def for_unit(self, unit: str | None) -> dict:
        """The view of a unit code (county 6 digits, township 9); its own settings over its county's."""
        if not unit:
            return dict(self)
        if unit not in self._views:
            view = dict(self)
            for level in sorted({unit[:6], unit[:9]} if len(unit) >= 9 else {unit[:6]}, key=len):
                for name, value in self.by_unit.get(level, {}).items():
                    view[name] = _merged(view[name], value)
            self._views[unit] = view
        return self._views[unit]

    def for_grid(self, grid_code: str | None) -> dict:
        return self.for_unit(grid_code[:9] if grid_code and len(grid_code) >= 9 else grid_code)


def settings_from_rows(rows: list[dict]) -> UnitSettings:
    """UnitSettings from `setting` records; a value that cannot be used is left out (and named)."""
    station: dict[str, dict] = {}
    by_unit: dict[str, dict[str, dict]] = {}
    problems = []
    for row in rows:
        if row.get("deleted"):
            continue
        name, _, unit = str(row.get("name") or "").partition(UNIT_MARK)
        if name not in DEFAULTS:
            continue
        try:
            value = orjson.loads(row["value"]) if isinstance(row.get("value"), (str, bytes)) else row.get("value")
        except orjson.JSONDecodeError:
            value = None
        if not isinstance(value, dict) or setting_problems(name, value):
            problems.append(row["name"])
            continue
        (by_unit.setdefault(unit, {}) if unit else station)[name] = value
    values = {name: _merged(default, station.get(name, {})) for name, default in DEFAULTS.items()}
    return UnitSettings(values, by_unit, sorted(problems))


HOLDER_DIGITS = {"county": 6, "city": 4}        # a case held above the township: its county's (city's) settings


def _view(settings: dict | None, grid_code: str | None, level: str | None = None) -> dict:
    """The settings of the unit holding the case: its grid's township's while the village or the
    township holds it, its county's once the county does (a township's stricter ones stop there)."""
    if settings is None:
        return DEFAULTS
    if not isinstance(settings, UnitSettings) or not grid_code:
        return settings
    digits = HOLDER_DIGITS.get(level or "")
    return settings.for_unit(grid_code[:digits]) if digits else settings.for_grid(grid_code)


def deadline_ms(state: CaseState, settings: dict | None = None, grid_code: str | None = None) -> int | None:
    """When the case is due at its current level (None for a closed case or one without a time);
    with UnitSettings, by the settings of the unit holding the case at its level (`grid_code`'s)."""
    if not state.open or state.since_ms is None:
        return None
    table = _view(settings, grid_code, state.level)[DEADLINES_SETTING]
    days = table.get(state.category or "other", table["other"]).get(state.level, 30)
    return state.since_ms + int(float(days) * DAY_MS)


def colour(state: CaseState, now_ms: int, settings: dict | None = None, grid_code: str | None = None) -> str | None:
    """The light of an open case at `now_ms`, or None (closed, or well within its deadline)."""
    if not state.open:
        return None
    settings = _view(settings, grid_code, state.level)
    rules = settings[COLOURS_SETTING]
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
