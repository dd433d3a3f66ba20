"""Station schema 4: devices bound to their data folder by a secret, change fingerprints, byte-ordered codes.

- station_device.secret_hash / forked_from: a login naming a device must present the secret
  issued to the folder that registered it; a restored or copied folder forks a new device.
- station_device_change: a fingerprint per applied (device, seq), so a replay whose content
  differs from what the station holds is refused rather than acknowledged. Devices already
  registered have none for their past changes: those replays are compared from here on.
- On PostgreSQL, grid codes compare byte by byte (COLLATE "C"), so the scope ranges of
  sync.grid_scope keep siblings apart and use the indexes under any database locale.

Revision ID: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

GRID_COLUMNS = {"record_version": "grid_code", "household": "grid_code", "building": "grid_code",
                "organisation": "grid_code", "incident": "grid_code", "incident_event": "grid_code",
                "patrol": "grid_code"}


def upgrade() -> None:
    with op.batch_alter_table("station_device") as batch:
        batch.add_column(sa.Column("secret_hash", sa.String(64)))
        batch.add_column(sa.Column("secret_pending", sa.String(64)))
        batch.add_column(sa.Column("forked_from", sa.String(36)))
    op.create_table(
        "station_device_change",
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("seq", sa.BigInteger, primary_key=True),
        sa.Column("digest", sa.BigInteger, nullable=False),
        sqlite_with_rowid=False)
    if op.get_bind().dialect.name == "postgresql":
        inspector = sa.inspect(op.get_bind())
        for table, column in GRID_COLUMNS.items():
            if inspector.has_table(table):
                op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE varchar(40) COLLATE "C"')
