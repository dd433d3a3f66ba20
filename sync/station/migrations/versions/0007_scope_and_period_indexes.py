"""Station schema 7: indexes for what the station reads, none for what it does not.

- record_version (grid_code, seq) instead of (grid_code): a pull page walks a scope's
  versions above its cursor inside the index, without visiting the rows below it.
- incident (grid_code, reported_at), incident_event (grid_code, at), patrol (grid_code,
  started_at) instead of grid_code alone: a report reads the period it is asked for, not
  all history, and the scope queries (inbox, stats) use them as before.
- household.head_id_number loses its index: the station never looks a household up by its
  head's ID number, and it cost every push a random B-tree insert (~4.6 µs a change).
  person.id_number keeps its own: a push looks up who else holds a new resident's ID number
  (one person, one record: a duplicate to review).
- On PostgreSQL the report's time columns compare byte by byte (COLLATE "C"), as grid codes do
  since schema 4, so a range of ISO times is a range of the index under any database locale.

Revision ID: 0007
"""
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PERIOD_INDEXES = {"incident": "reported_at", "incident_event": "at", "patrol": "started_at"}
SHORT = {"reported_at": "reported", "at": "at", "started_at": "started"}


def upgrade() -> None:
    op.drop_index("ix_record_version_grid", "record_version")
    op.create_index("ix_record_version_grid_seq", "record_version", ["grid_code", "seq"])
    op.drop_index("ix_household_head_id_number", "household")
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, column in PERIOD_INDEXES.items():
        if postgres:
            op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE varchar(32) COLLATE "C"')
        op.drop_index(f"ix_{table}_grid_code", table)
        op.create_index(f"ix_{table}_grid_{SHORT[column]}", table, ["grid_code", column])

