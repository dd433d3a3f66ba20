"""The duty-cycle figures of a report (visits, …), pure like sync.reports, which calls this with the rows
both sides load their own way: `rows` maps a name ("people", "visits", …) to its rows."""
from __future__ import annotations

from . import patrols, visits


def compute(period, unit: str | None, rows: dict[str, list[dict]], settings: dict | None, now_ms: int) -> dict:
    out: dict = {}
    if "people" in rows and "visits" in rows:
        out["visits"] = visits.figures(period, unit, rows["people"], rows["visits"], settings, now_ms)
    if "patrols" in rows:
        out["patrols"] = patrols.figures(period, unit, rows["patrols"], rows.get("incidents", []), settings, now_ms)
    return out
