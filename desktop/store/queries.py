"""Paged, sorted, filtered reads for the workbench tables and the dashboard (no Qt).

A table never loads a whole record type: it asks for one page at a time, with the
filter (grid subtree, key-group tag, search hits, text) applied in SQL.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, FromClause, and_, func, literal_column, or_, select, text

from sync import records

from . import name_order
from .repository import Store

HEAD = "户主"     # relation_to_head of the head of household
# a resident's grid, local to the data file and not a field (migration 0007)
PERSON_GRID: ColumnElement[str] = literal_column("person.grid_code")
# Free-text filter of the types the FTS index does not cover.
TEXT_FIELDS = {
    "building": ("name", "address"), "organisation": ("name", "address", "contact"),
    "incident": ("title", "location", "parties"), "patrol": ("worker", "notes"),
    "household": ("head_name", "address"), "person": ("name",),
}


@dataclass(frozen=True)
class Filter:
    """What a table shows: records under a grid (any level), with a tag, among search hits."""
    grid: str | None = None
    tag: str | None = None
    ids: tuple[str, ...] | None = None
    text: str | None = None


def _grid_clause(column, code: str):
    # Codes below a unit extend its code (420704100201 -> 420704100201-03), so a
    # subtree is a key range the grid_code index can serve.
    if "-" in code:
        return column == code
    return column.between(code, code + "~")


def _where(record_type: str, table, flt: Filter) -> list:
    clauses = [table.c.deleted.is_(False)]
    if flt.grid:
        if record_type == "person":
            # the household's grid, kept on the resident by the data file (schema 8): an index range
            clauses.append(_grid_clause(PERSON_GRID, flt.grid))
        elif record_type == "grid":
            clauses.append(or_(table.c.code == flt.grid, _grid_clause(table.c.code, flt.grid)))
        else:
            clauses.append(_grid_clause(table.c.grid_code, flt.grid))
    if flt.tag and "tags" in table.c:
        clauses.append(text(f"EXISTS (SELECT 1 FROM json_each({table.name}.tags) j WHERE j.value = :tag)")
                       .bindparams(tag=flt.tag))
    if flt.ids is not None:
        clauses.append(table.c[records.key_field(record_type)].in_(flt.ids))
    if flt.text and record_type in TEXT_FIELDS:
        pattern = f"%{flt.text.strip()}%"
        clauses.append(or_(*(table.c[f].like(pattern) for f in TEXT_FIELDS[record_type])))
    return clauses


def page(store: Store, record_type: str, flt: Filter = Filter(), order_by: str | None = None,
         descending: bool = False, limit: int = 200, offset: int = 0) -> list[dict]:
    """One page of records (canonical fields only), sorted, then by key for a stable order."""
    table = records.record_table(record_type)
    key = table.c[records.key_field(record_type)]
    columns = [table.c[f] for f in records.fields_of(record_type)]
    order = []
    source: FromClause = table
    if order_by and order_by == name_order.SORTED_FIELDS.get(record_type):
        # names in pinyin order; a row written around the store (no key) falls back to its name
        keys = name_order.order_table(record_type)
        source = table.outerjoin(keys, keys.c.id == literal_column(f"{table.name}.rowid"))
        sort = func.coalesce(keys.c.key, table.c[order_by])
        order.append(sort.desc() if descending else sort.asc())
    elif order_by and order_by in records.fields_of(record_type) and order_by != key.name:
        column = table.c[order_by]
        order.append(column.desc() if descending else column.asc())
    order.append(key.desc() if descending and (not order_by or order_by == key.name) else key.asc())
    query = (select(*columns).select_from(source).where(and_(*_where(record_type, table, flt)))
             .order_by(*order).limit(limit).offset(offset))
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def count(store: Store, record_type: str, flt: Filter = Filter()) -> int:
    table = records.record_table(record_type)
    query = select(func.count()).select_from(table).where(and_(*_where(record_type, table, flt)))
    with store.reading() as conn:
        return conn.execute(query).scalar_one()


def members(store: Store, household_id: str, stamps: bool = False) -> list[dict]:
    """The residents of one household, the head first, then in the order they were added
    (with `stamps`, each with its field stamps under "clocks", read with its values)."""
    table = records.record_table("person")
    columns = [table.c[f] for f in records.fields_of("person")] + ([table.c.clocks] if stamps else [])
    query = (select(*columns).where(table.c.household_id == household_id, table.c.deleted.is_(False))
             .order_by((table.c.relation_to_head == HEAD).desc(), table.c.id))
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def grids(store: Store) -> list[dict]:
    """The whole hierarchy (a few thousand rows at most), ordered by code."""
    table = records.record_table("grid")
    query = (select(table.c.code, table.c.name, table.c.level, table.c.parent_code)
             .where(table.c.deleted.is_(False)).order_by(table.c.code))
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def _grouped(conn, sql: str, params: dict) -> dict:
    return {tuple(r[:-1]) if len(r) > 2 else r[0]: r[-1] for r in conn.execute(text(sql), params)}


def dashboard_counts(store: Store, grid: str | None, since: str) -> dict:
    """Aggregates per grid code under `grid` (all grids if None); `since` bounds recent activity.

    Households and residents (by residence and key-group tag) come from the data file's own
    counts per grid (grid_tally, kept by triggers: schema 8), a few rows whatever the size."""
    low, high = (grid, grid if "-" in grid else grid + "~") if grid else ("", "~")
    params = {"low": low, "high": high, "since": since}
    in_range = "grid_code BETWEEN :low AND :high AND NOT deleted"
    tally = "FROM grid_tally WHERE grid_code BETWEEN :low AND :high AND n > 0 AND kind = "
    with store.reading() as conn:
        return {
            "households": _grouped(conn, f"SELECT grid_code, n {tally}'household'", params),
            "buildings": _grouped(conn, f"SELECT grid_code, count(*) FROM building WHERE {in_range} "
                                        "GROUP BY grid_code", params),
            "residents": _grouped(conn, f"SELECT grid_code, value, n {tally}'residence'", params),
            "key_groups": _grouped(conn, f"SELECT grid_code, value, n {tally}'tag'", params),
            "open_incidents": [tuple(r) for r in conn.execute(text(
                f"SELECT grid_code, deadline FROM incident WHERE {in_range} AND status != 'closed'"), params)],
            "recent_reports": [tuple(r) for r in conn.execute(text(
                f"SELECT grid_code, reported_at FROM incident WHERE {in_range} AND reported_at >= :since"),
                params)],
            "recent_patrols": [tuple(r) for r in conn.execute(text(
                f"SELECT grid_code, started_at, ended_at FROM patrol WHERE {in_range} AND started_at >= :since"),
                params)],
        }
