"""The changes the station refused, as the worker handles them: named by their record, fixed by
editing the record (the fix goes as a new change), or discarded."""
from __future__ import annotations

from sqlalchemy import select

from sync import messages, records

from ..store import Store, refused, replication

# what names a record to a person, in order: the first fields that are filled in
LABEL_FIELDS = {"household": ("head_name", "address"), "person": ("name", "id_number"),
                "building": ("name", "address"), "organisation": ("name", "address"),
                "incident": ("title", "location"), "patrol": ("worker", "started_at"),
                "incident_event": ("step", "at"), "photo": ("caption", "taken_at"), "setting": ("name",)}
EDITABLE = ("household", "person", "building", "organisation", "incident", "patrol")


def label(record_type: str, row: dict | None) -> str:
    """A record as a person names it: 张三 · 幸福村3组12号; a step by its kind and time."""
    if row is None:
        return messages.render("refused_record_gone")
    parts = []
    for name in LABEL_FIELDS.get(record_type, ()):
        value = row.get(name)
        if value:
            value = messages.value_label(value, field=name, record_type=record_type) if name == "step" \
                else str(value)
            parts.append(value[:16].replace("T", " ") if name in ("started_at", "at", "taken_at") else value)
    return " · ".join(parts) or messages.type_label(record_type)


def listing(store: Store) -> list[dict]:
    """Every set-aside change: seq, type, id, the record's label, the station's reason, and
    whether the record can be opened in a form to fix it."""
    changes = replication.set_aside_changes(store)
    rows: dict[tuple[str, str], dict | None] = {}
    for record_type in {c["record_type"] for c in changes}:
        ids = [c["record_id"] for c in changes if c["record_type"] == record_type]
        found = {r[records.key_field(record_type)]: r for r in _rows(store, record_type, ids)}
        rows.update({(record_type, i): found.get(i) for i in ids})
    out = []
    for change in changes:
        row = rows.get((change["record_type"], change["record_id"]))
        out.append({"seq": change["seq"], "type": change["record_type"], "id": change["record_id"],
                    "label": label(change["record_type"], row), "reason": change["reason"] or "",
                    "editable": row is not None and not row["deleted"] and change["record_type"] in EDITABLE})
    return out


def _rows(store: Store, record_type: str, ids: list[str]) -> list[dict]:
    table = records.record_table(record_type)
    key = table.c[records.key_field(record_type)]
    found = []
    with store.reading() as conn:
        for start in range(0, len(ids), 500):
            found += [dict(r._mapping) for r in conn.execute(select(table).where(key.in_(ids[start:start + 500])))]
    return found


def discard(store: Store, seqs: list[int]) -> int:
    return refused.discard(store, seqs)


messages.register({"refused_record_gone": ("（记录已不在本机）", "(record no longer on this computer)")})
