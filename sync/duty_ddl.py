"""Frozen DDL of the duty-cycle records of schema version 3, one function per part, shared by the
client's and the station's migrations (spelled out so they stay what they were when sync/records.py
changes later)."""
import sqlalchemy as sa

from .ddl import JSON_DEFAULT_DICT, JSON_DEFAULT_LIST


def _create(op, name: str, columns: list[sa.Column]) -> None:
    op.create_table(name,
                    sa.Column("clocks", sa.JSON, nullable=False, server_default=JSON_DEFAULT_DICT),
                    sa.Column("deleted", sa.Boolean, nullable=False, server_default=sa.false()),
                    *[sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable,
                                server_default=c.server_default) for c in columns])
    for c in columns:
        if c.index:
            op.create_index(f"ix_{name}_{c.name}", name, [c.name])


def create_visits_v3(op) -> None:
    """Key-group visits, and the source a case was raised from (incident.source_type/source_id)."""
    _create(op, "visit", [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("person_id", sa.String(36), nullable=False, index=True),
        sa.Column("household_id", sa.String(36), nullable=False, index=True),
        sa.Column("visitor", sa.String(50), nullable=False),
        sa.Column("visited_at", sa.String(32), nullable=False),
        sa.Column("method", sa.String(10), nullable=False),
        sa.Column("findings", sa.String(2000)),
        sa.Column("needs", sa.String(1000)),
        sa.Column("notes", sa.String(2000)),
        sa.Column("photo_sha256", sa.String(64)),
        sa.Column("photo_size", sa.Integer)])
    op.add_column("incident", sa.Column("source_type", sa.String(20)))
    op.add_column("incident", sa.Column("source_id", sa.String(36)))
    op.create_index("ix_incident_source_id", "incident", ["source_id"])


def create_tasks_v3(op) -> None:
    """The grid task list (task_item) and what is done of it (task_done)."""
    _create(op, "task_item", [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("title", sa.String(100), nullable=False),
        sa.Column("done_when", sa.String(500)),
        sa.Column("owner_role", sa.String(10), nullable=False),
        sa.Column("frequency", sa.String(10), nullable=False),
        sa.Column("deadline", sa.String(32)),
        sa.Column("starts_on", sa.String(10)),
        sa.Column("published_by", sa.String(50)),
        sa.Column("notes", sa.String(2000))])
    _create(op, "task_done", [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("task_id", sa.String(36), nullable=False, index=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("period", sa.String(12), nullable=False),
        sa.Column("done_by", sa.String(50), nullable=False),
        sa.Column("done_at", sa.String(32), nullable=False),
        sa.Column("note", sa.String(1000))])


def create_defence_v3(op) -> None:
    """Ten-household joint defence groups and their watches, drills and alerts."""
    _create(op, "defence_group", [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("leader_name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20)),
        sa.Column("leader_person_id", sa.String(36)),
        sa.Column("household_ids", sa.JSON, nullable=False, server_default=JSON_DEFAULT_LIST),
        sa.Column("notes", sa.String(2000))])
    _create(op, "defence_activity", [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("group_id", sa.String(36), nullable=False, index=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("activity", sa.String(10), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("recorded_by", sa.String(50), nullable=False),
        sa.Column("alert_type", sa.String(12)),
        sa.Column("participants", sa.String(500)),
        sa.Column("notes", sa.String(2000))])


def create_assessments_v3(op) -> None:
    """Workers' final grades per period (考核)."""
    _create(op, "assessment", [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("worker", sa.String(50), nullable=False, index=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("period", sa.String(10), nullable=False),
        sa.Column("grade", sa.String(14), nullable=False),
        sa.Column("reason", sa.String(1000), nullable=False),
        sa.Column("graded_by", sa.String(50), nullable=False),
        sa.Column("graded_at", sa.String(32), nullable=False),
        sa.Column("score", sa.Float),
        sa.Column("inputs", sa.String(1000))])


def create_boundaries_v3(op) -> None:
    """Grid boundaries (GeoJSON) for the offline map."""
    _create(op, "grid_boundary", [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("grid_code", sa.String(40), nullable=False, index=True),
        sa.Column("geometry", sa.String(600_000), nullable=False)])
