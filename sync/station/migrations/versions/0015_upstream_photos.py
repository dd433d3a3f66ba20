"""Station schema 15: photo bytes forwarded to the upper station (issue 15, levels).

- station_upstream_blob: each complete photo (sha256, grid) this station has handed up, so each goes
  up once, after the records that name it.

Revision ID: 0015
"""
import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_upstream_blob",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("grid_code", sa.String(40), primary_key=True),
        sa.Column("sent_ms", sa.BigInteger, nullable=False))


def downgrade() -> None:
    op.drop_table("station_upstream_blob")
