"""The duty-cycle figures of a report (visits, …), pure like sync.reports, which calls this with the rows
both sides load their own way: `rows` maps a name ("people", "visits", …) to its rows ("household_counts":
live households per grid, when "households" holds only the defence groups' members)."""
from __future__ import annotations

from typing import Any

from . import defence, patrols, tasks, visits


def compute(period, unit: str | None, rows: dict[str, Any], settings: dict | None, now_ms: int) -> dict:
    out: dict = {}
    if "people" in rows and "visits" in rows:
        out["visits"] = visits.figures(period, unit, rows["people"], rows["visits"], settings, now_ms)
    if "patrols" in rows:
        out["patrols"] = patrols.figures(period, unit, rows["patrols"], rows.get("incidents", []), settings, now_ms)
    if "task_items" in rows:
        grids = [g["code"] for g in rows.get("grids", []) if g.get("level") == "grid" and not g.get("deleted")]
        out["tasks"] = tasks.figures(period, unit, rows["task_items"], rows.get("task_done", []), grids, now_ms)
    if "defence_groups" in rows:
        out["defence"] = defence.figures(period, unit, rows.get("households", []), rows["defence_groups"],
                                         rows.get("defence_activities", []), rows.get("household_counts"))
    return out
