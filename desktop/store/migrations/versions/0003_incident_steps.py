"""Schema 3: case steps (incident_event), photos and station settings (setting), record tables of sync schema 2.

Revision ID: 0003
"""
from alembic import op

from sync.incident_ddl import create_blob_state_v1, create_record_tables_v2

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_record_tables_v2(op)
    create_blob_state_v1(op)
