"""Station schema 6: the fields the real registers share, on residents and households (wire schema 3).

民族, 户籍地址, 文化程度, 婚姻状况, 政治面貌, 工作单位 on a resident (the coded ones as the codes of
sync/registers.py), 户号 on a household; all optional.

Revision ID: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

PERSON = (("ethnicity", 2), ("registered_address", 200), ("education", 2), ("marital_status", 2),
          ("political_status", 2), ("employer", 100))


def upgrade() -> None:
    with op.batch_alter_table("person") as batch:
        for name, length in PERSON:
            batch.add_column(sa.Column(name, sa.String(length)))
    with op.batch_alter_table("household") as batch:
        batch.add_column(sa.Column("register_number", sa.String(30)))
