"""The township's desk, on the station's API only: its conflicts, its villages' laptops, its inbox (no Qt).

The inbox and its steps are the local replica's (a township account pulls every village of its
scope): a step is recorded here like a worker's and reaches the station at the next sync.
Conflicts and the laptops' sync state are the station's, asked over HTTP; every call here is
network work and runs off the GUI thread.
"""
from __future__ import annotations

from dataclasses import dataclass

from sync import incident_rules as rules

from ..store import Store
from .incidents import CaseRow, Incidents

REVIEWER_ROLES = ("township", "county")
STALE_DAYS = 3                       # a laptop not heard from for longer is highlighted
DAY_MS = 24 * 3600 * 1000


def is_reviewer(store: Store) -> bool:
    """A township or county account is signed in on this folder."""
    return (store.get_meta("role") or "worker") in REVIEWER_ROLES


@dataclass
class Laptop:
    device_id: str
    name: str
    user: str
    grids: list[str]
    acked: int
    last_push_ms: int | None
    registered_ms: int | None
    revoked: bool
    now_ms: int

    @property
    def days_unseen(self) -> float | None:
        seen = self.last_push_ms or self.registered_ms
        return None if seen is None else (self.now_ms - seen) / DAY_MS

    @property
    def stale(self) -> bool:
        days = self.days_unseen
        return not self.revoked and (days is None or days > STALE_DAYS)


class Township:
    """`engine` is a desktop.syncing SyncEngine (or anything with its `call`)."""

    def __init__(self, store: Store, engine):
        self.store, self.engine = store, engine
        self.cases = Incidents(store)

    # -- the inbox (local, synced) --------------------------------------------------------
    def inbox(self) -> list[CaseRow]:
        return self.cases.inbox()

    def steps_for(self, row: CaseRow) -> list[str]:
        return self.cases.steps_offered(row.state)

    def villages(self) -> list[dict]:
        """The villages (and communities) under this township, to dispatch to."""
        return [g for g in self.store.list("grid") if g.get("level") == "village"]

    # -- the station's (network) ------------------------------------------------------------
    def conflicts(self) -> list[dict]:
        return list(self.engine.call("GET", "/v1/conflicts").body.get("conflicts", []))

    def resolve(self, conflict_id: int, take: str) -> dict:
        """take "local" (what the station holds now) or "remote" (the value it overwrote)."""
        return self.engine.call("POST", f"/v1/conflicts/{int(conflict_id)}/resolve", json_body={"take": take}).body

    def laptops(self) -> list[Laptop]:
        body = self.engine.call("GET", "/v1/devices").body
        now = int(body.get("time_ms") or 0)
        return [Laptop(d["device_id"], d.get("name") or "", d["user"], list(d.get("grids") or []),
                       int(d.get("acked") or 0), d.get("last_push_ms"), d.get("registered_ms"),
                       bool(d.get("revoked")), now) for d in body.get("devices", [])]


def unit_of(grid_code: str) -> str:
    """The village a grid belongs to (its code before the serial)."""
    return rules.unit_at(grid_code, "village").split("-")[0]
