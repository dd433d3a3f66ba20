"""The rows of the duty cycle a report needs, loaded at the station for a scope (sync.duty_reports computes)."""
from __future__ import annotations

from sqlalchemy import Connection, String, cast, func, select

from sync import records

from .incidents import _scope_clause
from .writer import chunks


def _dicts(conn: Connection, query) -> list[dict]:
    """The rows of `query` as dicts, fetched at once (row by row, SQLAlchemy's fetch cost more than the scan)."""
    result = conn.execute(query)
    names = list(result.keys())
    return [dict(zip(names, row, strict=True)) for row in result.all()]


def _live(conn: Connection, record_type: str, scope: list[str] | None, *columns: str) -> list[dict]:
    table = records.record_table(record_type)
    chosen = [table.c[c] for c in columns] if columns else [table]
    return _dicts(conn, select(*chosen).where(_scope_clause(table, scope), table.c.deleted.is_(False)))


def people(conn: Connection, scope: list[str] | None) -> list[dict]:
    """Residents of the scope in a key group (some tag), with their household's grid: id, name, tags,
    household_id, grid_code. The untagged, most residents, are left out by the database."""
    person, household = records.record_table("person"), records.record_table("household")
    query = (select(person.c.id, person.c.name, person.c.tags, person.c.household_id, household.c.grid_code)
             .join(household, household.c.id == person.c.household_id)
             .where(_scope_clause(household, scope), household.c.deleted.is_(False), person.c.deleted.is_(False),
                    cast(person.c.tags, String) != "[]"))
    return [r for r in _dicts(conn, query) if r["tags"]]


def household_counts(conn: Connection, scope: list[str] | None) -> dict[str, int]:
    """Live households per grid, counted by the database (a city holds hundreds of thousands)."""
    household = records.record_table("household")
    query = (select(household.c.grid_code, func.count()).where(_scope_clause(household, scope),
                                                               household.c.deleted.is_(False))
             .group_by(household.c.grid_code))
    return dict(conn.execute(query).all())


def members(conn: Connection, groups: list[dict]) -> list[dict]:
    """id and grid of the live households the defence groups name."""
    household = records.record_table("household")
    wanted = sorted({h for g in groups for h in g.get("household_ids") or [] if isinstance(h, str)})
    out: list[dict] = []
    for part in chunks(wanted):
        out += _dicts(conn, select(household.c.id, household.c.grid_code).where(
            household.c.id.in_(part), household.c.deleted.is_(False)))
    return out


def load(conn: Connection, scope: list[str] | None) -> dict:
    groups = _live(conn, "defence_group", scope)
    # every task item (a few hundred at most): those of the units above the scope apply to it too
    return {"people": people(conn, scope), "visits": _live(conn, "visit", scope),
            "task_items": _live(conn, "task_item", None), "task_done": _live(conn, "task_done", scope),
            "households": members(conn, groups), "household_counts": household_counts(conn, scope),
            "defence_groups": groups, "defence_activities": _live(conn, "defence_activity", scope)}
