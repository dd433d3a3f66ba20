"""Station schema 7: the grid task list (task_item, task_done), sync schema 3.

Revision ID: 0007
"""
from alembic import op

from sync.duty_ddl import create_tasks_v3

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tasks_v3(op)
