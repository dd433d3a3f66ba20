"""Names in pinyin order, as WPS, Excel and ICU sort Chinese: 安 before 白 before 张, not by code point.

A key per household (its head's name) and per resident (the name), kept beside the search
terms in a local table keyed by the record's rowid (never synced: it is derived, like
the search index) and indexed, so a sorted page joins it instead of sorting by code
point. The key compares character by character, as ICU's Chinese collation does: each
character's pinyin (ü after u: 卢 lú, 吕 lǚ, 栾 luán), its tone, its strokes, then the
character itself, so every name of one surname stays together (黎 lí, 李 lǐ, 厉 lì: never
interleaved). A name's first character is read as a surname (曾国藩 is Zēng, 单田芳 Shàn).
"""
from __future__ import annotations

import functools
import unicodedata

from sqlalchemy import TableClause, column, table, text

from .driver_sql import driver
from .strokes import strokes

SORTED_FIELDS = {"household": "head_name", "person": "name"}
TABLES = {"household": "household_name_order", "person": "person_name_order"}
END = "\x01"          # after each character: 李 sorts before 李明, 李明 before 李明华
SYLLABLE_END = "\x02"     # below every letter: lu before lü before luan
U_UMLAUT = "u\x03"    # ü right after u and before any letter: lu < lü < lüe < luan
LATIN = "\x00"        # letters and digits sort before every Chinese character, as in ICU
# Surnames read otherwise than the character usually is (曾国藩 is Zeng, not Ceng): a name
# starts with its surname, so its first character (or two, for the compound ones) is read from here.
SURNAME_READINGS = {
    "曾": "zeng1", "单": "shan4", "解": "xie4", "仇": "qiu2", "区": "ou1", "朴": "piao2", "翟": "zhai2",
    "乐": "yue4", "查": "zha1", "盖": "ge3", "缪": "miao4", "覃": "qin2", "秘": "bi4", "种": "chong2",
    "召": "shao4", "繁": "po2", "员": "yun4", "句": "gou1", "宿": "su4", "隗": "wei3", "卜": "bu3",
    "阚": "kan4", "薄": "bo2", "长": "chang2", "粘": "nian2", "折": "she2", "乜": "nie4", "佴": "nai4",
    "么": "yao1", "都": "du1", "华": "hua4", "任": "ren2", "纪": "ji3", "燕": "yan1", "冼": "xian3",
    "洗": "xian3", "能": "nai4", "万": "wan4", "尉": "wei4", "黑": "he4", "恽": "yun4", "訾": "zi1",
    "郇": "huan2", "眭": "sui1", "蕃": "pi2", "过": "guo1", "阿": "a1", "藏": "zang4", "重": "chong2",
}
COMPOUND_SURNAMES = {"尉迟": ("yu4", "chi2"), "万俟": ("mo4", "qi2"), "单于": ("chan2", "yu2"),
                     "长孙": ("zhang3", "sun1"), "澹台": ("tan2", "tai2"), "令狐": ("ling2", "hu2"),
                     "欧阳": ("ou1", "yang2"), "上官": ("shang4", "guan1"), "司马": ("si1", "ma3")}


def _is_han(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _piece(char: str, reading: str) -> str:
    """One Chinese character's part of a key: syllable, tone, strokes, the character."""
    letters, tone = (reading[:-1], reading[-1]) if reading[-1:].isdigit() else (reading, "5")
    return letters.replace("ü", U_UMLAUT).replace("v", U_UMLAUT) + SYLLABLE_END + tone + \
        chr(0x20 + min(strokes(char), 99)) + char + END


@functools.cache
def _char_piece(char: str) -> str:
    if _is_han(char):
        from pypinyin import Style, pinyin

        reading = pinyin(char, style=Style.TONE3, neutral_tone_with_five=True, v_to_u=True, errors="ignore")
        if reading and reading[0] and reading[0][0]:
            return _piece(char, reading[0][0])
        return "\x7f" + char + END             # no reading known: after every syllable
    if char.isalnum():
        return LATIN + char.lower() + END
    return ""                                 # spaces and the 欧阳·娜娜 dot do not order


@functools.lru_cache(maxsize=1 << 17)
def sort_key(name: str | None) -> str:
    """The pinyin order key of a name; the name itself breaks the last ties."""
    if not name:
        return ""
    name = unicodedata.normalize("NFKC", name).strip()
    readings = COMPOUND_SURNAMES.get(name[:2])
    if readings and len(name) > 2:
        head = _piece(name[0], readings[0]) + _piece(name[1], readings[1])
        rest = name[2:]
    elif name[0] in SURNAME_READINGS:
        head, rest = _piece(name[0], SURNAME_READINGS[name[0]]), name[1:]
    else:
        head, rest = "", name
    return head + "".join(_char_piece(ch) for ch in rest) + LATIN + name


def create_tables(conn) -> None:
    for name in TABLES.values():
        conn.execute(text(f"CREATE TABLE IF NOT EXISTS {name} (id INTEGER PRIMARY KEY, key TEXT NOT NULL)"))
        conn.execute(text(f"CREATE INDEX IF NOT EXISTS ix_{name}_key ON {name} (key)"))


def write(conn, record_type: str, rows: list[tuple[int, str | None]], fresh: bool = False) -> None:
    """Keys for (rowid, name) pairs, replacing what the rows had (`fresh`: they had none)."""
    if rows:
        verb = "INSERT" if fresh else "INSERT OR REPLACE"
        driver(conn).executemany(f"{verb} INTO {TABLES[record_type]} (id, key) VALUES (?, ?)",
                                 [(rowid, sort_key(name)) for rowid, name in rows])


def drop(conn, record_type: str, rowid: int) -> None:
    conn.exec_driver_sql(f"DELETE FROM {TABLES[record_type]} WHERE id = ?", (rowid,))


def clear(conn) -> None:
    for name in TABLES.values():
        conn.execute(text(f"DELETE FROM {name}"))


def order_table(record_type: str) -> TableClause:
    """The key table, for a query that joins it on the record's rowid."""
    return table(TABLES[record_type], column("id"), column("key"))
