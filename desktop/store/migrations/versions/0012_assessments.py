"""Schema 12: workers' assessments (assessment), record table of sync schema 3.

Revision ID: 0012
"""
from alembic import op

from sync.duty_ddl import create_assessments_v3

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_assessments_v3(op)
