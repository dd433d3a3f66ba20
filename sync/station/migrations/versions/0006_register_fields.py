"""Station schema 6: the fields the real registers share, on residents and households (wire schema 3).

民族, 户籍地址, 文化程度, 婚姻状况, 政治面貌, 工作单位 on a resident (the coded ones as the codes of
sync/registers.py), 户号 on a household; all optional.

Revision ID: 0006
"""
from alembic import op

from sync.register_ddl import add_register_fields_v3

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_register_fields_v3(op)
