"""Station schema 13: a station forwards to its upper station (issue 15, levels).

- station_upstream_outbox: the changes taken for the upper station, by outbound sequence,
  kept as sent until acknowledged.
- station_upstream_echo: station sequences made only by pulls from the upper station (not sent up).
The link itself (URL, account, device, token, cursors) lives in station_setting.

Revision ID: 0013
"""
import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "station_upstream_outbox",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("record_type", sa.String(20), nullable=False),
        sa.Column("record_id", sa.String(40), nullable=False),
        sa.Column("change", sa.JSON, nullable=False),
        sa.Column("set_aside", sa.String(40)))
    op.create_table(
        "station_upstream_echo",
        sa.Column("seq", sa.BigInteger, primary_key=True, autoincrement=False))


def downgrade() -> None:
    op.drop_table("station_upstream_echo")
    op.drop_table("station_upstream_outbox")
