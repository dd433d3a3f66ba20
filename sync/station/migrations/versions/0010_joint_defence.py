"""Station schema 10: ten-household joint defence (defence_group, defence_activity), sync schema 3.

Revision ID: 0010
"""
from alembic import op

from sync.duty_ddl import create_defence_v3

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_defence_v3(op)
