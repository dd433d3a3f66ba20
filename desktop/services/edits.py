"""Saving a form: only the fields the worker changed, against the stamps seen when it opened.

A sync may pull another laptop's edit while a form is open. Sending only what the worker
changed keeps the pulled values; the stamps seen at opening become the change's base, so
where the worker changed a field the pull changed too, the station records the concurrent
edit as a conflict for review, and the form is told here (an Overlap) to say so.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sync import records
from sync.ids import new_id
from sync.validation import FieldError, ValidationError, clean_record

from ..store import Store


@dataclass(frozen=True)
class Overlap:
    """A field the worker changed that another change (a pull) also changed while the form was open."""
    record_type: str
    record_id: str
    field: str
    theirs: object           # the value the other change wrote, kept at the station as a conflict
    mine: object             # the worker's value, which is kept


@dataclass
class Saved:
    record_id: str
    overlaps: list[Overlap] = field(default_factory=list)


def _stored(store: Store, record_type: str, record_id: str | None) -> dict | None:
    return store.get(record_type, record_id) if record_id else None


def overlaps(store: Store, record_type: str, changes: dict, seen: dict | None) -> list[Overlap]:
    """Fields of `changes` whose stamp moved since `seen` to a value other than the worker's."""
    key = records.key_field(record_type)
    current = _stored(store, record_type, changes.get(key))
    if seen is None or current is None:
        return []
    stamps = current["clocks"]
    return [Overlap(record_type, current[key], name, current[name], value)
            for name, value in changes.items()
            if name != key and name in current and stamps.get(name) != seen.get(name) and current[name] != value]


def _whole(store: Store, record_type: str, changes: dict) -> dict:
    """The record as it will be after the change: the stored fields under the changed ones."""
    current = _stored(store, record_type, changes.get(records.key_field(record_type)))
    stored = {f: current[f] for f in records.fields_of(record_type)} if current else {}
    return {**stored, **changes}


def save(store: Store, record_type: str, changes: dict, seen: dict | None = None) -> Saved:
    """Write one record's changes (a whole new record, or the changed fields and its key)."""
    with store.atomic():          # the store holds its write lock: what is read here is what is written over
        found = overlaps(store, record_type, changes, seen)
        return Saved(store.put(record_type, changes, seen=seen), found)


def save_household(store: Store, household: dict, members: list[dict], removed: Iterable[str] = (),
                   seen: dict[str, dict] | None = None) -> Saved:
    """A household with its members; every record is checked first, so one bad member saves
    nothing. Errors of member i carry params["member"] = i. `seen`: record id -> stamps seen."""
    household = dict(household)
    if not household.get("id"):
        household["id"] = new_id()
    members = [{**m, "id": m.get("id") or new_id(), "household_id": household["id"]} for m in members]
    seen = seen or {}
    errors: list[FieldError] = []
    try:
        clean_record("household", _whole(store, "household", household), store.grid_exists)
    except ValidationError as exc:
        errors.extend(exc.errors)
    for index, member in enumerate(members):
        try:
            clean_record("person", _whole(store, "person", member))
        except ValidationError as exc:
            errors.extend(FieldError(e.field, e.code, {**e.params, "member": index}) for e in exc.errors)
    if errors:
        raise ValidationError(errors)
    with store.atomic():          # the household and its members commit together
        found = overlaps(store, "household", household, seen.get(household["id"]))
        household_id = store.put("household", household, seen=seen.get(household["id"]))
        for index, member in enumerate(members):
            found += overlaps(store, "person", member, seen.get(member["id"]))
            try:       # the rules of the household as a whole (one head, one record per ID number)
                store.put("person", member, seen=seen.get(member["id"]))
            except ValidationError as exc:
                raise ValidationError([FieldError(e.field, e.code, {**e.params, "member": index})
                                       for e in exc.errors]) from exc
        for person_id in removed:
            store.delete("person", person_id)
    return Saved(household_id, found)
