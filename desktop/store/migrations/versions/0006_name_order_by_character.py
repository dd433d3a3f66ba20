"""Schema 6: name-order keys again, now character by character as ICU orders Chinese (desktop.store.name_order).

The keys of schema 4 read ü as v (吕 after 罗) and let one surname's names interleave with
another's (李, 黎, 厉); the tables stay, every key is written anew.

Revision ID: 0006
"""
from alembic import op
from sqlalchemy import text

from desktop.store import name_order

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    name_order.create_tables(conn)
    for record_type, field in name_order.SORTED_FIELDS.items():
        rows = conn.execute(text(f"SELECT rowid, {field} FROM {record_type} WHERE NOT deleted")).all()
        name_order.write(conn, record_type, [(rowid, name) for rowid, name in rows])
