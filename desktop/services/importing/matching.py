"""Find the existing record an imported row is: by id, ID number, or the natural key of its type.

One bulk read per import (Store.list), indexed in memory, so 10,000 rows cost one query.
"""
from __future__ import annotations

from collections import defaultdict

from sync import sensitive


def _norm(text) -> str:
    if not text:
        return ""
    text = str(text)
    return text if text.isalnum() else "".join(text.split())     # isalnum: nothing to take out (most keys)


NATURAL_KEYS = {
    "person": (("id_number",),),
    "household": (("grid_code", "head_id_number"), ("grid_code", "head_name", "address")),
    "building": (("grid_code", "address", "name"),),
    "organisation": (("grid_code", "name"),),
}


class Existing:
    """The live records of one type, looked up by id and by natural keys."""

    def __init__(self, store, record_type: str):
        self.record_type = record_type
        self.by_id = {r["id"]: r for r in store.list(record_type)}
        self.keys: dict[tuple, dict] = {}
        self.by_name_birth: dict[tuple, list[dict]] = defaultdict(list)
        self.by_head_name: dict[tuple, list[dict]] = defaultdict(list)
        for row in self.by_id.values():
            self.add(row)

    def add(self, row: dict) -> None:
        for fields in NATURAL_KEYS.get(self.record_type, ()):
            key = self._key(fields, row)
            if key:
                self.keys.setdefault(key, row)
        if self.record_type == "person" and row.get("birth_date"):
            self.by_name_birth[(row["name"], row["birth_date"])].append(row)
        if self.record_type == "household":
            self.by_head_name[(row["grid_code"], row["head_name"])].append(row)

    @staticmethod
    def _key(fields, row) -> tuple | None:
        values = []
        for name in fields:              # a row without one of the fields has no such key: stop there
            value = _norm(row.get(name))
            if not value:
                return None
            values.append(value)
        return fields, tuple(values)

    def find(self, values: dict) -> dict | None:
        if values.get("id") in self.by_id:
            return self.by_id[values["id"]]
        for fields in NATURAL_KEYS.get(self.record_type, ()):
            key = self._key(fields, values)
            if key and key in self.keys:
                return self.keys[key]
        return None

    def near_duplicate(self, values: dict) -> dict | None:
        """A resident with this name and birth date but another ID number."""
        for other in self.by_name_birth.get((values.get("name"), values.get("birth_date")), ()):
            if other.get("id_number") != values.get("id_number"):
                return other
        return None

    def household_by_head_name(self, grid: str, head_name: str) -> dict | None:
        found = self.by_head_name.get((grid, head_name), [])
        return found[0] if len(found) == 1 else None


def changes(existing: dict, values: dict, provided) -> dict:
    """The fields the row fills in whose cleaned value differs from the stored one. A sheet's tags add
    to the sensitive key groups and never remove one: an export leaves them out unless asked for."""
    if "tags" in provided and "tags" in values:
        values = {**values, "tags": sensitive.keep_hidden(values["tags"], existing.get("tags"), True,
                                                          may_remove=False)}
    return {f: values[f] for f in provided if f in values and values[f] != existing.get(f)}
