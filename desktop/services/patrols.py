"""Patrols on the desktop: a start/stop timer kept in the store (so it survives a restart), today's hours
against the target, and the hazards a patrol finds raised as cases linked to it. No Qt, no SQL."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sync import incidents, messages, patrols
from sync.validation import FieldError, ValidationError

from ..store import Store, duty_queries
from ..store.repository import NotFound
from ..syncing.station_clock import local_ms
from .incidents import Incidents

messages.register({
    "patrol_running": ("已有一次巡查正在进行（{since} 开始），请先结束它。",
                       "A patrol is already running (since {since}): end it first."),
    "patrol_not_running": ("当前没有正在进行的巡查。", "No patrol is running."),
})


@dataclass
class Today:
    hours: float           # closed and running patrols started today (China day)
    target: float
    running: dict | None   # the open patrol, if any

    @property
    def met(self) -> bool:
        return self.hours >= self.target


class Patrols:
    def __init__(self, store: Store, clock: Callable[[], int] = local_ms):
        self.store = store
        self.cases = Incidents(store, clock)

    def worker(self) -> str:
        return self.cases.actor()

    def current(self) -> dict | None:
        """This laptop's user's patrol still running (the newest, should there be more)."""
        mine = [p for p in duty_queries.by_field(self.store, "patrol", "worker", [self.worker()], order_by="started_at")
                if not p.get("ended_at")]
        return mine[0] if mine else None

    def start(self, grid_code: str, notes: str | None = None) -> str:
        """Start a patrol now (station time); one running patrol at a time."""
        running = self.current()
        if running is not None:
            raise ValidationError([FieldError("started_at", "patrol_running", {"since": running["started_at"]})])
        return self.store.put("patrol", {"grid_code": grid_code, "worker": self.worker(), "notes": notes,
                                         "started_at": incidents.ms_iso(self.cases.now_ms())})

    def stop(self, notes: str | None = None) -> str:
        """End the running patrol now; its end is never before its start (validation says so otherwise)."""
        running = self.current()
        if running is None:
            raise ValidationError([FieldError("ended_at", "patrol_not_running")])
        values = {"id": running["id"], "ended_at": incidents.ms_iso(self.cases.now_ms())}
        if notes:
            values["notes"] = f"{running['notes']}\n{notes}" if running.get("notes") else notes
        return self.store.put("patrol", values)

    def today(self, grid_code: str | None = None) -> Today:
        now = self.cases.now_ms()
        mine = duty_queries.by_field(self.store, "patrol", "worker", [self.worker()])
        hours = patrols.hours_on(mine, self.worker(), patrols.china_day(now), now)
        return Today(round(hours, 2), patrols.target_hours(self.cases.settings(), grid_code or self.default_grid()),
                     self.current())

    def default_grid(self) -> str | None:
        return next((g["code"] for g in self.store.list("grid") if g["level"] == "grid"), None)

    def report_hazard(self, title: str, patrol_id: str | None = None, category: str = "safety_hazard",
                      description: str | None = None, location: str | None = None) -> str:
        """A hazard found on a patrol (the running one unless named) as a case linked to it."""
        patrol = self.store.get("patrol", patrol_id) if patrol_id else self.current()
        if patrol is None:
            if patrol_id:
                raise NotFound("patrol", patrol_id)
            raise ValidationError([FieldError("source_id", "patrol_not_running")])
        return self.cases.report({"grid_code": patrol["grid_code"], "category": category, "title": title,
                                  "description": description, "location": location,
                                  "source_type": "patrol", "source_id": patrol["id"]})

    def hazards(self, patrol_id: str) -> list[dict]:
        """The cases raised from a patrol, newest first."""
        return duty_queries.by_field(self.store, "incident", "source_id", [patrol_id], order_by="reported_at")

    def recent(self, days: int = 7) -> list[dict]:
        """This user's patrols started in the last `days` days, newest first."""
        since = incidents.ms_iso(self.cases.now_ms() - days * 86_400_000)
        mine = duty_queries.by_field(self.store, "patrol", "worker", [self.worker()], order_by="started_at")
        return [p for p in mine if (incidents.iso_ms(p["started_at"]) or 0) >= (incidents.iso_ms(since) or 0)]

