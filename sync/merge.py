"""Per-field last-writer-wins merge, the one rule every replica applies.

Each field carries the stamp (hybrid logical clock + device id) of the change that
last set it; an incoming value replaces the current one only if its stamp is
greater. Stamps are totally ordered, so every replica reaches the same state
whatever the order in which changes arrive, and replaying a change is a no-op.
"""
from __future__ import annotations

from dataclasses import dataclass

from .clock import stamp_hlc


@dataclass(frozen=True)
class Overwrite:
    """One field where two writers disagreed; the loser is kept for review."""
    field: str
    winner_value: object
    winner_stamp: str
    loser_value: object
    loser_stamp: str | None


def stamp_device(stamp: str) -> str:
    return stamp[16:]


def merge_fields(current: dict | None, current_clocks: dict, incoming: dict,
                 incoming_clocks: dict) -> tuple[dict, dict, list[Overwrite]]:
    """Fields of `incoming` that win, the merged clocks, and every overwrite either way."""
    current = current or {}
    updates, clocks, overwrites = {}, dict(current_clocks), []
    for name, value in incoming.items():
        new_stamp = incoming_clocks[name]
        old_stamp = current_clocks.get(name)
        if old_stamp is None or new_stamp > old_stamp:
            updates[name] = value
            clocks[name] = new_stamp
            if old_stamp is not None and current.get(name) != value:
                overwrites.append(Overwrite(name, value, new_stamp, current.get(name), old_stamp))
        elif new_stamp < old_stamp and current.get(name) != value:
            overwrites.append(Overwrite(name, current.get(name), old_stamp, value, new_stamp))
    return updates, clocks, overwrites


def newest_hlc(clocks: dict) -> int:
    # stamps order as their hlc does (fixed-width hex first), so only the newest is parsed
    return stamp_hlc(max(clocks.values())) if clocks else 0
