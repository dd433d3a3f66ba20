"""Schema 9: key-group visits (visit) and the source a case was raised from, record tables of sync schema 3.

Revision ID: 0009
"""
from alembic import op

from sync.duty_ddl import create_visits_v3

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_visits_v3(op)
