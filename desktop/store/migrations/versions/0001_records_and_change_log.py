"""Schema 1: the record tables, the change log (outbox) and the meta table.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

from sync.ddl import create_record_tables_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_record_tables_v1(op)
    op.create_table(
        "change_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("record_type", sa.String(20), nullable=False),
        sa.Column("record_id", sa.String(40), nullable=False),
        sa.Column("op", sa.String(6), nullable=False),
        sa.Column("fields", sa.JSON, nullable=False),
        sa.Column("base", sa.JSON, nullable=False),
        sa.Column("hlc", sa.Integer, nullable=False),
        sa.Column("state", sa.String(10), nullable=False, server_default="pending"),
        sa.Column("reason", sa.Text),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_change_log_state", "change_log", ["state"])
    op.create_table("meta", sa.Column("key", sa.String(40), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))
