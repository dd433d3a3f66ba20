"""THE record definitions: one SQLModel table per record type, shared by store, station and wire.

Field names are the canonical ones of docs/DOMAIN.md. Every table also carries two sync
columns: `clocks` (field -> stamp of the change that last set it, for per-field
last-writer-wins) and `deleted` (a tombstone; records are never physically removed).
"""
from __future__ import annotations

import functools

from pydantic_core import PydanticUndefined
from sqlalchemy import JSON, Table
from sqlmodel import Field, SQLModel

GRID_LEVELS = ("city", "county", "township", "village", "grid")
GENDERS = ("male", "female")
RESIDENCES = ("registered", "floating", "left")
BUILDING_USES = ("residential", "commercial", "mixed", "public", "vacant")
# The key groups a township follows up (重点人群); the last three are sensitive (SENSITIVE_TAGS).
PERSON_TAGS = ("elderly_alone", "disabled", "left_behind_child", "low_income",
               "community_correction", "veteran", "floating", "key_youth",
               "severe_mental_illness", "released_prisoner", "drug_user")
# 严重精神障碍患者, 刑满释放人员, 吸毒人员: masked in lists, shown in full only to the roles the
# township allows (setting `sensitive_access`), left out of exports unless asked for (sync/sensitive.py).
SENSITIVE_TAGS = ("severe_mental_illness", "released_prisoner", "drug_user")
INCIDENT_CATEGORIES = ("dispute", "safety_hazard", "public_security", "livelihood",
                       "environment", "special_population", "other")
INCIDENT_STATUSES = ("reported", "registered", "assessed", "dispatched", "verified",
                     "handling", "feedback", "closed", "escalated", "returned")
INCIDENT_LEVELS = ("village", "township", "county", "city")
# The steps of a case (采集 上报 … 销号, plus 上报上级/退回/重新办理/督办):
# sync/incident_rules.py says which may follow which.
INCIDENT_STEPS = ("report", "classify", "register", "assess", "dispatch", "verify", "handle", "feedback",
                  "close", "escalate", "return", "reopen", "supervise")
MEDIATION_OUTCOMES = ("success", "failure")
VISIT_METHODS = ("home", "phone", "video")             # 入户 / 电话 / 视频
TASK_FREQUENCIES = ("once", "daily", "weekly", "monthly", "quarterly", "yearly")
TASK_OWNERS = ("worker", "village", "township")        # who does an item: 网格员, 村（社区）, 乡镇（街道）
# What a case may have been raised from (incident.source_type): a need found on a visit, a hazard
# found on a patrol, an alert of a ten-household group. The source lies in the case's own grid.
CASE_SOURCES = ("visit", "patrol", "defence_activity")
DEFENCE_KINDS = ("watch", "drill", "alert")            # 巡防值守 / 演练 / 警情
ALERT_TYPES = ("theft", "fire", "flood", "suspicious", "other")
GRADES = ("excellent", "good", "competent", "not_competent")     # 优秀 / 良好 / 称职 / 不称职

SYNC_COLUMNS = ("clocks", "deleted")


class SyncMeta(SQLModel):
    clocks: dict = Field(default_factory=dict, sa_type=JSON, nullable=False)
    deleted: bool = Field(default=False)


class Grid(SyncMeta, table=True):
    __tablename__ = "grid"
    code: str = Field(primary_key=True, max_length=40)
    name: str = Field(max_length=100)
    level: str = Field(max_length=10)
    parent_code: str | None = Field(default=None, max_length=40, index=True)


class Household(SyncMeta, table=True):
    __tablename__ = "household"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    address: str = Field(max_length=200)
    head_name: str = Field(max_length=50)
    head_id_number: str | None = Field(default=None, max_length=18, index=True)
    phone: str | None = Field(default=None, max_length=20)
    building_id: str | None = Field(default=None, max_length=36)
    tags: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    notes: str | None = Field(default=None, max_length=2000)
    # wire schema 3: the register's own number for the household (户号)
    register_number: str | None = Field(default=None, max_length=30)


