"""Schema 10: the grid task list (task_item, task_done), record tables of sync schema 3.

Revision ID: 0010
"""
from alembic import op

from sync.duty_ddl import create_tasks_v3

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_tasks_v3(op)
