"""Station schema 5: photo bytes are kept per (checksum, grid), not per checksum alone.

Anyone who knew a photo's checksum could name it in a photo record of their own grid and
download another grid's bytes. Bytes are now reachable only through the grid they were
uploaded for; the same picture attached in two grids is uploaded, and kept, once per grid.
Existing bytes go to the grid of the first photo record naming them.

Revision ID: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("station_photo_blob",
                    sa.Column("sha256", sa.String(64), primary_key=True),
                    sa.Column("grid_code", sa.String(40), primary_key=True),
                    sa.Column("size", sa.BigInteger, nullable=False),
                    sa.Column("received", sa.BigInteger, nullable=False),
                    sa.Column("complete", sa.Boolean, nullable=False),
                    sa.Column("created_ms", sa.BigInteger, nullable=False))
    op.create_table("station_photo_chunk",
                    sa.Column("sha256", sa.String(64), primary_key=True),
                    sa.Column("grid_code", sa.String(40), primary_key=True),
                    sa.Column("position", sa.BigInteger, primary_key=True),
                    sa.Column("data", sa.LargeBinary, nullable=False))
    first_grid = "(SELECT min(p.grid_code) FROM photo p WHERE p.sha256 = b.sha256)"
    op.execute(f"INSERT INTO station_photo_blob (sha256, grid_code, size, received, complete, created_ms) "
               f"SELECT b.sha256, {first_grid}, b.size, b.received, b.complete, b.created_ms "
               f"FROM station_blob b WHERE {first_grid} IS NOT NULL")
    op.execute("INSERT INTO station_photo_chunk (sha256, grid_code, position, data) "
               "SELECT c.sha256, b.grid_code, c.position, c.data FROM station_blob_chunk c "
               "JOIN station_photo_blob b ON b.sha256 = c.sha256")
    op.drop_table("station_blob_chunk")
    op.drop_table("station_blob")
