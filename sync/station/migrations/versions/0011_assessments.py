"""Station schema 11: workers' assessments (assessment), sync schema 3.

Revision ID: 0011
"""
from alembic import op

from sync.duty_ddl import create_assessments_v3

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_assessments_v3(op)
