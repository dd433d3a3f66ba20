"""Frozen DDL of the register fields of wire schema 3: 民族, 户籍地址, 文化程度, 婚姻状况, 政治面貌, 工作单位, 户号.

Shared by the client's migration 0007 and the station's 0006; spelled out here so the
migrations stay what they were when sync/records.py changes later.
"""
import sqlalchemy as sa

PERSON_FIELDS_V3 = (("ethnicity", 2), ("registered_address", 200), ("education", 2), ("marital_status", 2),
                    ("political_status", 2), ("employer", 100))


def add_register_fields_v3(op) -> None:
    """The optional register fields on person (coded ones as sync/registers.py's codes) and household."""
    with op.batch_alter_table("person") as batch:
        for name, length in PERSON_FIELDS_V3:
            batch.add_column(sa.Column(name, sa.String(length)))
    with op.batch_alter_table("household") as batch:
        batch.add_column(sa.Column("register_number", sa.String(30)))
