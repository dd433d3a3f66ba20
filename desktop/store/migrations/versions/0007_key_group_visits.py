"""Schema 7: key-group visits (visit) and the source a case was raised from, record tables of sync schema 3.

Revision ID: 0007
"""
from alembic import op

from sync.duty_ddl import create_visits_v3

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_visits_v3(op)
