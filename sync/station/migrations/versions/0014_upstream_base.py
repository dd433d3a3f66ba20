"""Station schema 14: what this station last exchanged with its upper station, per record (issue 15, levels).

- station_upstream_base: each record's field stamps as the upper station is known to hold them (sent
  up or come down). A forwarded change carries them as its base, so the upper station can tell an
  edit made below since then from one it already holds, and note two concurrent edits as a conflict.
- station_conflict.origin, origin_id: a conflict a lower station noted and forwarded here (its
  station account, its own id), kept once however often it is sent.
- station_upstream_conflict: what this station last told its upper station of each of its conflicts
  (open or resolved), so each is sent once, and its resolution once.
- station_below: the devices a lower station says are below it (its laptops, its own stamps, and
  what its lower stations said): fields stamped by them are not sent back down to it.

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
    with op.batch_alter_table("station_conflict") as batch:
        batch.add_column(sa.Column("origin", sa.String(60)))
        batch.add_column(sa.Column("origin_id", sa.BigInteger))
        batch.create_index("ix_station_conflict_origin", ["origin", "origin_id"], unique=True)
    op.create_table(
        "station_upstream_conflict",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("told", sa.String(10), nullable=False))
    op.create_table(
        "station_below",
        sa.Column("via", sa.String(50), primary_key=True),
        sa.Column("device_id", sa.String(40), primary_key=True))


def downgrade() -> None:
    op.drop_table("station_below")
    op.drop_table("station_upstream_conflict")
    with op.batch_alter_table("station_conflict") as batch:
        batch.drop_index("ix_station_conflict_origin")
        batch.drop_column("origin_id")
        batch.drop_column("origin")
    op.drop_table("station_upstream_base")
