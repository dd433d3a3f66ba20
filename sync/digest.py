"""The end-of-sync check: per record type, a count and an order-free digest of (id, newest stamp).

The laptop and the station each fold the records of the laptop's scope into the same
figures, so after a sync they must agree; where they do not, something was lost on the
way (a page, a restore) and the laptop pulls everything again. Records with changes the
laptop has not got acknowledged (pending, or refused and set aside) differ by design: both
sides leave them out. Grids and settings are reference data, not compared.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable

CHECKED_TYPES = ("household", "person", "building", "organisation", "incident", "incident_event", "patrol",
                 "photo")
MAX_EXCLUDED = 5000          # more unsettled records than this: the check waits for a quieter sync


def record_hash(record_id: str, clocks: dict | None) -> int:
    newest = max((clocks or {}).values(), default="")
    return int.from_bytes(hashlib.blake2b(f"{record_id}\x1f{newest}".encode(), digest_size=8).digest(), "big")


class Tally:
    """Count and XOR of record hashes per type."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = dict.fromkeys(CHECKED_TYPES, 0)
        self.hashes: dict[str, int] = dict.fromkeys(CHECKED_TYPES, 0)

    def add(self, record_type: str, record_id: str, clocks: dict | None) -> None:
        self.counts[record_type] += 1
        self.hashes[record_type] ^= record_hash(record_id, clocks)

    def add_all(self, record_type: str, rows: Iterable[tuple[str, dict | None]]) -> None:
        for record_id, clocks in rows:
            self.add(record_type, record_id, clocks)

    def as_wire(self) -> dict[str, dict]:
        return {t: {"count": self.counts[t], "digest": f"{self.hashes[t]:016x}"} for t in CHECKED_TYPES}


def differing(ours: dict[str, dict], theirs: dict[str, dict]) -> list[str]:
    """The record types whose figures differ."""
    return [t for t in CHECKED_TYPES if ours.get(t) != theirs.get(t)]
