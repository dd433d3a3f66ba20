"""One person, one record; one head per household, and it is that member: the rules of every local write.

Checked inside the write transaction of Store.put (so a form, gridbook-cli and the import
meet the same rules):
- an ID number names one resident: a second record with it is refused, naming the resident
  who has it (move that resident instead: a change of their household_id);
- a household has at most one 户主, and the household's head fields (head_name,
  head_id_number, phone) are that member's name, ID number and phone: changing either side
  changes the other in the same transaction, so the two never disagree.
Two laptops registering one person offline meet at the station, which keeps both and notes
them as a duplicate for review (sync/station/duplicates.py).
"""
from __future__ import annotations

from sqlalchemy import Connection, select

from sync import records
from sync.validation import FieldError, ValidationError

from .driver_sql import driver

HEAD = "户主"
HEAD_FIELDS = {"name": "head_name", "id_number": "head_id_number", "phone": "phone"}   # member -> household


def is_head(relation: str | None) -> bool:
    return (relation or "").strip() in (HEAD, "本人")


def check_person(conn: Connection, person: dict, changed: dict) -> None:
    """ValidationError if the resident's ID number is another's, or the household would have two heads.

    Only what this write changes is checked: a duplicate pulled from another laptop (the
    station holds both for review) must not block an edit of the resident's phone here."""
    if person.get("deleted"):
        return
    table = records.record_table("person")
    errors = []
    number = person.get("id_number")
    if number and "id_number" in changed:
        other = conn.execute(select(table.c.id, table.c.name, table.c.household_id).where(
            table.c.id_number == number, table.c.id != person["id"], table.c.deleted.is_(False))).first()
        if other is not None:
            errors.append(FieldError("id_number", "id_number_taken", {
                "name": other.name, "person": other.id, "household": other.household_id or "",
                "address": _address(conn, other.household_id)}))
    if is_head(person.get("relation_to_head")) and person.get("household_id") and \
            {"relation_to_head", "household_id"} & set(changed):
        head = conn.execute(select(table.c.name).where(
            table.c.household_id == person["household_id"], table.c.id != person["id"],
            table.c.deleted.is_(False), table.c.relation_to_head.in_((HEAD, "本人")))).first()
        if head is not None:
            errors.append(FieldError("relation_to_head", "second_head", {"name": head.name}))
    if errors:
        raise ValidationError(errors)


def _address(conn: Connection, household_id: str | None) -> str:
    if not household_id:
        return ""
    table = records.record_table("household")
    return conn.execute(select(table.c.address).where(table.c.id == household_id)).scalar() or ""


def household_follows(conn: Connection, person: dict, changed: dict) -> dict | None:
    """The household changes that keep its head fields the head member's (None if nothing to do)."""
    if person.get("deleted") or not is_head(person.get("relation_to_head")) or not person.get("household_id"):
        return None
    if not (set(changed) & {*HEAD_FIELDS, "relation_to_head", "household_id"}):
        return None
    table = records.record_table("household")
    found = conn.execute(select(table).where(table.c.id == person["household_id"])).mappings().first()
    if found is None or found["deleted"]:
        return None
    wanted = {household: person.get(member) for member, household in HEAD_FIELDS.items()}
    wanted = {f: v for f, v in wanted.items() if v is not None and found[f] != v}
    return {"id": found["id"], **wanted} if wanted else None


def head_follows(conn: Connection, household: dict, changed: dict) -> dict | None:
    """The head member's changes that keep it the household's head fields (None if nothing to do)."""
    if household.get("deleted") or not (set(changed) & set(HEAD_FIELDS.values())):
        return None
    found = driver(conn).execute(
        "SELECT id, name, id_number, phone FROM person WHERE household_id = ? AND NOT deleted "
        "AND relation_to_head IN (?, ?) LIMIT 1", (household["id"], HEAD, "本人")).fetchone()
    if found is None:
        return None
    head = dict(zip(("id", "name", "id_number", "phone"), found, strict=True))
    wanted = {member: household.get(field) for member, field in HEAD_FIELDS.items() if field in changed}
    wanted = {f: v for f, v in wanted.items() if v is not None and head[f] != v}
    return {"id": head["id"], **wanted} if wanted else None
