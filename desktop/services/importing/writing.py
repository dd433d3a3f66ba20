"""Write an import plan: every passing row in one transaction, through the store's change log."""
from __future__ import annotations

from collections.abc import Callable

from sync import gc_tuning

CHUNK = 1000        # rows per put_many call: the progress bar moves between chunks


@gc_tuning.paused()
def commit(store, plan, progress: Callable[[int, int], None] | None = None) -> None:
    """New households, then residents (put_many), then merges (put): all or nothing."""
    new_groups = [g.values for g in plan.new_households]
    merged_groups = [g.values for g in plan.groups if g.action == "merge"]
    new_rows = [r.values for r in plan.rows if r.action == "new" and r.ok]
    merges = [{"id": r.values["id"], **r.changes} for r in plan.rows if r.action == "merge" and r.ok]
    total = len(new_groups) + len(merged_groups) + len(new_rows) + len(merges)
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    with store.atomic():
        for chunk in _chunks(new_groups):
            store.put_many("household", chunk, cleaned=True)     # the plan cleaned every row once
            step(len(chunk))
        for values in merged_groups:
            store.put("household", values)
            step(1)
        for chunk in _chunks(new_rows):
            store.put_many(plan.record_type, chunk, cleaned=True)
            step(len(chunk))
        for values in merges:
            store.put(plan.record_type, values)
            step(1)


def _chunks(items: list) -> list[list]:
    return [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
