"""The ledger use cases: keep records, find them, report the store's sync status, export."""
from __future__ import annotations

import builtins
import csv
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TextIO

import orjson

from sync import incident_warnings, messages, records, sensitive
from sync.validation import FieldError, ValidationError

from ..store import Store, household_rules, identity, queries, replication
from ..store.queries import Filter
from . import edits, refused


@dataclass
class Status:
    pending: int
    set_aside: int
    last_sync: str | None
    station: str | None
    user: str | None
    device_id: str
    data_file: str
    identity_note: str | None = None      # why this folder syncs as a new device, if it forked
    sync_check: dict | None = None        # the last end-of-sync comparison with the station

    def as_dict(self) -> dict:
        return asdict(self)


def last_check(store: Store) -> dict | None:
    from desktop.syncing import check

    return check.last_check(store)


def identity_message(store: Store) -> str | None:
    """The folder's fork, in the user's language (desktop.store.identity), or None."""
    from desktop.syncing import errors  # noqa: F401  (registers the client_forked_* messages)

    note = identity.note(store)
    if not note:
        return None
    return messages.render(f"client_forked_{note['reason']}", at=note["at"], previous=note["previous_device"])


def public(row: dict) -> dict:
    """A record as the wire and exports show it: canonical fields only."""
    return {k: v for k, v in row.items() if k not in records.SYNC_COLUMNS}


