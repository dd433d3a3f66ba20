"""Schema 5: fields and record types this program does not know yet, kept as pulled.

A station newer than the laptop may send a field or a record type added after this
release. They are kept here with their stamps instead of being dropped, and merged into
the records by the release that knows them (desktop.store.foreign).

Revision ID: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "foreign_field",
        sa.Column("record_type", sa.String(40), primary_key=True),
        sa.Column("record_id", sa.String(40), primary_key=True),
        sa.Column("field", sa.String(60), primary_key=True),
        sa.Column("value", sa.JSON),
        sa.Column("stamp", sa.String(60), nullable=False))
