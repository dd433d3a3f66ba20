"""A resident's grid, written with the resident by the bulk paths (schema 8 keeps it by triggers otherwise).

`person.grid_code` is the grid of the resident's live household, local to the data file (never
a field, never synced). A trigger sets it after any insert that leaves it empty; the bulk
paths (imports, pulls) look the households up once per batch and write it with the row, so
tens of thousands of residents are not each written twice.
"""
from __future__ import annotations

from sqlalchemy import Connection

COLUMN = "grid_code"
CHUNK = 500


def household_grids(conn: Connection, household_ids) -> dict[str, str]:
    """household id -> grid code of the live households among `household_ids`."""
    ids = sorted({h for h in household_ids if isinstance(h, str)})
    found: dict[str, str] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start:start + CHUNK]
        marks = ", ".join("?" * len(part))
        found.update(conn.exec_driver_sql(
            f"SELECT id, grid_code FROM household WHERE id IN ({marks}) AND deleted = 0", tuple(part)).all())
    return found


def with_grids(conn: Connection, record_type: str, names: list[str], values: list[tuple],
               rows: list[dict]) -> tuple[list[str], list[tuple]]:
    """The insert's column names and driver rows, with each resident's grid added (other types as they are)."""
    if record_type != "person" or not rows:
        return names, values
    grids = household_grids(conn, (r.get("household_id") for r in rows))
    return [*names, COLUMN], [(*v, grids.get(r.get("household_id") or "")) for v, r in zip(values, rows, strict=True)]