class Ledger:
    def __init__(self, store: Store):
        self.store = store

    def add_grid(self, code: str, name: str, level: str, parent_code: str | None = None) -> str:
        return self.store.put("grid", {"code": code, "name": name, "level": level, "parent_code": parent_code})

    def put(self, record_type: str, values: dict) -> str:
        """Create or change a record; a new household named with its head gets that head as its 户主
        resident too (one fact, stored once: store/household_rules.py keeps the two in step)."""
        new_household = record_type == "household" and not (values.get("id") and self.store.get("household",
                                                                                                values["id"]))
        with self.store.atomic():
            key = self.store.put(record_type, values)
            if new_household and values.get("head_name") and not self.members(key):
                self.store.put("person", {"household_id": key, "name": values["head_name"],
                                          "id_number": values.get("head_id_number"), "phone": values.get("phone"),
                                          "relation_to_head": household_rules.HEAD})
        return key

    def put_many(self, record_type: str, rows: builtins.list[dict]) -> builtins.list[str]:
        return self.store.put_many(record_type, rows)

    def get(self, record_type: str, record_id: str) -> dict | None:
        row = self.store.get(record_type, record_id)
        return public(row) if row else None

    def list(self, record_type: str, grid: str | None = None, limit: int | None = None,
             offset: int = 0) -> builtins.list[dict]:
        return [public(r) for r in self.store.list(record_type, grid, limit, offset)]

    # -- the sensitive key groups (sync/sensitive.py) ---------------------------------------
    def full_view(self, grid_code: str | None = None) -> bool:
        """Whether this laptop's account sees the sensitive key groups in full: the setting of the township
        holding `grid_code` (None: this laptop's first grid, as a new record's form has none yet)."""
        if grid_code is None:
            grid_code = next((g["code"] for g in queries.grids(self.store) if g["level"] == "grid"), None)
        settings = incident_warnings.settings_from_rows(self.store.list("setting"))
        return sensitive.full_view(self.store.get_meta("role"), settings.for_grid(grid_code))

    def export_rows(self, record_type: str, grid: str | None = None,
                    include_sensitive: bool = False) -> builtins.list[dict]:
        """Records for an export: without the sensitive key groups unless asked for, and only an
        account the township allows may ask."""
        rows = self.list(record_type, grid)
        if record_type not in sensitive.TAGGED_TYPES:
            return rows
        if not include_sensitive:
            return [sensitive.strip(r) for r in rows]
        settings = incident_warnings.settings_from_rows(self.store.list("setting"))
        role, allowed = self.store.get_meta("role"), {}
        grids = {} if record_type == "household" else \
            {h["id"]: h["grid_code"] for h in self.store.list("household", grid)}
        for row in rows:           # each sensitive row by the setting of the township holding its grid
            if sensitive.is_sensitive(row.get("tags")):
                code = row.get("grid_code") or grids.get(row.get("household_id"))
                if code not in allowed:
                    allowed[code] = sensitive.full_view(role, settings.for_grid(code))
                if not allowed[code]:
                    raise ValidationError([FieldError("tags", "sensitive_refused")])
        return rows

    def delete(self, record_type: str, record_id: str) -> None:
        """Delete a record (a tombstone that syncs); a household takes its members with it."""
        with self.store.atomic():
            if record_type == "household":
                for member in self.members(record_id):
                    self.store.delete("person", member["id"])
            self.store.delete(record_type, record_id)

    def search(self, text: str, record_types=("household", "person"), limit: int = 50) -> builtins.list[dict]:
        return self.store.search(text, record_types, limit)

    # -- the workbench: paged reads and whole-household saves -------------------------
    def page(self, record_type: str, flt: Filter | None = None, order_by: str | None = None,
             descending: bool = False, limit: int = 200, offset: int = 0) -> builtins.list[dict]:
        return queries.page(self.store, record_type, flt or Filter(), order_by, descending, limit, offset)

    def count_matching(self, record_type: str, flt: Filter | None = None) -> int:
        return queries.count(self.store, record_type, flt or Filter())

    def members(self, household_id: str) -> builtins.list[dict]:
        return queries.members(self.store, household_id)

    def hierarchy(self) -> builtins.list[dict]:
        return queries.grids(self.store)

    def search_ids(self, text: str, record_type: str, limit: int = 500) -> tuple[str, ...]:
        """Ids of the records of one type the search finds (FTS for households and residents)."""
        if record_type in ("household", "person"):
            return tuple(r["id"] for r in self.store.search(text, (record_type,), limit))
        return tuple(r["id"] for r in queries.page(self.store, record_type, Filter(text=text), limit=limit))

    def save_household(self, household: dict, members: builtins.list[dict], removed: Iterable[str] = (),
                       seen: dict[str, dict] | None = None) -> str:
        """Save a household with its members (all or nothing); see edits.save_household."""
        return edits.save_household(self.store, household, members, removed, seen).record_id

    # -- forms: only what the worker changed, against what the form saw -----------------
    def opened(self, record_type: str, record_id: str) -> tuple[dict | None, dict]:
        """A record as a form opens it: its fields, and the stamps they had (the base of its save)."""
        row = self.store.get(record_type, record_id)
        return (public(row), dict(row["clocks"])) if row else (None, {})

    def opened_members(self, household_id: str) -> tuple[builtins.list[dict], dict[str, dict]]:
        """A household's members as its form opens them, and each one's stamps by id."""
        rows = queries.members(self.store, household_id, stamps=True)
        return [public(r) for r in rows], {r["id"]: dict(r["clocks"] or {}) for r in rows}

    def save(self, record_type: str, changes: dict, seen: dict | None = None) -> edits.Saved:
        return edits.save(self.store, record_type, changes, seen)

    def save_household_edits(self, household: dict, members: builtins.list[dict], removed: Iterable[str] = (),
                             seen: dict[str, dict] | None = None) -> edits.Saved:
        return edits.save_household(self.store, household, members, removed, seen)

    def status(self) -> Status:
        store = self.store
        return Status(pending=replication.pending_count(store),
                      set_aside=len(replication.set_aside_changes(store)),
                      last_sync=store.get_meta("last_sync"), station=store.get_meta("station_url"),
                      user=store.get_meta("user"), device_id=store.device_id, data_file=str(store.path),
                      identity_note=identity_message(store), sync_check=last_check(store))

    def set_aside(self) -> builtins.list[dict]:
        """The changes the station refused: seq, type, id, label (the record's name), reason, editable."""
        return refused.listing(self.store)

    def discard_set_aside(self, seqs: builtins.list[int]) -> int:
        """Give up sending these refused changes; their records go back to what the station holds."""
        return refused.discard(self.store, list(seqs))

    def export(self, fmt: str, out: TextIO, record_types: Iterable[str] | None = None,
               include_sensitive: bool = False) -> int:
        """Write records as JSON lines ({"type": ..., fields}) or CSV (one type); return the count.
        The sensitive key groups are left out unless `include_sensitive` (export_rows)."""
        types = list(record_types or records.RECORD_TYPES)
        count = 0
        if fmt == "csv":
            if len(types) != 1:
                raise ValueError("csv export needs exactly one --type")
            writer = csv.DictWriter(out, fieldnames=records.fields_of(types[0]))
            writer.writeheader()
            for row in self.export_rows(types[0], include_sensitive=include_sensitive):
                writer.writerow({k: ",".join(v) if isinstance(v, list) else v for k, v in row.items()})
                count += 1
            return count
        for record_type in types:
            for row in self.export_rows(record_type, include_sensitive=include_sensitive):
                out.write(orjson.dumps({"type": record_type, **row}).decode() + "\n")
                count += 1
        return count


def to_json(value) -> str:
    return orjson.dumps(value).decode()

