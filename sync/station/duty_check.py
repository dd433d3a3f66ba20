"""The station's check that the duty records hang on records of their own grid (one call from batch_merge).

A visit names a resident and the resident's household: the household must lie in the
visit's grid (so a worker of one grid cannot file visits about another grid's people,
and the visit reaches exactly the accounts that see the household), and the resident
must be of that household. A case raised from a visit, patrol or group alert names a
source of its own grid. Only township and county accounts publish task items; an item is
marked done only for a grid it applies to.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from sync import grid_scope, messages, tasks  # noqa: F401  (tasks registers task_publish_role)
from sync.validation import FieldError

from . import tables

if TYPE_CHECKING:
    from .batch_merge import BatchMerge

messages.register({
    "visit_household": ("走访所属的户不存在，或不在走访所写的网格：走访只能记在本网格的户上。",
                        "The visit's household does not exist or is not in the visit's grid: a visit belongs "
                        "to a household of its own grid."),
    "visit_person": ("走访对象不存在，或不是该户的成员。", "The resident visited does not exist or is not of that "
                                                 "household."),
    "group_household": ("联防组的成员户 {value} 不存在，或不在联防组所在的网格。",
                        "The group's member household {value} does not exist or is not in the group's grid."),
    "group_missing": ("记录所属的联防组不存在，或不在记录所写的网格。",
                      "The record's group does not exist or is not in the record's grid."),
    "task_missing": ("完成记录所属的事项不存在，或不适用于该网格。",
                     "The task item does not exist or does not apply to that grid."),
    "assessment_role": ("只有乡镇（街道）或县级账号才能评定考核等次。",
                        "Only township and county accounts grade an assessment."),
    "assessment_worker": ("“{field}”不是负责该网格的网格员账号。", "{field} is no worker account holding that grid."),
    "case_source": ("事件的来源记录不存在，或不在事件所写的网格。",
                    "The record the case was raised from does not exist or is not in the case's grid."),
})

CHECKED = ("visit", "incident", "task_item", "task_done", "defence_group", "defence_activity", "assessment")
SUPERVISED = ("task_item", "assessment")          # written by township and county accounts only
PUBLISHERS = ("township", "county")


def problems(merge: BatchMerge, record_type: str, merged: dict) -> list[FieldError]:
    """FieldErrors of one merged record of a CHECKED type ([] if it hangs where it should, or is deleted
    and not a task item, which only a publisher may withdraw)."""
    errors: list[FieldError] = []
    grid = merged.get("grid_code")
    if record_type in SUPERVISED and merge.caller.role not in PUBLISHERS:
        errors.append(FieldError("grid_code", "task_publish_role" if record_type == "task_item" else
                                 "assessment_role"))
    if merged.get("deleted"):
        return errors
    if record_type == "assessment" and not _worker_holds(merge, merged.get("worker"), grid):
        errors.append(FieldError("worker", "assessment_worker"))
    if record_type == "visit":
        household_id = merged.get("household_id")
        household = merge._household(household_id) if isinstance(household_id, str) else None
        if household is None or household.get("deleted") or household.get("grid_code") != grid:
            errors.append(FieldError("household_id", "visit_household"))
        person = merge.ref("person", merged.get("person_id"), ("household_id",))
        if person is None or person.get("deleted") or person.get("household_id") != household_id:
            errors.append(FieldError("person_id", "visit_person"))
    elif record_type == "defence_group":
        for household_id in merged.get("household_ids") or []:
            household = merge._household(household_id)
            if household is None or household.get("deleted") or household.get("grid_code") != grid:
                errors.append(FieldError("household_ids", "group_household", {"value": household_id}))
                break
    elif record_type == "defence_activity":
        group = merge.ref("defence_group", merged.get("group_id"))
        if group is None or group.get("deleted") or group.get("grid_code") != grid:
            errors.append(FieldError("group_id", "group_missing"))
    elif record_type == "task_done":
        item = merge.ref("task_item", merged.get("task_id"))
        if item is None or item.get("deleted") or not grid_scope.covers(item.get("grid_code") or "", grid):
            errors.append(FieldError("task_id", "task_missing"))
    elif record_type == "incident" and merged.get("source_type"):
        source = merge.ref(merged["source_type"], merged.get("source_id"))
        if source is None or source.get("grid_code") != grid:
            errors.append(FieldError("source_id", "case_source"))
    return errors


def _worker_holds(merge: BatchMerge, worker, grid) -> bool:
    """Whether `worker` is a worker account of the station whose codes cover `grid`."""
    found = merge.conn.execute(select(tables.user.c.role, tables.user.c.grids)
                               .where(tables.user.c.name == worker)).first() if isinstance(worker, str) else None
    return found is not None and found.role == "worker" and grid_scope.in_scope(found.grids or [], grid)
