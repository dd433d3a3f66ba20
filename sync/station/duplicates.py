"""One person, one record, across laptops: residents registered twice offline meet here as a duplicate.

Each laptop refuses a second record for an ID number it already holds (desktop/store/
household_rules.py); two laptops that register the same person while apart cannot know.
The station keeps both (nothing entered is lost) and notes a `duplicate` conflict: kept is
the resident who had the ID number first, lost the newcomer. A township or county reviewer
resolves it: `merge` folds the newcomer into the first record (what the first lacks is
taken from the newcomer, the newcomer is deleted, both as station changes that sync down);
`local` says they are two people after all (one ID number was mistyped) and keeps both.
"""
from __future__ import annotations

from sqlalchemy import Connection, select

from sync import records

from . import tables
from .writer import bump_versions, chunks, complete_row, fetch_rows, key_in, station_stamp, write_rows

KIND = "duplicate"
_PERSON = records.record_table("person")
SHOWN = (_PERSON.c.name, _PERSON.c.phone, _PERSON.c.birth_date, _PERSON.c.registered_address)
MERGED_FIELDS = tuple(f for f in records.fields_of("person") if f not in ("id", "id_number"))


def _shown(row) -> dict:
    """What a reviewer compares to tell one person from two."""
    return {"id": row.id, "id_number": row.id_number, **{c.name: getattr(row, c.name) for c in SHOWN}}


def find(conn: Connection, changed_ids: list[str], numbers: set[str] | None = None) -> list[dict]:
    """Conflict rows for residents (just written) whose ID number another live resident has too, each pair
    once: kept is the one whose ID number was set first, the newcomer is the conflict's record.

    numbers: the ID numbers those residents hold now, live ones only, if the caller knows them (the push
    has them in its working copies); read back from the database otherwise."""
    table = records.record_table("person")
    if not changed_ids:
        return []
    if numbers is None:
        numbers = set(conn.execute(select(table.c.id_number).where(
            table.c.id.in_(changed_ids), table.c.deleted.is_(False), table.c.id_number.is_not(None))).scalars())
    shared = _held_twice(conn, sorted(numbers))
    if not shared:
        return []
    by_number: dict[str, list] = {}
    for row in conn.execute(select(table.c.id, table.c.id_number, table.c.clocks, *SHOWN).where(
            table.c.id_number.in_(shared), table.c.deleted.is_(False))):
        by_number.setdefault(row.id_number, []).append(row)
    noted = _noted(conn, [r.id for rows in by_number.values() for r in rows])
    changed, found = set(changed_ids), []
    for rows in by_number.values():
        rows.sort(key=lambda r: ((r.clocks or {}).get("id_number") or "", r.id))
        first = rows[0]
        for newcomer in rows[1:]:
            if newcomer.id in noted or not ({newcomer.id, first.id} & changed):
                continue
            found.append({"kind": KIND, "record_type": "person", "record_id": newcomer.id, "field": "id_number",
                          "kept_value": _shown(first),
                          "kept_stamp": (first.clocks or {}).get("id_number"),
                          "lost_value": _shown(newcomer),
                          "lost_stamp": (newcomer.clocks or {}).get("id_number")})
    return found


def _held_twice(conn: Connection, numbers: list[str]) -> list[str]:
    """Which of these ID numbers more than one live resident holds: one indexed query per chunk, nearly
    always answering none (reading every resident of a batch back, clocks and all, cost more than the
    batch's own inserts)."""
    shared: list[str] = []
    for part in chunks(numbers):
        where, params = key_in(conn, "id_number", part)
        shared += [number for (number,) in conn.exec_driver_sql(
            f"SELECT id_number FROM person WHERE {where} AND NOT deleted GROUP BY id_number HAVING COUNT(*) > 1",
            params)]
    return shared


def _noted(conn: Connection, ids: list[str]) -> set[str]:
    """Residents already waiting for review as the newcomer of a duplicate."""
    c = tables.conflict
    return set(conn.execute(select(c.c.record_id).where(c.c.kind == KIND, c.c.record_id.in_(ids),
                                                         c.c.resolved_ms.is_(None))).scalars())


def merge(conn: Connection, conflict: dict) -> dict:
    """Fold the newcomer into the first record; both changes are the station's own. Their result."""
    first_id, newcomer_id = conflict["kept_value"]["id"], conflict["lost_value"]["id"]
    rows = fetch_rows(conn, "person", [first_id, newcomer_id])
    first, newcomer = rows.get(first_id), rows.get(newcomer_id)
    if first is None or newcomer is None:
        return {"take": "merge", "merged": False}
    stamp = station_stamp(conn, max([*first["clocks"].values(), *newcomer["clocks"].values()], default=None))
    filled = {f: newcomer[f] for f in MERGED_FIELDS if first.get(f) in (None, "", []) and
              newcomer.get(f) not in (None, "", [])}
    kept = {**first, **filled, "clocks": {**first["clocks"], **dict.fromkeys(filled, stamp)}}
    gone = {**newcomer, "deleted": True, "clocks": {**newcomer["clocks"], "deleted": stamp}}
    write_rows(conn, "person", [], [complete_row("person", kept, kept), complete_row("person", gone, gone)])
    homes = (kept.get("household_id") or "", gone.get("household_id") or "")
    grids = _grids(conn, list(homes))
    bump_versions(conn, [("person", first_id, grids.get(homes[0])), ("person", newcomer_id, grids.get(homes[1]))])
    return {"take": "merge", "merged": True, "into": first_id, "filled": sorted(filled), "stamp": stamp}


def _grids(conn: Connection, household_ids: list[str | None]) -> dict[str, str | None]:
    wanted = [h for h in household_ids if h]
    return {h: r.get("grid_code") for h, r in fetch_rows(conn, "household", wanted, columns=("grid_code",)).items()}
