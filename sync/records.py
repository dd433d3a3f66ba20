"""THE record definitions: one SQLModel table per record type, shared by store, station and wire.

Field names are the canonical ones of DOMAIN.md. Every table also carries two sync
columns: `clocks` (field -> stamp of the change that last set it, for per-field
last-writer-wins) and `deleted` (a tombstone; records are never physically removed).
"""
from __future__ import annotations

import functools
from typing import Optional

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

GRID_LEVELS = ("city", "county", "township", "village", "grid")
GENDERS = ("male", "female")
RESIDENCES = ("registered", "floating", "left")
BUILDING_USES = ("residential", "commercial", "mixed", "public", "vacant")
PERSON_TAGS = ("elderly_alone", "disabled", "left_behind_child", "low_income",
               "community_correction", "veteran", "floating", "key_youth")
INCIDENT_CATEGORIES = ("dispute", "safety_hazard", "public_security", "livelihood",
                       "environment", "special_population", "other")
INCIDENT_STATUSES = ("reported", "registered", "assessed", "dispatched", "verified",
                     "handling", "feedback", "closed", "escalated", "returned")
INCIDENT_LEVELS = ("village", "township", "county", "city")

SYNC_COLUMNS = ("clocks", "deleted")


class SyncMeta(SQLModel):
    clocks: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)
    deleted: bool = Field(default=False)


class Grid(SyncMeta, table=True):
    __tablename__ = "grid"
    code: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=100)
    level: str = Field(max_length=10)
    parent_code: Optional[str] = Field(default=None, max_length=40, index=True)


class Household(SyncMeta, table=True):
    __tablename__ = "household"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    address: str = Field(max_length=200)
    head_name: str = Field(max_length=50)
    head_id_number: Optional[str] = Field(default=None, max_length=18, index=True)
    phone: Optional[str] = Field(default=None, max_length=20)
    building_id: Optional[str] = Field(default=None, max_length=36)
    tags: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    notes: Optional[str] = Field(default=None, max_length=2000)


class Person(SyncMeta, table=True):
    __tablename__ = "person"
    id: str = Field(primary_key=True, max_length=36)
    household_id: Optional[str] = Field(default=None, index=True, max_length=36)
    name: str = Field(max_length=50)
    id_number: Optional[str] = Field(default=None, max_length=18, index=True)
    gender: Optional[str] = Field(default=None, max_length=6)
    birth_date: Optional[str] = Field(default=None, max_length=10)
    relation_to_head: Optional[str] = Field(default=None, max_length=20)
    phone: Optional[str] = Field(default=None, max_length=20)
    residence: str = Field(default="registered", max_length=10)
    tags: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    notes: Optional[str] = Field(default=None, max_length=2000)


class Building(SyncMeta, table=True):
    __tablename__ = "building"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    address: str = Field(max_length=200)
    name: Optional[str] = Field(default=None, max_length=100)
    floors: Optional[int] = None
    use: Optional[str] = Field(default=None, max_length=12)
    structure: Optional[str] = Field(default=None, max_length=40)
    latitude: Optional[float] = None
    longitude: Optional[float] = None


class Organisation(SyncMeta, table=True):
    __tablename__ = "organisation"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    name: str = Field(max_length=100)
    kind: Optional[str] = Field(default=None, max_length=40)
    address: Optional[str] = Field(default=None, max_length=200)
    contact: Optional[str] = Field(default=None, max_length=50)
    phone: Optional[str] = Field(default=None, max_length=20)


class Incident(SyncMeta, table=True):
    __tablename__ = "incident"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    category: str = Field(max_length=20)
    title: str = Field(max_length=100)
    description: Optional[str] = Field(default=None, max_length=4000)
    location: Optional[str] = Field(default=None, max_length=200)
    parties: Optional[str] = Field(default=None, max_length=500)
    reported_at: str = Field(max_length=32)
    reported_by: Optional[str] = Field(default=None, max_length=50)
    status: str = Field(default="reported", max_length=12)
    level: str = Field(default="village", max_length=10)
    deadline: Optional[str] = Field(default=None, max_length=32)


class Patrol(SyncMeta, table=True):
    __tablename__ = "patrol"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    worker: str = Field(max_length=50)
    started_at: str = Field(max_length=32)
    ended_at: Optional[str] = Field(default=None, max_length=32)
    notes: Optional[str] = Field(default=None, max_length=2000)


RECORD_TYPES: dict[str, type[SyncMeta]] = {
    "grid": Grid,
    "household": Household,
    "person": Person,
    "building": Building,
    "organisation": Organisation,
    "incident": Incident,
    "patrol": Patrol,
}


def key_field(record_type: str) -> str:
    return "code" if record_type == "grid" else "id"


@functools.lru_cache(maxsize=None)
def fields_of(record_type: str) -> tuple[str, ...]:
    """The canonical (user) fields of a record type, key first, sync columns excluded."""
    model = RECORD_TYPES[record_type]
    return tuple(name for name in model.model_fields if name not in SYNC_COLUMNS)


def record_table(record_type: str):
    return RECORD_TYPES[record_type].__table__
