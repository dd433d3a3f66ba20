"""Reports on the desktop: the rows of the local store through the shared computation (sync.reports).

The same numbers as `gridbook-station report` for the same records; the time is the
station-corrected clock. Exports to CSV and XLSX here; the PDF is laid out in desktop/ui.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sync import incident_warnings as warnings
from sync import report_files, reports

from ..store import Store, duty_queries
from ..syncing.station_clock import local_ms, station_now_ms


def period(start: dt.date | str | None, end: dt.date | str | None, today: dt.date | None = None) -> reports.Period:
    """[start, end]; the default is this month up to today."""
    today = today or dt.datetime.now(reports.CHINA).date()
    first = dt.date.fromisoformat(start) if isinstance(start, str) else start or today.replace(day=1)
    last = dt.date.fromisoformat(end) if isinstance(end, str) else end or today
    if first > last:
        raise ValueError(f"{first} > {last}")
    return reports.Period(first, last)


def duty_rows(store: Store) -> dict[str, list[dict]]:
    """The duty cycle's rows for sync.duty_reports, as the station loads its own."""
    return {"people": duty_queries.tagged_people(store, None), "visits": store.list("visit"),
            "task_items": store.list("task_item"), "task_done": store.list("task_done"),
            "households": duty_queries.household_grids(store), "defence_groups": store.list("defence_group"),
            "defence_activities": store.list("defence_activity")}


class Reports:
    def __init__(self, store: Store, clock: Callable[[], int] = local_ms):
        self.store, self.clock = store, clock

    def compute(self, start=None, end=None, unit: str | None = None) -> dict:
        store = self.store
        settings = warnings.settings_from_rows(store.list("setting"))
        return reports.compute(period(start, end), unit, store.list("incident"), store.list("incident_event"),
                               store.list("patrol"), store.list("grid"), settings,
                               station_now_ms(store, self.clock), duty_rows(store))

    def units(self) -> list[dict]:
        """The units a report may be asked for: the local hierarchy, top down."""
        return sorted(self.store.list("grid"), key=lambda g: (len(g["code"]), g["code"]))

    @staticmethod
    def export(report: dict, path: str | Path, lang: str | None = None) -> Path:
        """Write CSV or XLSX by the file's extension."""
        path = Path(path)
        if path.suffix.lower() == ".xlsx":
            path.write_bytes(report_files.to_xlsx(report, lang))
        else:
            path.write_text(report_files.to_csv(report, lang), encoding="utf-8")
        return path
