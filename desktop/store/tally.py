"""The laptop's side of the end-of-sync check (sync.digest): its records in a scope, folded like the station's."""
from __future__ import annotations

from sqlalchemy import select

from sync import digest, grid_scope, records

from .repository import Store
from .schema import change_log

UNSETTLED = ("pending", "set_aside")


def unsettled(store: Store) -> set[tuple[str, str]]:
    """(type, id) of records with changes the station has not taken: they differ by design."""
    with store.reading() as conn:
        return {(t, i) for t, i in conn.execute(select(change_log.c.record_type, change_log.c.record_id)
                                                 .where(change_log.c.state.in_(UNSETTLED)).distinct())}


def placed_rows(store: Store, record_type: str) -> list[tuple[str, dict | None, str | None]]:
    """(id, clocks, grid) of every local record of a type, tombstones too; a resident's grid is its household's."""
    table = records.record_table(record_type)
    with store.reading() as conn:
        if record_type == "person":
            household = records.record_table("household")
            query = select(table.c.id, table.c.clocks, household.c.grid_code).outerjoin(
                household, household.c.id == table.c.household_id)
        else:
            query = select(table.c.id, table.c.clocks, table.c.grid_code)
        return [tuple(r) for r in conn.execute(query)]


def in_scope_ids(store: Store, record_type: str, scope_codes: list[str], exclude: set[tuple[str, str]]) -> list[str]:
    return [i for i, _c, grid in placed_rows(store, record_type)
            if grid_scope.in_scope(scope_codes, grid) and (record_type, i) not in exclude]


def tally(store: Store, scope_codes: list[str], exclude: set[tuple[str, str]]) -> dict[str, dict]:
    found = digest.Tally()
    for record_type in digest.CHECKED_TYPES:
        found.add_all(record_type, ((i, c) for i, c, grid in placed_rows(store, record_type)
                                    if grid_scope.in_scope(scope_codes, grid) and (record_type, i) not in exclude))
    return found.as_wire()
