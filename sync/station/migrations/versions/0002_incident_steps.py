"""Station schema 2: case steps (incident_event), photos and station settings (setting), sync schema 2.

Revision ID: 0002
"""
from alembic import op

from sync.incident_ddl import create_record_tables_v2, create_station_blobs_v1

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_record_tables_v2(op)
    create_station_blobs_v1(op)
