"""Work out what importing a table would do, row by row, without writing anything."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sync import gc_tuning, messages
from sync.ids import new_id
from sync.validation import ADDRESS_PENDING, FieldError, ValidationError, clean_record

from . import headers as h
from .households import Group, fail_group, group_rows, household_values
from .layout import MEMBER, Rows
from .matching import Existing, changes
from .rows import HEAD_RELATIONS, Row, map_row, validate
from .tables import Table

Progress = Callable[[int, int], None]


class BadMapping(ValueError):
    """The column mapping maps nothing, or names fields the type does not have."""


@dataclass
class ImportPlan:
    table: Table
    record_type: str
    grid: str | None
    mapping: dict
    on_duplicate: str = "merge"
    rows: list[Row] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    notes: list[tuple[int, str]] = field(default_factory=list)     # rows skipped as not data: (number, why)
    default_address: str | None = None      # for households whose rows give no address

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def failed(self) -> list[Row]:
        return [r for r in self.rows if r.errors]

    @property
    def flagged(self) -> list[Row]:
        return [r for r in self.rows if r.flag and not r.errors]

    @property
    def new_households(self) -> list[Group]:
        return [g for g in self.groups if g.action == "new"]


@gc_tuning.paused()
def analyse(store, table: Table, record_type: str, grid: str | None, mapping: dict,
            on_duplicate: str = "merge", progress: Progress | None = None,
            default_address: str | None = None) -> ImportPlan:
    """Every row converted, validated, grouped into households and matched to what exists.

    default_address: the address of households the file gives none for; without it such a
    household is stored with its address empty and tagged 待补充 (ADDRESS_PENDING)."""
    allowed = set(h.allowed_fields(record_type))
    columns = [(i, mapping[name]) for i, name in enumerate(table.headers) if mapping.get(name)]
    wrong = [f for _, f in columns if f not in allowed]
    if wrong or not columns:
        raise BadMapping(", ".join(wrong) if wrong else messages.render("import_no_columns"))
    default_address = (default_address or "").strip() or None
    plan = ImportPlan(table, record_type, grid, mapping, on_duplicate, default_address=default_address)
    data, plan.notes = Rows(table, mapping).split()
    grids = {g["code"] for g in store.list("grid")}
    total = len(data)
    extra = _household_address(default_address) if record_type == "household" else None
    for done, (number, cells) in enumerate(data, start=1):
        row = map_row(number, cells, columns, record_type, grid, table.headers)
        if record_type == "household" and not _household_row(row):
            plan.notes.append((number, MEMBER))
            continue
        validate(row, record_type, grids.__contains__, extra(row) if extra else None)
        plan.rows.append(row)
        if progress and done % 500 == 0:
            progress(done, total)
    existing = Existing(store, record_type)
    if record_type == "person":
        _repeated_id_numbers(plan.rows)
        plan.groups = group_rows(plan.rows, {f for _, f in columns})
        households = Existing(store, "household")
        _resolve_households(plan, grids, households, existing)
        _check_household_ids(set(households.by_id), plan.rows)
    for row in plan.rows:
        if row.ok:
            _match(row, existing, on_duplicate)
    plan.notes.sort()
    if progress:
        progress(total, total)
    return plan


def _household_row(row: Row) -> bool:
    """In a household list that says who is the head (与户主关系, 是否户主), only the heads' rows."""
    relation, is_head = row.extras.get(h.RELATION), row.extras.get(h.IS_HEAD)
    if is_head is not None:
        return bool(is_head)
    return relation is None or relation.replace(" ", "").lower() in HEAD_RELATIONS


def _household_address(default: str | None):
    """For a household list without addresses: the default, or the 待补充 tag."""
    def extra(row: Row) -> dict | None:
        if row.provided.get("address"):
            return None
        if default:
            return {"address": default}
        return {"tags": list(dict.fromkeys([*row.provided.get("tags", []), ADDRESS_PENDING]))}
    return extra


def _repeated_id_numbers(rows: list[Row]) -> None:
    first: dict[str, int] = {}
    for row in rows:
        number = row.values and row.values.get("id_number")
        if number and number in first:
            row.fail(FieldError("id_number", "import_dup_in_file", {"row": first[number]}))
        elif number:
            first[number] = row.number


def _match(row: Row, existing: Existing, on_duplicate: str) -> None:
    found = existing.find(row.values)
    if found is None:
        if row.action == "new" and existing.record_type == "person":
            other = existing.near_duplicate(row.values)
            if other and not row.flag:
                row.flag = messages.render("import_near_duplicate", row=row.number, name=row.values["name"],
                                           birth=row.values["birth_date"])
        existing.add(row.values)      # a later row of the same file matches this one
        return
    row.values["id"] = found["id"]
    provided = set(row.provided) | ({"household_id"} if row.values.get("household_id") else set())
    row.changes = changes(found, row.values, provided - {"id"})
    if on_duplicate == "skip":
        row.action = "skip"
    else:
        row.action = "merge" if row.changes else "unchanged"


def _resolve_households(plan: ImportPlan, grids: set, households: Existing, people: Existing) -> None:
    for group in plan.groups:
        head = group.head
        if head is None:
            head_name = next((r.extras.get(h.HEAD_NAME) for r in group.rows if r.extras.get(h.HEAD_NAME)), None)
            found = households.household_by_head_name(plan.grid, head_name) if head_name else None
            if found is None:
                number = group.key[1] if group.key[0] == "no" else head_name
                fail_group(group, FieldError("relation_to_head", "import_no_head", {"number": number}))
                continue
            group.household_id, group.action = found["id"], "unchanged"
        elif not head.ok:
            fail_group(group, FieldError("household_id", "import_household",
                                         {"row": head.number, "detail": head.errors[0].message()}))
            continue
        else:
            _head_household(group, plan.grid, households, people, grids, plan.on_duplicate,
                            plan.default_address)
            if group.action == "none":
                continue
        for row in group.rows:
            row.household_id = group.household_id
            if row.ok:
                row.values["household_id"] = group.household_id


def _head_household(group: Group, grid: str, households: Existing, people: Existing, grids: set,
                    on_duplicate: str, default_address: str | None = None) -> None:
    values = household_values(group, grid)
    person = people.find(group.head.values)
    found = households.by_id.get(person["household_id"]) if person and person.get("household_id") else None
    found = found or households.find(values)
    if found:
        group.household_id = found["id"]
        merged = {**found, **values}
        group.changes = changes(found, merged, values) if on_duplicate == "merge" else {}
        group.values = {"id": found["id"], **group.changes}
        group.action = "merge" if group.changes else "unchanged"
        return
    if not values.get("address"):      # only a new household: an existing one keeps what it has
        values.update({"address": default_address} if default_address else {"tags": [ADDRESS_PENDING]})
    try:
        group.values = clean_record("household", {"id": new_id(), **values}, grids.__contains__)
    except ValidationError as exc:
        fail_group(group, FieldError("household_id", "import_household",
                                     {"row": group.head.number, "detail": exc.message()}))
        return
    group.household_id, group.action = group.values["id"], "new"
    households.add(group.values)


def _check_household_ids(known: set, rows: list[Row]) -> None:
    """A row naming its household by id (an exported list) needs that household to exist."""
    for row in rows:
        household = row.provided.get("household_id")
        if row.ok and household and household not in known:
            row.fail(FieldError("household_id", "record_missing", {"value": household}))
