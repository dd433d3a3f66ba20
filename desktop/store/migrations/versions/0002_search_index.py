"""Schema 2: FTS5 search over households and residents, backfilled from existing rows.

Revision ID: 0002
"""
from alembic import op

from desktop.store import search

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    search.create_tables(conn)
    search.rebuild(conn)
