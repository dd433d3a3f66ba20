"""Station schema 9: the grid task list (task_item, task_done), sync schema 3.

Revision ID: 0009
"""
from alembic import op

from sync.duty_ddl import create_tasks_v3

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tasks_v3(op)
