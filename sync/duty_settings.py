"""The unit settings of a grid worker's duties: visit rules, who sees sensitive groups, assessment.

Each is a `setting` record like the case deadlines (sync/incident_warnings.py registers
them in its DEFAULTS, so UnitSettings merges them the same way: the defaults, under the
station's own, under the county's, under the township's). `problems` checks a value
before the station stores it; `bound_problems` keeps a township's visit rules at least as
strict as its county's.
"""
from __future__ import annotations

from typing import Any

from . import messages
from .records import PERSON_TAGS

messages.register({
    "setting_weights": ("考核权重应为 {inputs} 五项，每项 0 到 1。",
                        "The assessment weights are the five inputs {inputs}, each from 0 to 1."),
    "setting_weights_sum": ("考核权重之和应为 1，现为 {sum}。", "The assessment weights must add up to 1, not {sum}."),
    "setting_grades": ("等次分数线应为 excellent、good、competent 三项，0 到 100，且依次降低。",
                       "The grade thresholds are excellent, good and competent, from 0 to 100, each lower than "
                       "the one before."),
})

VISIT_RULES = "visit_rules"
SENSITIVE_ACCESS = "sensitive_access"
ASSESSMENT = "assessment"
ROLES = ("worker", "township", "county")
MAX_VISIT_DAYS = 366

# days between visits per key group; 0: no visits asked for (a tag without a rule is not followed up)
DEFAULT_VISIT_RULES = {"elderly_alone": 7, "left_behind_child": 30, "community_correction": 7, "disabled": 30,
                       "low_income": 90, "key_youth": 30, "severe_mental_illness": 30, "released_prisoner": 30,
                       "drug_user": 30}
# the roles that see the sensitive key groups in full (the form, an export asked for)
DEFAULT_SENSITIVE = {"roles": ["township", "county"]}
ASSESSMENT_INPUTS = ("patrol", "reporting", "cases", "visits", "completeness")
GRADES = ("excellent", "good", "competent", "not_competent")        # 优秀 良好 称职 不称职
DEFAULT_ASSESSMENT = {
    "weights": {"patrol": 0.25, "reporting": 0.2, "cases": 0.2, "visits": 0.2, "completeness": 0.15},
    "grades": {"excellent": 90, "good": 80, "competent": 60},        # lowest score of each; below: not competent
    "patrol_hours_per_day": 3,
}
DEFAULTS: dict[str, dict[str, Any]] = {VISIT_RULES: DEFAULT_VISIT_RULES, SENSITIVE_ACCESS: DEFAULT_SENSITIVE,
                                       ASSESSMENT: DEFAULT_ASSESSMENT}


def _number(value, low: float, high: float) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and low <= value <= high


def problems(name: str, value: dict) -> list[tuple[str, dict]]:
    """What is wrong with one of these settings' values, as (message code, params)."""
    out: list[tuple[str, dict]] = []
    if name == VISIT_RULES:
        for tag, days in value.items():
            if tag not in PERSON_TAGS:
                out.append(("setting_key", {"key": tag, "choices": ", ".join(PERSON_TAGS)}))
            elif not _number(days, 0, MAX_VISIT_DAYS) or days != int(days):
                out.append(("setting_days", {"key": tag, "max": MAX_VISIT_DAYS}))
    elif name == SENSITIVE_ACCESS:
        for key in value:
            if key != "roles":
                out.append(("setting_key", {"key": key, "choices": "roles"}))
        roles = value.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles) or not set(roles) <= set(ROLES):
            out.append(("setting_key", {"key": "roles", "choices": ", ".join(ROLES)}))
    elif name == ASSESSMENT:
        out += _assessment_problems(value)
    return out


def _assessment_problems(value: dict) -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    for key in value:
        if key not in DEFAULT_ASSESSMENT:
            out.append(("setting_key", {"key": key, "choices": ", ".join(DEFAULT_ASSESSMENT)}))
    weights = value.get("weights")
    if weights is not None:
        if not isinstance(weights, dict) or set(weights) != set(ASSESSMENT_INPUTS) or \
                not all(_number(w, 0, 1) for w in weights.values()):
            out.append(("setting_weights", {"inputs": ", ".join(ASSESSMENT_INPUTS)}))
        elif abs(sum(weights.values()) - 1) > 0.001:
            out.append(("setting_weights_sum", {"sum": round(sum(weights.values()), 3)}))
    grades = value.get("grades")
    if grades is not None:
        shaped = isinstance(grades, dict) and set(grades) == {"excellent", "good", "competent"} and \
            all(_number(g, 0, 100) for g in grades.values())
        if not shaped or not grades["excellent"] > grades["good"] > grades["competent"]:
            out.append(("setting_grades", {}))
    hours = value.get("patrol_hours_per_day")
    if hours is not None and not _number(hours, 0.5, 24):
        out.append(("setting_hours", {"key": "patrol_hours_per_day", "max": 24}))
    return out


def bound_problems(name: str, county: dict, value: dict) -> list[tuple[str, dict]]:
    """A township's visit rule may be stricter than its county's (fewer days), never laxer."""
    out: list[tuple[str, dict]] = []
    if name != VISIT_RULES:
        return out
    for tag, days in value.items():
        bound = county.get(tag)
        if bound and (days == 0 or days > bound):
            out.append(("setting_bound", {"key": tag, "value": days, "bound": bound}))
    return out
