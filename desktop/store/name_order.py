"""Names in pinyin order, as WPS and Excel sort Chinese: 安 before 白 before 张, not by code point.

A key per household (its head's name) and per resident (the name), kept beside the search
terms in a local table keyed by the record's rowid (never synced: it is derived, like
the search index) and indexed, so a sorted page joins it instead of sorting by code
point. Key: the syllables without tones, then the name itself to break ties
("zhang san" + 张三), so 张三 and 章三 stay apart and each keeps its place.
"""
from __future__ import annotations

import functools

from sqlalchemy import TableClause, column, table, text

SORTED_FIELDS = {"household": "head_name", "person": "name"}
TABLES = {"household": "household_name_order", "person": "person_name_order"}
SEPARATOR = "\x00"            # below every letter: "li" sorts before "li ming", "li" + 李 before "lin"
# Surnames read otherwise than the character usually is (曾国藩 is Zeng, not Ceng): a name
# starts with its surname, so its first syllable is taken from here.
SURNAME_READINGS = {"曾": "zeng", "单": "shan", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "翟": "zhai",
                    "乐": "yue", "查": "zha", "盖": "ge", "缪": "miao", "覃": "qin", "秘": "bi", "种": "chong",
                    "召": "shao", "繁": "po", "员": "yun", "句": "gou", "宿": "su", "隗": "wei"}


@functools.lru_cache(maxsize=1 << 17)
def sort_key(name: str | None) -> str:
    """The pinyin order key of a name (letters and digits in it lower-cased, in place)."""
    if not name:
        return ""
    from pypinyin import lazy_pinyin

    from .search import CJK_RE, _syllables

    if all(CJK_RE.match(ch) for ch in name):
        syllables = _syllables(name)             # cached per character, phrases read whole
        if name[0] in SURNAME_READINGS and len(syllables) == len(name):
            syllables = [SURNAME_READINGS[name[0]], *syllables[1:]]
    else:
        # pypinyin takes a callback returning a list too (its stub says str): other text kept whole
        readings = lazy_pinyin(name, errors=lambda rest: [rest])  # type: ignore[arg-type,return-value]
        syllables = [s.lower() for s in readings if s.strip()]
    return " ".join(syllables) + SEPARATOR + name


def create_tables(conn) -> None:
    for name in TABLES.values():
        conn.execute(text(f"CREATE TABLE IF NOT EXISTS {name} (id INTEGER PRIMARY KEY, key TEXT NOT NULL)"))
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{name}_key ON {name} (key)"))


def write(conn, record_type: str, rows: list[tuple[int, str | None]]) -> None:
    """Keys for (rowid, name) pairs, replacing what the rows had."""
    if rows:
        conn.exec_driver_sql(f"INSERT OR REPLACE INTO {TABLES[record_type]} (id, key) VALUES (?, ?)",
                             [(rowid, sort_key(name)) for rowid, name in rows])


def drop(conn, record_type: str, rowid: int) -> None:
    conn.exec_driver_sql(f"DELETE FROM {TABLES[record_type]} WHERE id = ?", (rowid,))


def clear(conn) -> None:
    for name in TABLES.values():
        conn.execute(text(f"DELETE FROM {name}"))


def order_table(record_type: str) -> TableClause:
    """The key table, for a query that joins it on the record's rowid."""
    return table(TABLES[record_type], column("id"), column("key"))
