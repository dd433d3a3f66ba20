"""Station schema 14: what this station last exchanged with its upper station, per record (issue 15, levels).

- station_upstream_base: each record's field stamps as the upper station is known to hold them (sent
  up or come down). A forwarded change carries them as its base, so the upper station can tell an
  edit made below since then from one it already holds, and note two concurrent edits as a conflict.

Revision ID: 0014
"""
import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_upstream_base",
        sa.Column("record_type", sa.String(20), primary_key=True),
        sa.Column("record_id", sa.String(40), primary_key=True),
        sa.Column("clocks", sa.JSON, nullable=False))


def downgrade() -> None:
    op.drop_table("station_upstream_base")
