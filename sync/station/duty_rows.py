"""The rows of the duty cycle a report needs, loaded at the station for a scope (sync.duty_reports computes)."""
from __future__ import annotations

from sqlalchemy import Connection, select

from sync import records

from .incidents import _scope_clause


def _live(conn: Connection, record_type: str, scope: list[str] | None, *columns: str) -> list[dict]:
    table = records.record_table(record_type)
    chosen = [table.c[c] for c in columns] if columns else [table]
    query = select(*chosen).where(_scope_clause(table, scope), table.c.deleted.is_(False))
    return [dict(r) for r in conn.execute(query).mappings()]


def people(conn: Connection, scope: list[str] | None) -> list[dict]:
    """Residents of the scope with their household's grid: id, name, tags, household_id, grid_code."""
    person, household = records.record_table("person"), records.record_table("household")
    query = (select(person.c.id, person.c.name, person.c.tags, person.c.household_id, household.c.grid_code)
             .join(household, household.c.id == person.c.household_id)
             .where(_scope_clause(household, scope), household.c.deleted.is_(False), person.c.deleted.is_(False)))
    return [dict(r) for r in conn.execute(query).mappings() if r["tags"]]


def load(conn: Connection, scope: list[str] | None) -> dict[str, list[dict]]:
    # every task item (a few hundred at most): those of the units above the scope apply to it too
    return {"people": people(conn, scope), "visits": _live(conn, "visit", scope),
            "task_items": _live(conn, "task_item", None), "task_done": _live(conn, "task_done", scope),
            "households": _live(conn, "household", scope, "id", "grid_code"),
            "defence_groups": _live(conn, "defence_group", scope),
            "defence_activities": _live(conn, "defence_activity", scope)}
