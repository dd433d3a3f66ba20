"""Reads of a case's step events and photos by case id (the index on incident_id), for the incidents service."""
from __future__ import annotations

from sqlalchemy import select

from sync import records

from .repository import Store


def of_cases(store: Store, record_type: str, incident_ids: list[str]) -> list[dict]:
    """The live `incident_event` (or `photo`) rows of these cases, in chunks of 500 ids."""
    table = records.record_table(record_type)
    ids = sorted(set(incident_ids))
    out = []
    with store.reading() as conn:
        for start in range(0, len(ids), 500):
            query = select(table).where(table.c.incident_id.in_(ids[start:start + 500]), table.c.deleted.is_(False))
            out += [dict(r._mapping) for r in conn.execute(query)]
    return out
