"""The grid task list (网格事务清单) on the desktop: a township publishes items, workers mark them done with a
note, the board shows what is overdue, open and done per grid. No Qt, no SQL."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sync import grid_scope, incidents, messages, tasks
from sync.validation import FieldError, ValidationError

from ..store import Store, duty_queries, queries
from ..store.repository import NotFound
from ..syncing.station_clock import local_ms
from .incidents import Incidents

PUBLISHERS = ("township", "county")

messages.register({"task_missing_here": ("该事项不适用于这个网格。", "That item does not apply to this grid.")})
ITEM_FIELDS = ("done_when", "owner_role", "frequency", "deadline", "starts_on", "notes")


class Tasks:
    def __init__(self, store: Store, clock: Callable[[], int] = local_ms):
        self.store = store
        self.cases = Incidents(store, clock)

    # -- the township's side ------------------------------------------------------------
    def can_publish(self) -> bool:
        return self.store.get_meta("role") in PUBLISHERS

    def publish(self, unit: str, title: str, **fields) -> str:
        """A new item for every grid under `unit` (township, village or grid code); it syncs down to them.
        A recurring item counts from today unless `starts_on` says otherwise."""
        self._require_publisher()
        unknown = set(fields) - set(ITEM_FIELDS)
        if unknown:
            raise ValidationError([FieldError(k, "unknown_field", {"name": k}) for k in sorted(unknown)])
        values = {"id": tasks.item_id(unit, title), "grid_code": unit, "title": title,
                  "published_by": self.cases.actor(),
                  **{k: v for k, v in fields.items() if v not in (None, "")}}
        if values.get("frequency", "once") != "once":
            values.setdefault("starts_on", tasks.day_of(self.cases.now_ms()).isoformat())
        return self.store.put("task_item", values)

    def withdraw(self, task_id: str) -> None:
        self._require_publisher()
        self.store.delete("task_item", task_id)

    def _require_publisher(self) -> None:
        if not self.can_publish():
            raise ValidationError([FieldError("grid_code", "task_publish_role")])

    # -- the grid's side ----------------------------------------------------------------
    def items(self, unit: str | None = None) -> list[dict]:
        """Items applying to `unit` or to a grid under it (None: all), by title."""
        found = [i for i in self.store.list("task_item")
                 if not unit or tasks.applies(i, unit) or grid_scope.covers(unit, i["grid_code"])]
        return sorted(found, key=lambda i: (i["title"], i["id"]))

    def grids(self, under: str | None = None) -> list[str]:
        """The grid-level units under `under` (all this laptop knows when None)."""
        return [g["code"] for g in queries.grids(self.store)
                if g["level"] == "grid" and (not under or grid_scope.covers(under, g["code"]))]

    def board(self, under: str | None = None) -> list[tasks.Standing]:
        grids = self.grids(under)
        done = duty_queries.by_field(self.store, "task_done", "grid_code", grids)
        return tasks.board(self.store.list("task_item"), done, grids, self.cases.now_ms())

    def overdue(self, under: str | None = None) -> list[tasks.Standing]:
        return [s for s in self.board(under) if s.status == "overdue"]

    def mark_done(self, task_id: str, grid_code: str, note: str | None = None, period: str | None = None) -> str:
        """Mark an item done for a grid, for its current period unless `period` names another (a missed one).
        Marking it again changes the note of the same record: never a second one."""
        item = self.store.get("task_item", task_id)
        if item is None:
            raise NotFound("task_item", task_id)
        if not tasks.applies(item, grid_code):
            raise ValidationError([FieldError("task_id", "task_missing_here")])
        if period is None:
            now = self.cases.now_ms()
            period = tasks.ONCE if item["frequency"] == tasks.ONCE else \
                tasks.period_of(item["frequency"], tasks.day_of(now))[0]
        record_id = tasks.done_id(task_id, grid_code, period)
        values = {"id": record_id, "note": note}
        if self.store.get("task_done", record_id, include_deleted=True) is None:
            values.update(task_id=task_id, grid_code=grid_code, period=period, done_by=self.cases.actor(),
                          done_at=incidents.ms_iso(self.cases.now_ms()))
        return self.store.put("task_done", values)

    def today(self) -> dt.date:
        return tasks.day_of(self.cases.now_ms())
