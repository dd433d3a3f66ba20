"""Reads for the duty-cycle services (visits, patrols, tasks, groups): by a grid's subtree or by a field."""
from __future__ import annotations

import orjson
from sqlalchemy import and_, select, text

from sync import records

from .queries import _grid_clause
from .repository import Store


def by_field(store: Store, record_type: str, field: str, values, order_by: str | None = None,
             descending: bool = True) -> list[dict]:
    """Live rows whose `field` is one of `values` (chunks of 500), newest `order_by` first if given."""
    table = records.record_table(record_type)
    wanted = sorted({v for v in values if v})
    out: list[dict] = []
    with store.reading() as conn:
        for start in range(0, len(wanted), 500):
            query = select(table).where(table.c[field].in_(wanted[start:start + 500]), table.c.deleted.is_(False))
            out += [dict(r._mapping) for r in conn.execute(query)]
    if order_by:
        out.sort(key=lambda r: (r.get(order_by) or "", r[records.key_field(record_type)]), reverse=descending)
    return out


def in_grid(store: Store, record_type: str, grid: str | None, order_by: str | None = None,
            descending: bool = True) -> list[dict]:
    """Live rows of a record type with a grid_code, under `grid` (any level; None: all)."""
    table = records.record_table(record_type)
    clauses = [table.c.deleted.is_(False)]
    if grid:
        clauses.append(_grid_clause(table.c.grid_code, grid))
    query = select(table).where(and_(*clauses))
    if order_by:
        column = table.c[order_by]
        query = query.order_by(column.desc() if descending else column.asc(), table.c.id)
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def tagged_people(store: Store, grid: str | None) -> list[dict]:
    """Residents with any key-group tag under `grid`: id, name, tags, household_id and their household's grid."""
    low, high = (grid, grid if "-" in grid else grid + "~") if grid else ("", "~")
    sql = ("SELECT p.id, p.name, p.tags, p.household_id, h.grid_code, h.address FROM person p "
           "JOIN household h ON h.id = p.household_id "
           "WHERE h.grid_code BETWEEN :low AND :high AND NOT h.deleted AND NOT p.deleted "
           "AND json_array_length(p.tags) > 0 ORDER BY p.id")
    with store.reading() as conn:
        return [{**dict(r._mapping), "tags": orjson.loads(r.tags) if isinstance(r.tags, str) else r.tags}
                for r in conn.execute(text(sql), {"low": low, "high": high})]


def household_grids(store: Store, grid: str | None = None) -> list[dict]:
    """Every live household's id and grid (under `grid`), without the rest of it."""
    table = records.record_table("household")
    clauses = [table.c.deleted.is_(False)] + ([_grid_clause(table.c.grid_code, grid)] if grid else [])
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table.c.id, table.c.grid_code).where(and_(*clauses)))]