class Person(SyncMeta, table=True):
    __tablename__ = "person"
    id: str = Field(primary_key=True, max_length=36)
    household_id: str | None = Field(default=None, index=True, max_length=36)
    name: str = Field(max_length=50)
    id_number: str | None = Field(default=None, max_length=18, index=True)
    gender: str | None = Field(default=None, max_length=6)
    birth_date: str | None = Field(default=None, max_length=10)
    relation_to_head: str | None = Field(default=None, max_length=20)
    phone: str | None = Field(default=None, max_length=20)
    residence: str = Field(default="registered", max_length=10)
    tags: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    notes: str | None = Field(default=None, max_length=2000)
    # wire schema 3: what the police, grid and bank registers share (codes of sync/registers.py)
    ethnicity: str | None = Field(default=None, max_length=2)             # 民族, GB 3304
    registered_address: str | None = Field(default=None, max_length=200)  # 户籍地址
    education: str | None = Field(default=None, max_length=2)             # 文化程度, GB/T 4658
    marital_status: str | None = Field(default=None, max_length=2)        # 婚姻状况, GB/T 2261.2
    political_status: str | None = Field(default=None, max_length=2)      # 政治面貌, GB/T 4762
    employer: str | None = Field(default=None, max_length=100)            # 工作单位


class Building(SyncMeta, table=True):
    __tablename__ = "building"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    address: str = Field(max_length=200)
    name: str | None = Field(default=None, max_length=100)
    floors: int | None = None
    use: str | None = Field(default=None, max_length=12)
    structure: str | None = Field(default=None, max_length=40)
    latitude: float | None = None
    longitude: float | None = None


class Organisation(SyncMeta, table=True):
    __tablename__ = "organisation"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    name: str = Field(max_length=100)
    kind: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=200)
    contact: str | None = Field(default=None, max_length=50)
    phone: str | None = Field(default=None, max_length=20)


class Incident(SyncMeta, table=True):
    __tablename__ = "incident"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    category: str = Field(max_length=20)
    title: str = Field(max_length=100)
    description: str | None = Field(default=None, max_length=4000)
    location: str | None = Field(default=None, max_length=200)
    parties: str | None = Field(default=None, max_length=500)
    reported_at: str = Field(max_length=32)
    reported_by: str | None = Field(default=None, max_length=50)
    status: str = Field(default="reported", max_length=12)
    level: str = Field(default="village", max_length=10)
    deadline: str | None = Field(default=None, max_length=32)
    # schema 3: the record the case was raised from (a visit's need, a patrol's hazard, a group's alert)
    source_type: str | None = Field(default=None, max_length=20)
    source_id: str | None = Field(default=None, max_length=36, index=True)


class Patrol(SyncMeta, table=True):
    __tablename__ = "patrol"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    worker: str = Field(max_length=50)
    started_at: str = Field(max_length=32)
    ended_at: str | None = Field(default=None, max_length=32)
    notes: str | None = Field(default=None, max_length=2000)


