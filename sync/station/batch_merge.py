"""Merge one push batch into working copies: per-field LWW, validation, scope, conflicts (no writes yet).

Current rows are prefetched with one IN query per type; a record changed twice in
one batch is merged into its working copy, so the second change sees the first. A
change prepared as its record's first (push_plan) is taken as prepared when the
record is indeed new: only its grid, household and scope are left to check.
"""
from __future__ import annotations

from sqlalchemy import Connection, select

from sync import clock, records
from sync.merge import merge_fields, stamp_device
from sync.protocol import DELETED, RECORD_BASE
from sync.validation import FieldError, ValidationError, clean_record

from . import duty_check, scope
from .auth import Caller
from .push_plan import AsNew, Refusal, as_new, field_stamps, shape_refusal, store_cleaned
from .push_wire import WireChange
from .writer import fetch_rows

REFERENCE_COLUMNS = ("grid_code",)
__all__ = ["BatchMerge", "Refusal"]


class LiveGrids:
    """Which grid codes exist (not deleted), asked of the database as a batch names them: a batch
    names one or two grids, a city-wide station holds thousands."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.known: dict[str, bool] = {}

    def __contains__(self, code: object) -> bool:
        if not isinstance(code, str):
            return False
        if code not in self.known:
            grid = records.record_table("grid")
            self.known[code] = self.conn.execute(select(grid.c.code).where(
                grid.c.code == code, grid.c.deleted.is_(False))).first() is not None
        return self.known[code]


class BatchMerge:
    def __init__(self, conn: Connection, caller: Caller, changes: list[WireChange]):
        self.conn, self.caller, self.device = conn, caller, caller.device_id
        self.rows: dict[str, dict[str, dict | None]] = {t: {} for t in records.RECORD_TYPES}
        self.original_grid: dict[str, str | None] = {}        # household id -> grid before the batch
        self.dirty: dict[tuple[str, str], bool] = {}          # (type, id) -> is new
        self.defaults: dict[tuple[str, str], dict] = {}
        self.household_refs: dict[str, dict | None] = {}     # households only pointed at: id, grid_code
        self.refs: dict[tuple[str, str], dict | None] = {}   # records pointed at (a photo's case): key columns
        self.prebuilt: dict[tuple[str, str], tuple] = {}     # (type, id) -> its row, made by push_plan
        self.conflicts: list[dict] = []
        self._seen_conflicts: set[tuple] = set()
        self.grids = LiveGrids(conn)
        self._prefetch(changes)

    def _prefetch(self, changes: list[WireChange]) -> None:
        wanted: dict[str, set] = {}
        for c in changes:
            if c.type in records.RECORD_TYPES:
                wanted.setdefault(c.type, set()).add(c.id)
        for record_type, ids in wanted.items():
            self._load(record_type, ids)
        self.original_grid = {k: (r or {}).get("grid_code") for k, r in self.rows["household"].items()}
        households = {c.f.get("household_id") for c in changes if c.type == "person"}
        households |= {r["household_id"] for r in self.rows["person"].values() if r}
        self._load_households({h for h in households if isinstance(h, str)})

    def _load_households(self, ids: set) -> None:
        """Households people point at but the batch does not change: their grid is all we need."""
        missing = [i for i in ids if i not in self.rows["household"] and i not in self.household_refs]
        found = fetch_rows(self.conn, "household", missing, columns=REFERENCE_COLUMNS)
        for i in missing:
            self.household_refs[i] = found.get(i)

    def _load(self, record_type: str, ids: set) -> None:
        missing = [i for i in ids if i not in self.rows[record_type]]
        found = fetch_rows(self.conn, record_type, missing)
        for i in missing:
            self.rows[record_type][i] = found.get(i)

    # -- one change ------------------------------------------------------------------------
    def apply(self, c: WireChange, prepared: AsNew | None = None, shape_checked: bool = False) -> None:
        """Merge one change into the working copies, or raise Refusal (nothing of it kept).

        prepared: the change as its record's first (push_plan.as_new), used if the record is new;
        shape_checked: push_plan found nothing wrong with its shape."""
        if not shape_checked:
            refusal = shape_refusal(c)
            if refusal is not None:
                raise refusal
        current = self.rows[c.type].get(c.id)
        if current is None:
            self._apply_new(c, prepared or as_new(c, self.device))
            return
        stamp = clock.stamp(c.hlc, self.device)
        cur_clocks = current["clocks"]
        updates, clocks, overwrites = merge_fields(current, cur_clocks, c.f, field_stamps(c, self.device))
        merged = {**current, **updates, "clocks": clocks}
        merged.setdefault(DELETED, False)
        cleaned = self._validate(c, merged, updates)
        store_cleaned(merged, updates, cleaned)
        self._check_scope(c, current, merged)
        if updates:
            self.rows[c.type][c.id] = merged
            self.defaults[(c.type, c.id)] = cleaned
            self.dirty.setdefault((c.type, c.id), False)
            self.prebuilt.pop((c.type, c.id), None)
        if c.s is None:
            self._note_conflicts(c, stamp, current, cur_clocks, merged, overwrites)
        else:
            self._note_forwarded(c, cur_clocks, overwrites)

    def _apply_new(self, c: WireChange, new: AsNew) -> None:
        """A record the station has not seen (most of a first push): every field wins, nothing to
        note; the same outcome as the general path, without its merge bookkeeping."""
        errors = new.errors
        if new.grid is not None and new.grid not in self.grids:
            errors = [*errors, FieldError("grid_code", "grid_missing", {"value": new.grid})]
        errors = self._reference_errors(c, new.merged, errors)
        if errors:
            raise Refusal(422, "invalid", errors)
        self._check_scope(c, None, new.merged)
        key = (c.type, c.id)
        self.rows[c.type][c.id] = new.merged
        self.defaults[key] = new.cleaned
        self.dirty.setdefault(key, True)
        if new.row is not None:
            self.prebuilt[key] = new.row

    def _validate(self, c: WireChange, merged: dict, updates: dict) -> dict:
        """The merged record must be whole and valid, and so must the values this change brings."""
        fields = records.fields_of(c.type)
        errors: list[FieldError] = []
        cleaned = {}
        try:       # merged holds known fields only (checked above) besides clocks and deleted
            cleaned = clean_record(c.type, merged, self.grids.__contains__, known_only=True)
        except ValidationError as exc:
            errors.extend(exc.errors)
        lost = [k for k in c.f if k not in updates and k in fields] if len(updates) < len(c.f) else None
        if lost:        # values that lost the merge are checked too, as if they had won
            proposed = {**{f: merged.get(f) for f in fields}, **{k: c.f[k] for k in lost}}
            try:
                clean_record(c.type, proposed, self.grids.__contains__)
            except ValidationError as exc:
                errors.extend(e for e in exc.errors if e.field in lost and e not in errors)
        errors = self._reference_errors(c, merged, errors)
        if errors:
            raise Refusal(422, "invalid", errors)
        return cleaned

    def _reference_errors(self, c: WireChange, merged: dict, errors: list[FieldError]) -> list[FieldError]:
        """A resident's household must exist; a photo's case must be of its own grid; a duty record's
        references must hold (duty_check)."""
        if c.type == "person":
            household = merged.get("household_id")
            if household and self._household(household) is None:
                return [*errors, FieldError("household_id", "record_missing", {"value": household})]
            if not household and not merged.get("deleted"):
                # a resident is scoped by its household's grid: without one no account could ever see it
                return [*errors, FieldError("household_id", "required")]
        elif c.type == "photo" and not merged.get("deleted"):
            # a photo belongs to a case of its own grid: never another grid's case (its bytes follow it)
            case = self.ref("incident", merged.get("incident_id"))
            if case is None or case.get("grid_code") != merged.get("grid_code"):
                return [*errors, FieldError("incident_id", "photo_incident")]
        if c.type in duty_check.CHECKED:
            return [*errors, *duty_check.problems(self, c.type, merged)]
        return errors

    def ref(self, record_type: str, record_id, columns: tuple[str, ...] = REFERENCE_COLUMNS) -> dict | None:
        """A record pointed at, as the batch leaves it so far, else as stored (its `columns` and
        tombstone only); None if there is none."""
        if not isinstance(record_id, str) or record_type not in self.rows:
            return None
        if record_id in self.rows[record_type]:
            found = self.rows[record_type][record_id]
        else:
            if (record_type, record_id) not in self.refs:
                fetched = fetch_rows(self.conn, record_type, [record_id], columns=(*columns, DELETED))
                self.refs[(record_type, record_id)] = fetched.get(record_id)
            found = self.refs[(record_type, record_id)]
        return found

    def _household(self, household_id: str) -> dict | None:
        """The household as the batch leaves it so far (or its stored grid, if the batch does not change it)."""
        if household_id in self.rows["household"]:
            return self.rows["household"][household_id]
        if household_id not in self.household_refs:
            self._load_households({household_id})
        return self.household_refs[household_id]

    def grid_of(self, record_type: str, row: dict | None) -> str | None:
        """A record's grid; a person's is its household's."""
        if not row:
            return None
        if record_type == "person":
            household = self._household(row["household_id"]) if row.get("household_id") else None
            return household.get("grid_code") if household else None
        return row.get("grid_code")

    def _check_scope(self, c: WireChange, current: dict | None, merged: dict) -> None:
        was = self.grid_of(c.type, current)
        grids: tuple[str | None, ...] = (was, self.grid_of(c.type, merged))
        if self.caller.role == "station" and was and scope.in_scope(self.caller.grids, was):
            grids = (was,)     # a lower station's own record moved away (its accounts were checked there)
        for grid in grids:
            if grid and not scope.in_scope(self.caller.grids, grid):
                raise Refusal(403, "out_of_scope", [FieldError("grid_code", "out_of_scope_one", {"grid": grid})])

    # -- conflicts ---------------------------------------------------------------------------
    def _conflict(self, kind: str, c: WireChange, field: str, kept, kept_stamp, lost, lost_stamp) -> None:
        # a soft conflict is about the other device's change: note it once, however many edits met it
        key = (kind, c.type, c.id, field, kept_stamp, None if kind == "soft" else lost_stamp)
        if key not in self._seen_conflicts:
            self._seen_conflicts.add(key)
            self.conflicts.append({"kind": kind, "record_type": c.type, "record_id": c.id, "field": field,
                                   "kept_value": kept, "kept_stamp": kept_stamp,
                                   "lost_value": lost, "lost_stamp": lost_stamp})

    def _concurrent(self, c: WireChange, field: str, other: str | None) -> bool:
        """Another device's stamp on `field` that this change's author had not seen."""
        return other is not None and other != c.b.get(field) and stamp_device(other) != self.device

    def _note_forwarded(self, c: WireChange, cur_clocks: dict, overwrites) -> None:
        """A lower station's state: its base (c.b) is what it last exchanged with this station. A field
        changed below since (its stamp is not the base) that this station also holds at another stamp
        than the base is two concurrent edits (a field the base lacks was unset). A record without a base
        was never exchanged (or forwarded before bases were kept): nothing is noted."""
        stamps = c.s or {}
        for o in overwrites:
            base = c.b.get(o.field)
            if c.b and stamps.get(o.field) != base and cur_clocks.get(o.field) != base:
                kind = "edit_on_deleted" if o.field == DELETED else "hard"
                self._conflict(kind, c, o.field, o.winner_value, o.winner_stamp, o.loser_value, o.loser_stamp)

    def _note_conflicts(self, c, stamp, current, cur_clocks, merged, overwrites) -> None:
        for o in overwrites:
            if self._concurrent(c, o.field, cur_clocks.get(o.field)):
                self._conflict("hard", c, o.field, o.winner_value, o.winner_stamp, o.loser_value, o.loser_stamp)
        if current is None:
            return
        key = records.key_field(c.type)
        seen = c.b.get(RECORD_BASE, "")
        others = {f: s for f, s in cur_clocks.items()
                  if f not in c.f and f not in (key, DELETED) and stamp_device(s) != self.device and s > seen}
        edits = [f for f in c.f if f != DELETED]
        tomb = merged["clocks"].get(DELETED)
        if merged[DELETED] and edits and self._concurrent(c, DELETED, tomb) and tomb != stamp:
            self._conflict("edit_on_deleted", c, DELETED, True, tomb, False, stamp)
        elif c.f.get(DELETED) is True and not current[DELETED] and others:
            self._conflict("edit_on_deleted", c, DELETED, True, stamp, False, max(others.values()))
        else:
            for f, s in others.items():
                self._conflict("soft", c, f, current.get(f), s, None, stamp)
