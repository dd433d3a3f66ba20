"""Full-text search of households and residents: name, pinyin, ID number, phone, address.

Two FTS5 tables keyed by the record table's rowid. Each row holds *terms*: Chinese
text split into single characters (a phrase query then finds any substring), the
full pinyin and initials of names (`zs` finds 张三), and ID numbers and phones both
forwards and reversed (a prefix query on the reversed form finds the last digits).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping

from sqlalchemy import literal_column, select, text

from sync import records

from . import name_order
from .driver_sql import driver

SEARCHED = {"household": "household_fts", "person": "person_fts"}
# The fields a record's terms are made of (a resident's also hold its household's address).
SEARCHED_FIELDS = {"household": {"head_name", "head_id_number", "phone", "address"},
                   "person": {"name", "id_number", "phone", "household_id"}}
CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ASCII_TOKEN_RE = re.compile(r"[0-9A-Za-z]+")
DIGITS_RE = re.compile(r"^[0-9Xx]+$")


TERM_PIECE_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]|[0-9A-Za-z]+")


@functools.lru_cache(maxsize=1 << 16)
def _chars(value: str | None) -> str:
    """Chinese characters one by one, other runs of letters and digits as words (cached:
    a household's address is indexed again with each of its residents)."""
    if not value:
        return ""
    return " ".join(TERM_PIECE_RE.findall(unicodedata.normalize("NFKC", value)))


@functools.lru_cache(maxsize=1 << 17)
def _pinyin(name: str | None) -> str:
    """Full pinyin and initials of a name; cached, since names repeat and pypinyin is slow.

    pypinyin (and its phrase dictionary, ~0.4 s) is imported on the first name, not at start-up.
    The initials are the first letters of the same syllables (what Style.FIRST_LETTER gives),
    so each name costs one conversion, not two."""
    if not name:
        return ""
    syllables = _syllables(name)
    return f"{''.join(syllables)} {''.join(s[0] for s in syllables)}"


def _syllables(name: str) -> list[str]:
    """pypinyin's syllables of a name. pypinyin reads a word from its phrase dictionary, else
    character by character: a name with no phrase in it is read from a per-character cache."""
    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT

    if any(name[i:j] in PHRASES_DICT for i in range(len(name)) for j in range(i + 2, len(name) + 1)):
        return [s for s in lazy_pinyin(name, errors="ignore") if s]
    return [s for char in name for s in _char_syllables(char)]


@functools.cache
def _char_syllables(char: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(s for s in lazy_pinyin(char, errors="ignore") if s)


def _number(value: str | None) -> str:
    return f"{value} {value[::-1]}" if value else ""


def household_terms(row: Mapping) -> str:
    return " ".join(filter(None, (_chars(row.get("head_name")), _pinyin(row.get("head_name")),
                                  _number(row.get("head_id_number")), _number(row.get("phone")),
                                  _chars(row.get("address")))))


def person_terms(row: Mapping, address: str | None = None) -> str:
    return " ".join(filter(None, (_chars(row.get("name")), _pinyin(row.get("name")),
                                  _number(row.get("id_number")), _number(row.get("phone")),
                                  _chars(address))))


def create_tables(conn) -> None:
    for table in SEARCHED.values():
        conn.execute(text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5("
                          "terms, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"))
    name_order.create_tables(conn)        # written with the terms, by index_rows


def household_entry(row: Mapping) -> tuple[int, str, str | None]:
    """(rowid, search terms, name to order by) of a household row."""
    return row["rowid"], household_terms(row), row.get("head_name")


def person_entry(row: Mapping, address: str | None = None) -> tuple[int, str, str | None]:
    return row["rowid"], person_terms(row, address), row.get("name")


def index_rows(conn, record_type: str, rows: list[tuple[int, str, str | None]], fresh: bool = False,
               names: bool = True) -> None:
    """Replace the search terms and name-order keys of the given (rowid, terms, name) rows
    (`fresh`: rows just inserted, nothing to replace; `names=False`: their names did not change,
    so their order keys stay)."""
    table = SEARCHED[record_type]
    if not rows:
        return
    db = driver(conn)           # one statement per row: SQLAlchemy's per-statement cost is as large as FTS5's
    if not fresh:
        db.executemany(f"DELETE FROM {table} WHERE rowid = ?", [(r[0],) for r in rows])
    db.executemany(f"INSERT INTO {table}(rowid, terms) VALUES (?, ?)", [r[:2] for r in rows])
    if names:
        name_order.write(conn, record_type, [(r[0], r[2]) for r in rows], fresh)


def unindex(conn, record_type: str, rowid: int) -> None:
    conn.exec_driver_sql(f"DELETE FROM {SEARCHED[record_type]} WHERE rowid = ?", (rowid,))
    name_order.drop(conn, record_type, rowid)


def reindex_person(conn, person: dict, rowid: int, names: bool = True) -> None:
    address = None
    if person.get("household_id"):
        found = driver(conn).execute("SELECT address FROM household WHERE id = ?", (person["household_id"],)).fetchone()
        address = found[0] if found else None
    index_rows(conn, "person", [person_entry({**person, "rowid": rowid}, address)], names=names)


def rebuild(conn) -> None:
    """Index every household and resident again (after a migration or a bulk pull)."""
    for table in SEARCHED.values():
        conn.execute(text(f"DELETE FROM {table}"))
    name_order.clear(conn)
    households = conn.execute(text(
        "SELECT rowid, head_name, head_id_number, phone, address FROM household WHERE NOT deleted")).mappings()
    index_rows(conn, "household", [household_entry(r) for r in households])
    people = conn.execute(text(
        "SELECT p.rowid, p.name, p.id_number, p.phone, h.address FROM person p "
        "LEFT JOIN household h ON h.id = p.household_id WHERE NOT p.deleted")).mappings()
    index_rows(conn, "person", [person_entry(r, r["address"]) for r in people])


def _by_id(conn, sql: str, ids) -> dict:
    """{id: value} from `sql` (two columns, the id first) for ids in one IN (...) list, on the
    driver: SQLAlchemy compiled each 500-item IN list afresh, a tenth of a bulk import."""
    ids = list(ids)
    if not ids:
        return {}
    return dict(conn.exec_driver_sql(sql.format(marks=", ".join("?" * len(ids))), tuple(ids)).fetchall())


def reindex_ids(conn, record_type: str, ids: list[str], rows: dict[str, dict] | None = None,
                fresh: bool = False) -> None:
    """Index the given records again (bulk writes and pulls); `rows` saves reading them back;
    `fresh`: they were all inserted by this transaction (records are never physically deleted,
    so their rowids are new and hold no terms yet)."""
    table = records.record_table(record_type)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        if rows is None:
            found = [dict(r._mapping) for r in conn.execute(
                select(literal_column("rowid").label("rowid"), table).where(table.c.id.in_(chunk)))]
        else:
            rowids = _by_id(conn, f"SELECT id, rowid FROM {table.name} WHERE id IN ({{marks}})", chunk)
            found = [{**rows[i], "rowid": rowids[i]} for i in chunk]
        live = [r for r in found if not r["deleted"]]
        for r in found:
            if r["deleted"]:
                unindex(conn, record_type, r["rowid"])
        if record_type == "household":
            index_rows(conn, "household", [household_entry(r) for r in live], fresh)
        else:
            addresses = _by_id(conn, "SELECT id, address FROM household WHERE id IN ({marks})",
                               {r["household_id"] for r in live if r["household_id"]})
            index_rows(conn, "person", [person_entry(r, addresses.get(r["household_id"])) for r in live], fresh)


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what a worker typed, or None if nothing is searchable."""
    parts = []
    for word in unicodedata.normalize("NFKC", query).split():
        if DIGITS_RE.match(word):
            word = word.upper()
            parts.append(f'("{word.lower()}"* OR "{word[::-1].lower()}"*)')
        elif CJK_RE.search(word):
            chars = _chars(word)
            if chars:
                parts.append(f'"{chars}"')
        else:
            tokens = ASCII_TOKEN_RE.findall(word)
            parts.extend(f'"{t.lower()}"*' for t in tokens)
    return " AND ".join(parts) or None


RESULT_COLUMNS = {
    "household": "r.id, r.head_name AS label, r.grid_code, r.address, r.head_id_number AS id_number, r.phone",
    "person": "r.id, r.name AS label, r.household_id, r.id_number, r.phone, r.gender, r.birth_date",
}


def search(conn, query: str, record_types=("household", "person"), limit: int = 50) -> list[dict]:
    expression = match_expression(query)
    if expression is None:
        return []
    found: list[dict] = []
    for record_type in record_types:
        columns = RESULT_COLUMNS[record_type]
        rows = conn.execute(text(
            f"SELECT {columns} FROM {SEARCHED[record_type]} f "
            f"JOIN {record_type} r ON r.rowid = f.rowid "
            f"WHERE {SEARCHED[record_type]} MATCH :q AND NOT r.deleted LIMIT :limit"),
            {"q": expression, "limit": limit}).mappings()
        found.extend({"type": record_type, **dict(r)} for r in rows)
    return found[:limit] if len(record_types) == 1 else found
