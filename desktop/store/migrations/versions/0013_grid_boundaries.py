"""Schema 13: grid boundaries for the offline map (grid_boundary), record table of sync schema 3.

Revision ID: 0013
"""
from alembic import op

from sync.duty_ddl import create_boundaries_v3

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_boundaries_v3(op)
