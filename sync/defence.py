"""Ten-household joint defence (十户联防): coverage per grid and the groups' activity over a period. Pure.

Coverage is the share of a grid's live households that belong to a live group of that grid
(a household named by two groups counts once).
"""
from __future__ import annotations

from . import grid_scope
from .incidents import iso_ms


def figures(period, unit: str | None, households, groups, activities,
            counts: dict[str, int] | None = None) -> list[dict]:
    """Per grid under `unit`: groups, households, households in a group, coverage, and the watches,
    drills and alerts recorded in `period`. `counts`: the live households per grid, counted by the
    caller's database; `households` then need only hold the groups' members."""
    def mine(code) -> bool:
        return not unit or grid_scope.covers(unit, code)

    live = {h["id"]: h["grid_code"] for h in households if not h.get("deleted") and mine(h.get("grid_code"))}
    rows: dict[str, dict] = {}

    def row(code: str) -> dict:
        return rows.setdefault(code, {"grid_code": code, "groups": 0, "households": 0, "covered": 0,
                                      "watch": 0, "drill": 0, "alert": 0})

    if counts is None:
        for code in live.values():
            row(code)["households"] += 1
    else:
        for code, n in counts.items():
            if mine(code):
                row(code)["households"] += n
    covered: dict[str, set[str]] = {}
    for group in groups:
        if group.get("deleted") or not mine(group.get("grid_code")):
            continue
        row(group["grid_code"])["groups"] += 1
        covered.setdefault(group["grid_code"], set()).update(
            h for h in group.get("household_ids") or [] if live.get(h) == group["grid_code"])
    for code, members in covered.items():
        row(code)["covered"] = len(members)
    for activity in activities:
        if activity.get("deleted") or not mine(activity.get("grid_code")) or \
                not period.contains(iso_ms(activity.get("at"))) or activity.get("activity") not in ("watch", "drill",
                                                                                                   "alert"):
            continue
        row(activity["grid_code"])[activity["activity"]] += 1
    return [{**r, "coverage": round(r["covered"] / r["households"], 4) if r["households"] else None}
            for _code, r in sorted(rows.items())]
