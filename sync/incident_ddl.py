"""Frozen DDL of the record tables added in schema version 2 (case steps, photos, station settings).

Shared by the client's migration 0003 and the station's 0002; spelled out here so
the migrations stay what they were when sync/records.py changes later.
"""
import sqlalchemy as sa

from .ddl import JSON_DEFAULT_DICT, JSON_DEFAULT_LIST, ColumnsV

RECORD_TABLES_V2: dict[str, ColumnsV] = {
    "incident_event": lambda: [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("incident_id", sa.String(36), nullable=False, index=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("step", sa.String(12), nullable=False),
        sa.Column("actor", sa.String(50), nullable=False),
        sa.Column("actor_level", sa.String(10), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("assignee", sa.String(100)),
        sa.Column("target_level", sa.String(10)),
        sa.Column("category", sa.String(20)),
        sa.Column("result", sa.String(500)),
        sa.Column("notes", sa.String(2000)),
        sa.Column("mediation_parties", sa.String(500)),
        sa.Column("agreement", sa.String(2000)),
        sa.Column("outcome", sa.String(10)),
        sa.Column("prior", sa.JSON, nullable=False, server_default=JSON_DEFAULT_LIST)],
    "photo": lambda: [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("incident_id", sa.String(36), nullable=False, index=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("mime", sa.String(40), nullable=False),
        sa.Column("taken_at", sa.String(32)),
        sa.Column("caption", sa.String(200))],
    "setting": lambda: [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("value", sa.String(8000), nullable=False)],
}


def create_record_tables_v2(op) -> None:
    for name, columns in RECORD_TABLES_V2.items():
        cols = columns()
        op.create_table(name,
                        sa.Column("clocks", sa.JSON, nullable=False, server_default=JSON_DEFAULT_DICT),
                        sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
                        *[sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable,
                                    server_default=c.server_default) for c in cols])
        for c in cols:
            if c.index:
                op.create_index(f"ix_{name}_{c.name}", name, [c.name])


def create_blob_state_v1(op) -> None:
    """The client's upload progress of photo bytes (local, never synced)."""
    op.create_table("photo_blob",
                    sa.Column("sha256", sa.String(64), primary_key=True),
                    sa.Column("size", sa.Integer, nullable=False),
                    sa.Column("sent", sa.Integer, nullable=False, server_default="0"),
                    sa.Column("done", sa.Boolean, nullable=False, server_default=sa.false()))


def create_station_blobs_v1(op) -> None:
    """The station's photo bytes: one row per blob, its chunks in order of offset."""
    op.create_table("station_blob",
                    sa.Column("sha256", sa.String(64), primary_key=True),
                    sa.Column("size", sa.BigInteger, nullable=False),
                    sa.Column("received", sa.BigInteger, nullable=False),
                    sa.Column("complete", sa.Boolean, nullable=False),
                    sa.Column("created_ms", sa.BigInteger, nullable=False))
    op.create_table("station_blob_chunk",
                    sa.Column("sha256", sa.String(64), primary_key=True),
                    sa.Column("position", sa.BigInteger, primary_key=True),
                    sa.Column("data", sa.LargeBinary, nullable=False))
