"""Schema 11: ten-household joint defence (defence_group, defence_activity), record tables of sync schema 3.

Revision ID: 0011
"""
from alembic import op

from sync.duty_ddl import create_defence_v3

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_defence_v3(op)
