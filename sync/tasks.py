"""The grid task list (网格事务清单): which items apply to a grid, their periods, what is done and overdue. Pure.

An item applies to every grid under its unit (grid_code). A recurring item asks to be done
once per period (a China day, an ISO week, a month, a quarter, a year) from its `starts_on`
day, each period due at its end; a one-off item ("once") is due at its deadline. The
current period is open until its end; a period that ended undone is overdue. The same
functions serve the workbench, the CLI and the reports of the station and the desktop.
"""
from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from . import grid_scope, messages
from .incidents import iso_ms

messages.register({
    "task_publish_role": ("只有乡镇（街道）或县级账号才能发布网格事务清单。",
                          "Only township and county accounts publish the grid task list."),
})

CHINA = dt.timezone(dt.timedelta(hours=8))
ONCE = "once"


def _midnight_ms(day: dt.date) -> int:
    return int(dt.datetime.combine(day, dt.time(), CHINA).timestamp() * 1000)


def day_of(ms: int) -> dt.date:
    return dt.datetime.fromtimestamp(ms / 1000, CHINA).date()


def item_id(unit: str, title: str) -> str:
    """An item's id from its unit and title: the same item published or imported twice is one record."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gridbook:task_item:{unit}:{title.strip()}"))


def done_id(task_id: str, grid_code: str, period: str) -> str:
    """The id of "this item done for this grid in this period", the same on every laptop: two workers
    marking it offline make one record, merged, never two."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"gridbook:task_done:{task_id}:{grid_code}:{period}"))


def period_of(frequency: str, day: dt.date) -> tuple[str, dt.date, dt.date]:
    """(key, first day, last day) of the period of `frequency` holding `day`."""
    if frequency == "daily":
        return day.isoformat(), day, day
    if frequency == "weekly":
        year, week, weekday = day.isocalendar()
        first = day - dt.timedelta(days=weekday - 1)
        return f"{year}-W{week:02d}", first, first + dt.timedelta(days=6)
    if frequency == "monthly":
        first = day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return f"{day.year}-{day.month:02d}", first, following - dt.timedelta(days=1)
    if frequency == "quarterly":
        quarter = (day.month - 1) // 3
        first = dt.date(day.year, quarter * 3 + 1, 1)
        following = dt.date(day.year + (quarter == 3), (quarter * 3 + 3) % 12 + 1, 1)
        return f"{day.year}-Q{quarter + 1}", first, following - dt.timedelta(days=1)
    if frequency == "yearly":
        return str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    raise ValueError(frequency)


@dataclass
class Instance:
    """One item for one grid and one period."""
    item: dict
    grid_code: str
    period: str
    due_ms: int | None            # end of the period, or the deadline
    done: dict | None             # the task_done record, if done

    @property
    def status(self) -> str:
        return "done" if self.done else "open"


def _starts(item: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(item["starts_on"]) if item.get("starts_on") else None
    except ValueError:
        return None


def applies(item: dict, grid_code: str) -> bool:
    return not item.get("deleted") and grid_scope.covers(item.get("grid_code") or "", grid_code)


def done_index(done_rows) -> dict[tuple[str, str, str], dict]:
    return {(d["task_id"], d["grid_code"], d["period"]): d for d in done_rows if not d.get("deleted")}


def instances(item: dict, grid_code: str, first: dt.date, last: dt.date, done: dict) -> list[Instance]:
    """The item's periods for a grid due within [first, last] (a one-off item: its deadline)."""
    if item.get("frequency", ONCE) == ONCE:
        due = iso_ms(item.get("deadline"))
        if due is None or not first <= day_of(due) <= last:
            return []
        return [Instance(item, grid_code, ONCE, due, done.get((item["id"], grid_code, ONCE)))]
    starts = _starts(item)
    out = []
    day = max(first, starts) if starts else first
    while day <= last:
        key, _start, end = period_of(item["frequency"], day)
        if end <= last:
            out.append(Instance(item, grid_code, key, _midnight_ms(end + dt.timedelta(days=1)),
                                done.get((item["id"], grid_code, key))))
        day = end + dt.timedelta(days=1)
    return out


@dataclass
class Standing:
    """Where an item stands for a grid now: its current period, and the last one missed."""
    item: dict
    grid_code: str
    current: Instance | None      # the open period now (or a one-off item not yet past its deadline)
    overdue: Instance | None      # the last period that ended undone (a one-off: past its deadline)

    @property
    def status(self) -> str:
        if self.overdue is not None:
            return "overdue"
        return self.current.status if self.current else "done"


def standing(item: dict, grid_code: str, now_ms: int, done: dict) -> Standing:
    today = day_of(now_ms)
    if item.get("frequency", ONCE) == ONCE:
        due = iso_ms(item.get("deadline"))
        instance = Instance(item, grid_code, ONCE, due, done.get((item["id"], grid_code, ONCE)))
        late = instance.done is None and due is not None and due < now_ms
        return Standing(item, grid_code, None if late else instance, instance if late else None)
    key, first, end = period_of(item["frequency"], today)
    starts = _starts(item)
    current = Instance(item, grid_code, key, _midnight_ms(end + dt.timedelta(days=1)),
                       done.get((item["id"], grid_code, key)))
    overdue = None
    previous = first - dt.timedelta(days=1)
    if starts is None or starts <= previous:
        last_key, _first, last_end = period_of(item["frequency"], previous)
        missed = Instance(item, grid_code, last_key, _midnight_ms(last_end + dt.timedelta(days=1)),
                          done.get((item["id"], grid_code, last_key)))
        overdue = None if missed.done else missed
    return Standing(item, grid_code, current, overdue)


def board(items, done_rows, grid_codes, now_ms: int) -> list[Standing]:
    """Every item applying to each of `grid_codes`, overdue first, then open, then done."""
    done = done_index(done_rows)
    out = [standing(i, g, now_ms, done) for g in grid_codes for i in items if applies(i, g)]
    order = {"overdue": 0, "open": 1, "done": 2}
    return sorted(out, key=lambda s: (order[s.status], s.grid_code, s.item.get("title") or "", s.item["id"]))


def figures(period, unit: str | None, items, done_rows, grid_codes, now_ms: int) -> list[dict]:
    """Per grid under `unit` over `period` (sync.reports.Period): item periods due in it (and by now),
    done, the completion rate, and items overdue now."""
    done = done_index(done_rows)
    last = min(period.end, day_of(now_ms))
    out = []
    for grid in sorted(g for g in grid_codes if not unit or grid_scope.covers(unit, g)):
        mine = [i for i in items if applies(i, grid)]
        if not mine:
            continue
        due = [x for i in mine for x in instances(i, grid, period.start, last, done)
               if x.due_ms is not None and x.due_ms <= now_ms]
        finished = sum(1 for x in due if x.done)
        overdue = sum(1 for i in mine if standing(i, grid, now_ms, done).status == "overdue")
        out.append({"grid_code": grid, "items": len(mine), "due": len(due), "done": finished,
                    "completion_rate": round(finished / len(due), 4) if due else None, "overdue": overdue})
    return out
