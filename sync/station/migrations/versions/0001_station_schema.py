"""Station schema 1: the record tables (sync.ddl v1) and the station's own tables.

Spelled out here rather than taken from tables.py, so this migration stays what it
was when later versions change the tables.

Revision ID: 0001
"""
import sqlalchemy as sa
from alembic import op

from sync.ddl import create_record_tables_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_record_tables_v1(op)
    op.create_table("station_setting", sa.Column("key", sa.String(40), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))
    op.create_table(
        "station_user",
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("grids", sa.JSON, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_ms", sa.BigInteger, nullable=False))
    op.create_table(
        "station_login_failure",
        sa.Column("name", sa.String(50), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("last_ms", sa.BigInteger, nullable=False),
        sa.Column("locked_until_ms", sa.BigInteger, nullable=False))
    op.create_table(
        "station_device",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("user_name", sa.String(50), nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), unique=True),
        sa.Column("acked", sa.BigInteger, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("registered_ms", sa.BigInteger, nullable=False),
        sa.Column("last_push_ms", sa.BigInteger))
    op.create_table(
        "record_version",
        sa.Column("record_type", sa.String(20), primary_key=True),
        sa.Column("record_id", sa.String(40), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("grid_code", sa.String(40)))
    op.create_index("ix_record_version_seq", "record_version", ["seq"], unique=True)
    op.create_index("ix_record_version_grid", "record_version", ["grid_code"])
    counter = op.create_table("station_counter", sa.Column("id", sa.Integer, primary_key=True),
                              sa.Column("seq", sa.BigInteger, nullable=False))
    op.bulk_insert(counter, [{"id": 1, "seq": 0}])
    op.create_table(
        "station_conflict",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("record_type", sa.String(20), nullable=False),
        sa.Column("record_id", sa.String(40), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("kept_value", sa.JSON),
        sa.Column("kept_stamp", sa.String(60)),
        sa.Column("kept_user", sa.String(50)),
        sa.Column("lost_value", sa.JSON),
        sa.Column("lost_stamp", sa.String(60)),
        sa.Column("lost_user", sa.String(50)),
        sa.Column("created_ms", sa.BigInteger, nullable=False),
        sa.Column("resolved_ms", sa.BigInteger),
        sa.Column("resolved_by", sa.String(60)),
        sa.Column("resolution", sa.JSON))
    op.create_index("ix_station_conflict_record", "station_conflict", ["record_type", "record_id"])
    op.create_index("ix_station_conflict_open", "station_conflict", ["resolved_ms"])
    op.create_table(
        "station_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at_ms", sa.BigInteger, nullable=False),
        sa.Column("user_name", sa.String(60), nullable=False),
        sa.Column("device_id", sa.String(36)),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("record_type", sa.String(20)),
        sa.Column("record_id", sa.String(40)),
        sa.Column("fields", sa.JSON),
        sa.Column("detail", sa.JSON))
    op.create_index("ix_station_audit_record", "station_audit", ["record_type", "record_id"])
