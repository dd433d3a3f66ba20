"""Schema 4: names in pinyin order (desktop.store.name_order), keyed for every existing household and resident.

Revision ID: 0004
"""
from alembic import op
from sqlalchemy import text

from desktop.store import name_order

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    name_order.create_tables(conn)
    for record_type, field in name_order.SORTED_FIELDS.items():
        rows = conn.execute(text(f"SELECT rowid, {field} FROM {record_type} WHERE NOT deleted")).all()
        name_order.write(conn, record_type, [(rowid, name) for rowid, name in rows])
