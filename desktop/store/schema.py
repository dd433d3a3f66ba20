"""The client-only tables: the change log (outbox) and a key/value meta table.

The record tables themselves come from sync.records, shared with the station.
"""
from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, Text
from sqlmodel import SQLModel

from sync import records  # noqa: F401  (registers the record tables on SQLModel.metadata)

metadata: MetaData = SQLModel.metadata

# One row per local create, update or delete; `seq` is the per-device sequence the
# station acknowledges. state: pending -> acked, or set_aside with a reason (then fixed by a
# later change carrying its fields again, or discarded by the worker: both sent as skip markers).
change_log = Table(
    "change_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("device_id", String(36), nullable=False),
    Column("record_type", String(20), nullable=False),
    Column("record_id", String(40), nullable=False),
    Column("op", String(6), nullable=False),          # put | delete
    Column("fields", JSON, nullable=False),           # field -> new value
    Column("base", JSON, nullable=False),             # field -> stamp seen before the edit
    Column("hlc", Integer, nullable=False),
    Column("state", String(10), nullable=False, default="pending", index=True),
    Column("reason", Text),
    sqlite_autoincrement=True,
)

# Fields and record types a newer station sent that this release does not know (schema 5):
# kept with their stamps, merged in by the release that knows them (desktop.store.foreign).
foreign_field = Table(
    "foreign_field", metadata,
    Column("record_type", String(40), primary_key=True),
    Column("record_id", String(40), primary_key=True),
    Column("field", String(60), primary_key=True),
    Column("value", JSON),
    Column("stamp", String(60), nullable=False),
)

meta = Table(
    "meta", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)
