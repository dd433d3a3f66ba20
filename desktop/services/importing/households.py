"""Group a resident list into households: by household number (户号), or by each head row.

A household is made from its head's row (name, ID number, phone, and the current
or registered address); members attach to it. An existing household (the head's ID
number already known) is reused, so importing the same list twice adds nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sync.validation import FieldError

from . import headers as h
from .rows import Row


@dataclass(slots=True)
class Group:
    key: object
    rows: list[Row] = field(default_factory=list)
    head: Row | None = None
    household_id: str | None = None      # existing or newly made
    values: dict | None = None           # the household record to create or merge
    action: str = "new"                  # new | merge | unchanged | none
    changes: dict = field(default_factory=dict)


def group_rows(rows: list[Row], mapped: set[str]) -> list[Group]:
    """Households of the rows (in file order); rows naming their household by id stay out."""
    groups: dict[object, Group] = {}
    current = None
    for row in rows:
        if row.provided.get("household_id"):
            continue
        if h.HOUSEHOLD_NUMBER in mapped:
            number = row.extras.get(h.HOUSEHOLD_NUMBER)
            key = ("no", number) if number else (("row", row.number) if row.is_head() else None)
        elif "relation_to_head" in mapped:
            if row.is_head():
                current = ("row", row.number)
            head_name = row.extras.get(h.HEAD_NAME)
            open_group = groups.get(current)
            if head_name and open_group and open_group.head and open_group.head.provided.get("name") != head_name:
                current = ("name", head_name)         # a member listed away from its head
            key = current if current or not head_name else ("name", head_name)
        else:
            key = None
        if key is None:
            continue
        group = groups.setdefault(key, Group(key))
        group.rows.append(row)
        row.group = key
        if row.is_head() and group.head is None:
            group.head = row
    return list(groups.values())


def household_values(group: Group, grid: str) -> dict:
    """The household record a group's head row describes."""
    head = group.head
    addresses = (r.extras.get(h.ADDRESS) or r.extras.get(h.REGISTERED_ADDRESS) for r in [head, *group.rows] if r)
    address = next((a for a in addresses if a), None)
    values = {"grid_code": grid, "address": address,
              "head_name": head.provided.get("name") or head.extras.get(h.HEAD_NAME),
              "head_id_number": head.values.get("id_number") if head.values else head.provided.get("id_number"),
              "phone": head.provided.get("phone"),
              "register_number": next((r.extras.get(h.HOUSEHOLD_NUMBER) for r in [head, *group.rows]
                                       if r and r.extras.get(h.HOUSEHOLD_NUMBER)), None)}
    return {k: v for k, v in values.items() if v is not None}


def fail_group(group: Group, error: FieldError) -> None:
    """A household that cannot be made takes its members' rows with it, to be fixed together."""
    for row in group.rows:
        if not any(e.code == error.code for e in row.errors):
            row.fail(error)
    group.action = "none"
