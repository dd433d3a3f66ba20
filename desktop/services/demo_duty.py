"""The demo village's duty cycle: coordinates and outlines for the map, visits, the task list, ten-household
groups and their records, so every workbench page has something to show (the demo never leaves the laptop)."""
from __future__ import annotations

import datetime as dt
import json
import random

from sync import geo, incidents, tasks
from sync.ids import new_id

from ..store import Store, duty_queries

CENTRE = (114.8900, 30.3900)         # 幸福村, somewhere near 鄂州
SPREAD = 0.004                       # degrees between the grids' hamlets
TASKS = [("安全隐患日排查", "daily", "巡查记录上传"), ("重点人员走访汇总", "weekly", "走访台账更新"),
         ("出租房屋核查", "monthly", "核查表签字"), ("矛盾纠纷排查化解", "quarterly", "排查台账"),
         ("汛前隐患排查", "once", "全部点位签字")]


def place(rng: random.Random, buildings: list[dict], grids: list[str]) -> None:
    """Give each demo building a position in its grid's hamlet (a few hundred metres across)."""
    for b in buildings:
        index = grids.index(b["grid_code"])
        b["longitude"] = round(CENTRE[0] + (index % 2) * SPREAD + rng.uniform(0, SPREAD * 0.9), 6)
        b["latitude"] = round(CENTRE[1] + (index // 2) * SPREAD + rng.uniform(0, SPREAD * 0.9), 6)


def add(store: Store, rng: random.Random, grids: list[str], village: str, now: dt.datetime) -> None:
    now_ms = int(now.timestamp() * 1000)
    for index, grid in enumerate(grids):
        west, south = CENTRE[0] + (index % 2) * SPREAD, CENTRE[1] + (index // 2) * SPREAD
        ring = [[west, south], [west + SPREAD, south], [west + SPREAD, south + SPREAD], [west, south + SPREAD],
                [west, south]]
        store.put("grid_boundary", {"id": geo.boundary_id(grid), "grid_code": grid,
                                    "geometry": json.dumps({"type": "Polygon", "coordinates": [ring]})})
    visits = []
    for person in duty_queries.tagged_people(store, None):
        for weeks in range(rng.choice((0, 1, 2, 3))):
            at = now_ms - (weeks * 7 + rng.randrange(0, 6)) * 86_400_000 - rng.randrange(1, 8) * 3_600_000
            visits.append({"id": new_id(), "grid_code": person["grid_code"], "person_id": person["id"],
                           "household_id": person["household_id"], "visitor": f"{person['grid_code'][-2:]}号网格员",
                           "visited_at": incidents.ms_iso(at), "method": rng.choice(("home", "home", "phone")),
                           "findings": rng.choice(("身体尚好", "生活正常", "需关注用电安全"))})
    store.put_many("visit", visits)
    start = (now.date() - dt.timedelta(days=20)).isoformat()
    items = [{"id": tasks.item_id(village, title), "grid_code": village, "title": title, "frequency": frequency,
              "done_when": done_when, "owner_role": "worker", "published_by": "汀祖镇",
              **({"deadline": (now + dt.timedelta(days=5)).isoformat()} if frequency == "once" else
                 {"starts_on": start})} for title, frequency, done_when in TASKS]
    store.put_many("task_item", items)
    done = []
    for item in items[:3]:
        for grid in grids[:3]:
            key = tasks.ONCE if item["frequency"] == "once" else \
                tasks.period_of(item["frequency"], now.date() - dt.timedelta(days=1))[0]
            done.append({"id": tasks.done_id(item["id"], grid, key), "task_id": item["id"], "grid_code": grid,
                         "period": key, "done_by": f"{grid[-2:]}号网格员", "done_at": incidents.ms_iso(now_ms),
                         "note": "已完成"})
    store.put_many("task_done", done)
    groups, activities = [], []
    for grid in grids:
        homes = duty_queries.in_grid(store, "household", grid)
        for number, start_at in enumerate(range(0, min(len(homes), 30), 10), start=1):
            members = homes[start_at:start_at + 10]
            group = {"id": new_id(), "grid_code": grid, "name": f"{grid[-2:]}网格第{number}联防组",
                     "leader_name": members[0]["head_name"], "phone": members[0]["phone"],
                     "household_ids": [h["id"] for h in members]}
            groups.append(group)
            activities.append({"id": new_id(), "group_id": group["id"], "grid_code": grid, "activity": "watch",
                               "at": incidents.ms_iso(now_ms - rng.randrange(1, 10) * 86_400_000),
                               "recorded_by": group["leader_name"], "notes": "夜间轮值巡防"})
    store.put_many("defence_group", groups)
    store.put_many("defence_activity", activities)