class IncidentEvent(SyncMeta, table=True):
    """One step of a case, append-only; a case's status, level and holder are derived from them."""
    __tablename__ = "incident_event"
    id: str = Field(primary_key=True, max_length=36)
    incident_id: str = Field(index=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    step: str = Field(max_length=12)
    actor: str = Field(max_length=50)
    actor_level: str = Field(default="village", max_length=10)
    at: str = Field(max_length=32)                     # station-corrected time of the step
    assignee: str | None = Field(default=None, max_length=100)
    target_level: str | None = Field(default=None, max_length=10)
    category: str | None = Field(default=None, max_length=20)
    result: str | None = Field(default=None, max_length=500)
    notes: str | None = Field(default=None, max_length=2000)
    mediation_parties: str | None = Field(default=None, max_length=500)
    agreement: str | None = Field(default=None, max_length=2000)
    outcome: str | None = Field(default=None, max_length=10)
    # ids of the case's events the author had when recording the step: the station checks
    # the step against exactly that history, so offline steps of two devices both pass
    prior: list = Field(default_factory=list, sa_type=JSON, nullable=False)


class Photo(SyncMeta, table=True):
    """A photo of a case: the record syncs with the others; its bytes follow in resumable chunks (by sha256)."""
    __tablename__ = "photo"
    id: str = Field(primary_key=True, max_length=36)
    incident_id: str = Field(index=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    sha256: str = Field(index=True, max_length=64)
    size: int
    mime: str = Field(default="image/jpeg", max_length=40)
    taken_at: str | None = Field(default=None, max_length=32)
    caption: str | None = Field(default=None, max_length=200)


class Setting(SyncMeta, table=True):
    """Station-owned settings (deadlines, warning colours) that every device pulls; value is JSON text."""
    __tablename__ = "setting"
    id: str = Field(primary_key=True, max_length=36)
    name: str = Field(max_length=40)
    value: str = Field(max_length=8000)


class Visit(SyncMeta, table=True):
    """A follow-up visit to a key-group resident (重点人群走访), schema 3. Its grid is the grid of the
    resident's household when visited; the station checks that, as it checks a resident's."""
    __tablename__ = "visit"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    person_id: str = Field(index=True, max_length=36)
    household_id: str = Field(index=True, max_length=36)
    visitor: str = Field(max_length=50)
    visited_at: str = Field(max_length=32)
    method: str = Field(default="home", max_length=10)
    findings: str | None = Field(default=None, max_length=2000)
    needs: str | None = Field(default=None, max_length=1000)          # a need may become a case (source visit)
    notes: str | None = Field(default=None, max_length=2000)
    # an optional photo: its bytes travel as a case photo's do (by checksum, after the records)
    photo_sha256: str | None = Field(default=None, max_length=64)
    photo_size: int | None = None


class TaskItem(SyncMeta, table=True):
    """An item of the grid task list (网格事务清单), schema 3, published by a township (or county) for a unit
    of its hierarchy: it applies to every grid under `grid_code`, and reaches their laptops as the grids
    above a worker's do. Only township and county accounts (and the station) write them."""
    __tablename__ = "task_item"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)               # the unit it applies to
    title: str = Field(max_length=100)
    done_when: str | None = Field(default=None, max_length=500)     # what counts as done (完成标准)
    owner_role: str = Field(default="worker", max_length=10)
    frequency: str = Field(default="once", max_length=10)
    deadline: str | None = Field(default=None, max_length=32)       # a one-off item's
    starts_on: str | None = Field(default=None, max_length=10)      # recurring: periods from this day on
    published_by: str | None = Field(default=None, max_length=50)
    notes: str | None = Field(default=None, max_length=2000)


class TaskDone(SyncMeta, table=True):
    """One item of the task list done for one grid and one period (a day, week, …; "once"), schema 3."""
    __tablename__ = "task_done"
    id: str = Field(primary_key=True, max_length=36)
    task_id: str = Field(index=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    period: str = Field(max_length=12)                              # 2026-03-10, 2026-W11, 2026-03, 2026-Q1, …
    done_by: str = Field(max_length=50)
    done_at: str = Field(max_length=32)
    note: str | None = Field(default=None, max_length=1000)


class DefenceGroup(SyncMeta, table=True):
    """A ten-household joint defence group (十户联防), schema 3: about ten neighbouring households of one grid
    and their leader (联防长); `phone` is the leader's. The station checks every member lies in its grid."""
    __tablename__ = "defence_group"
    id: str = Field(primary_key=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    name: str = Field(max_length=100)
    leader_name: str = Field(max_length=50)
    phone: str | None = Field(default=None, max_length=20)
    leader_person_id: str | None = Field(default=None, max_length=36)
    household_ids: list = Field(default_factory=list, sa_type=JSON, nullable=False)
    notes: str | None = Field(default=None, max_length=2000)


class DefenceActivity(SyncMeta, table=True):
    """A group's watch, drill or alert (a theft, a fire), schema 3; an alert becomes a case whose source it is."""
    __tablename__ = "defence_activity"
    id: str = Field(primary_key=True, max_length=36)
    group_id: str = Field(index=True, max_length=36)
    grid_code: str = Field(index=True, max_length=40)
    activity: str = Field(max_length=10)         # watch | drill | alert
    at: str = Field(max_length=32)
    recorded_by: str = Field(max_length=50)
    alert_type: str | None = Field(default=None, max_length=12)
    participants: str | None = Field(default=None, max_length=500)
    notes: str | None = Field(default=None, max_length=2000)


class Assessment(SyncMeta, table=True):
    """A worker's final grade for a period (考核), schema 3, recorded with its reason by a township or county
    account; the inputs the station measured are kept with it as they were when graded."""
    __tablename__ = "assessment"
    id: str = Field(primary_key=True, max_length=36)
    worker: str = Field(index=True, max_length=50)
    grid_code: str = Field(index=True, max_length=40)               # the worker's (first) grid: who sees it
    period: str = Field(max_length=10)                              # 2026, 2026-H1, 2026-Q1, 2026-03
    grade: str = Field(max_length=14)
    reason: str = Field(max_length=1000)
    graded_by: str = Field(max_length=50)
    graded_at: str = Field(max_length=32)
    score: float | None = None
    inputs: str | None = Field(default=None, max_length=1000)       # JSON of the measured inputs


class GridBoundary(SyncMeta, table=True):
    """A grid's (or village's) outline, schema 3: a GeoJSON Polygon or MultiPolygon (WGS 84) imported at the
    station and pulled by the accounts of that grid and below it, as the hierarchy is; devices never push one."""
    __tablename__ = "grid_boundary"
    id: str = Field(primary_key=True, max_length=36)                # sync.geo.boundary_id(grid_code)
    grid_code: str = Field(index=True, max_length=40)
    geometry: str = Field(max_length=600_000)


RECORD_TYPES: dict[str, type[SyncMeta]] = {
    "grid": Grid,
    "household": Household,
    "person": Person,
    "building": Building,
    "organisation": Organisation,
    "incident": Incident,
    "patrol": Patrol,
    "incident_event": IncidentEvent,
    "photo": Photo,
    "setting": Setting,
    "visit": Visit,
    "task_item": TaskItem,
    "task_done": TaskDone,
    "defence_group": DefenceGroup,
    "defence_activity": DefenceActivity,
    "assessment": Assessment,
    "grid_boundary": GridBoundary,
}


def key_field(record_type: str) -> str:
    return "code" if record_type == "grid" else "id"


@functools.cache
def fields_of(record_type: str) -> tuple[str, ...]:
    """The canonical (user) fields of a record type, key first, sync columns excluded."""
    model = RECORD_TYPES[record_type]
    return tuple(name for name in model.model_fields if name not in SYNC_COLUMNS)


def record_table(record_type: str) -> Table:
    return RECORD_TYPES[record_type].__table__  # type: ignore[attr-defined]  # SQLModel sets it on table=True


def empty_value(record_type: str, name: str):
    """What a NOT NULL column holds before any change has set it: the field's own default
    (an empty list or dict for JSON fields), else "" for text. Replicas that receive a
    record through a partial change fill the rest with this."""
    field = RECORD_TYPES[record_type].model_fields[name]
    if field.default_factory is not None or (field.default is not None and field.default is not PydanticUndefined):
        return field.get_default(call_default_factory=True)
    python_type = record_table(record_type).columns[name].type.python_type
    return {int: 0, float: 0.0, dict: {}, list: []}.get(python_type, "")
