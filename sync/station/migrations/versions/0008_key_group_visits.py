"""Station schema 8: key-group visits (visit) and the source a case was raised from, sync schema 3.

Revision ID: 0008
"""
from alembic import op

from sync.duty_ddl import create_visits_v3

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_visits_v3(op)
