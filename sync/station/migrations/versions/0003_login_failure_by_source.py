"""Station schema 3: failed logins counted per account and source (one of its own devices, or strangers).

A stranger failing to log in as a worker used to lock that worker's own laptop out as
well; now only the source that failed is slowed and locked. The counters are transient,
so the table is made afresh rather than converted.

Revision ID: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("station_login_failure")
    op.create_table(
        "station_login_failure",
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("source", sa.String(36), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_ms", sa.BigInteger, nullable=False),
        sa.Column("locked_until_ms", sa.BigInteger, nullable=False))
