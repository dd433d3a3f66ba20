"""Frozen DDL of the record tables, shared by the client's and the station's first migration.

Migrations must not follow later edits of sync/records.py, so the columns are
spelled out here as they were in schema version 1. Later versions add migrations.
"""
from collections.abc import Callable

import sqlalchemy as sa

JSON_DEFAULT_DICT = sa.text("'{}'")
JSON_DEFAULT_LIST = sa.text("'[]'")


def _sync_columns():
    return [sa.Column("clocks", sa.JSON, nullable=False, server_default=JSON_DEFAULT_DICT),
            sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false())]


ColumnsV = Callable[[], list[sa.Column]]
RECORD_TABLES_V1: dict[str, ColumnsV] = {
    "grid": lambda: [
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("parent_code", sa.String(40), index=True)],
    "household": lambda: [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("head_name", sa.String(50), nullable=False),
        sa.Column("head_id_number", sa.String(18), index=True),
        sa.Column("phone", sa.String(20)),
        sa.Column("building_id", sa.String(36)),
        sa.Column("tags", sa.JSON, nullable=False, server_default=JSON_DEFAULT_LIST),
        sa.Column("notes", sa.String(2000))],
    "person": lambda: [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("household_id", sa.String(36), index=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("id_number", sa.String(18), index=True),
        sa.Column("gender", sa.String(6)),
        sa.Column("birth_date", sa.String(10)),
        sa.Column("relation_to_head", sa.String(20)),
        sa.Column("phone", sa.String(20)),
        sa.Column("residence", sa.String(10), nullable=False),
        sa.Column("tags", sa.JSON, nullable=False, server_default=JSON_DEFAULT_LIST),
        sa.Column("notes", sa.String(2000))],
    "building": lambda: [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("name", sa.String(100)),
        sa.Column("floors", sa.Integer),
        sa.Column("use", sa.String(12)),
        sa.Column("structure", sa.String(40)),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float)],
    "organisation": lambda: [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(40)),
        sa.Column("address", sa.String(200)),
        sa.Column("contact", sa.String(50)),
        sa.Column("phone", sa.String(20))],
    "incident": lambda: [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("category", sa.String(20), nullable=False),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("description", sa.String(4000)),
        sa.Column("location", sa.String(200)),
        sa.Column("parties", sa.String(500)),
        sa.Column("reported_at", sa.String(32), nullable=False),
        sa.Column("reported_by", sa.String(50)),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("deadline", sa.String(32))],
    "patrol": lambda: [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("worker", sa.String(50), nullable=False),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("ended_at", sa.String(32)),
        sa.Column("notes", sa.String(2000))],
}


def create_record_tables_v1(op) -> None:
    """Create the seven record tables as schema version 1 defined them."""
    for name, columns in RECORD_TABLES_V1.items():
        cols = columns()
        op.create_table(name, *_sync_columns(), *[sa.Column(c.name, c.type, primary_key=c.primary_key,
                                                            nullable=c.nullable, server_default=c.server_default)
                                                  for c in cols])
        for c in cols:
            if c.index:
                op.create_index(f"ix_{name}_{c.name}", name, [c.name])
