"""Spreadsheet cells to field values: numbers that are really text, Excel dates, Chinese labels.

Each converter takes the raw cell (str, int, float, datetime or None) and returns the
value for `sync.validation.clean_record`, or raises CellError with a FieldError inside.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Any

from sync import messages, records, registers
from sync.ids import is_uuid
from sync.validation import CHOICES, FieldError, id_number_errors

from . import headers as h

EXCEL_EPOCH = dt.date(1899, 12, 30)     # serial 1 is 1900-01-01 (Excel's leap-year bug included)
SCIENTIFIC_RE = re.compile(r"^\d(\.\d+)?e\+?\d+$", re.IGNORECASE)
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(\s.*)?$")
MONTH_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
# Full-width letters, digits and the ideographic space become ASCII; full-width punctuation
# in free text (“：”, “，”) is left as the writer typed it.
HALF_WIDTH = {**{code: code - 0xFEE0 for code in range(0xFF10, 0xFF5B) if chr(code).isalnum()}, 0x3000: 0x20}
# str.translate looks every character up in the table: a search for one first is several times faster
# on the usual Chinese cell, which has nothing to fold
FOLDABLE_RE = re.compile("[\uff10-\uff5a\u3000]")
CJK_SPACE_RE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
TAG_SPLIT_RE = re.compile(r"[、,，;；/|\s]+")
SYNONYM_VALUES = {
    "gender": {"男性": "male", "女性": "female", "m": "male", "f": "female"},
    "residence": {"户籍": "registered", "常住": "registered", "常住人口": "registered", "本地": "registered",
                  "流动": "floating", "暂住": "floating", "暂住人口": "floating", "外来": "floating",
                  "外出": "left", "外出务工": "left", "人户分离": "left"},
    "tags": {"低保户": "low_income", "低保对象": "low_income", "残疾": "disabled", "独居": "elderly_alone",
             "空巢老人": "elderly_alone", "留守": "left_behind_child", "社区矫正对象": "community_correction",
             "社区矫正人员": "community_correction", "退役军人": "veteran", "退伍军人": "veteran",
             "流动": "floating", "重点青少年": "key_youth"},
    "use": {"居住": "residential", "住房": "residential", "商铺": "commercial", "商用": "commercial",
            "商住": "mixed", "商住两用": "mixed", "公建": "public", "办公": "public", "闲置": "vacant"},
}


YES = ("是", "是的", "有", "y", "yes", "true", "1", "√", "✓", "✔", "○")
NO = ("否", "不是", "无", "没有", "n", "no", "false", "0", "×", "✗", "✘", "/", "-")
PHONE_LIST_RE = re.compile(r"\s*[;；,，、/]\s*|\s{2,}")


class CellError(ValueError):
    def __init__(self, error: FieldError):
        self.error = error
        super().__init__(error.code)


def text(value: Any) -> str | None:
    """A cell as trimmed, width-folded text; whole floats lose their '.0'."""
    if value is None:
        return None
    if value.__class__ is str:                  # most cells: ASCII needs no folding
        if value.isascii() or not FOLDABLE_RE.search(value):
            return value.strip() or None
        return value.translate(HALF_WIDTH).strip() or None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).translate(HALF_WIDTH).strip() or None


def folded(value: Any) -> str | None:
    """Text with every full-width form folded (NFKC): for numbers, dates and codes."""
    raw = text(value)
    if not raw or raw.isascii():
        return raw
    return unicodedata.normalize("NFKC", raw).strip() or None


def id_number(field: str, value: Any) -> str | None:
    """An ID number; one Excel turned into a number has lost its final digits or X."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = str(value)
        if len(number) == 18 and not id_number_errors(field, number):
            return number          # an integer cell that still holds every digit is fine
        if len(number) >= 16:
            raise CellError(FieldError(field, "import_id_as_number"))
        return number
    if isinstance(value, float):
        raise CellError(FieldError(field, "import_id_as_number"))
    result = folded(value)
    if result and SCIENTIFIC_RE.match(result.replace(" ", "")):
        raise CellError(FieldError(field, "import_id_as_number"))
    return result


def date(field: str, value: Any) -> str | None:
    if isinstance(value, (dt.datetime, dt.date)):
        return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 19000101 <= value <= 21001231:                   # 19900131 typed as a number
            return date(field, str(int(value)))
        if 1 <= value < 2958466:                            # an Excel serial day number
            return (EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat()
    raw = folded(value)
    if raw is None:
        return None
    if re.fullmatch(r"\d{8}", raw):
        raw = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    match = DATE_RE.match(raw) or MONTH_RE.match(raw)
    try:
        if match:
            day = int(match.group(3)) if match.re is DATE_RE else 1
            year, month = int(match.group(1)), int(match.group(2))
            return dt.date(year, month, day).isoformat()
    except ValueError:
        pass
    raise CellError(FieldError(field, "import_bad_date", {"value": raw}))


@functools.cache
def _label_lookup(field: str) -> dict[str, str]:
    """Chinese and English labels (and the codes themselves) of a field's choices -> code."""
    choices = records.PERSON_TAGS if field == "tags" else next(
        (c for (_, f), c in CHOICES.items() if f == field), ())
    lookup = {}
    for code in choices:
        for label in (code, messages.value_label(code, "zh_CN", field=field),
                      messages.value_label(code, "en", field=field)):
            lookup[label.lower()] = code
    lookup.update(SYNONYM_VALUES.get(field, {}))
    return lookup


def choice(field: str, value: Any) -> str | None:
    raw = folded(value)
    if raw is None:
        return None
    code = _label_lookup(field).get(raw.lower().replace(" ", ""))
    if code is None:
        choices = "、".join(messages.value_label(c, field=field) for c in dict.fromkeys(_label_lookup(field).values()))
        raise CellError(FieldError(field, "import_bad_value", {"value": raw, "choices": choices}))
    return code


def tags(value: Any) -> list[str]:
    """标签 like "低保、残疾人": known labels become their codes, others stay as written."""
    raw = text(value)
    lookup = _label_lookup("tags")
    return [lookup.get(part.lower(), part) for part in TAG_SPLIT_RE.split(raw or "") if part]


def yes_no(field: str, value: Any) -> bool | None:
    """是/否, 1/0, √/×, Y/N as written in a yes/no column."""
    if isinstance(value, bool):
        return value
    raw = folded(value)
    if raw is None:
        return None
    key = raw.lower().replace(" ", "")
    if key in YES:
        return True
    if key in NO:
        return False
    raise CellError(FieldError(field, "import_bad_yes_no", {"value": raw}))


def phones(value: Any) -> list[str]:
    """One or more phone numbers in a cell ("138…;0710-…"): each as written."""
    raw = folded(value)
    if raw is None:
        return []
    if raw.isdigit():                     # the usual cell: one number, nothing between its digits
        return [raw]
    parts = [p for p in PHONE_LIST_RE.split(raw) if p]
    if len(parts) > 1 and all(sum(ch.isdigit() for ch in p) >= 7 for p in parts):
        return parts
    return [raw]


def number(field: str, value: Any) -> float | int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() and field == "floors" else value
    raw = folded(value)
    if raw is None:
        return None
    try:
        parsed = float(raw.rstrip("层楼"))
    except ValueError:
        raise CellError(FieldError(field, "import_bad_number", {"value": raw})) from None
    return int(parsed) if parsed.is_integer() and field == "floors" else parsed


def name(value: Any) -> str | None:
    """A name padded for alignment (“张　三”) loses the padding between characters."""
    raw = text(value)
    return CJK_SPACE_RE.sub("", raw) if raw else raw


@functools.cache
def converter(field: str):
    """convert() for one field, looked up once per field rather than once per cell."""
    if field in ("name", "head_name", "contact", h.HEAD_NAME):
        return name
    if field == "phone":
        return phones                    # a list: the first is the phone, the others go to the notes
    if field == "grid_code":
        return folded
    if field in ("id_number", "head_id_number"):
        return functools.partial(id_number, field)
    if field == "birth_date":
        return functools.partial(date, field)
    if field in ("gender", "residence", "use"):
        return functools.partial(choice, field)
    if field in registers.TABLES:
        return functools.partial(register, field)
    if field == "tags":
        return tags
    if field in ("floors", "latitude", "longitude", "id", "household_id", "building_id") or field == h.IS_HEAD \
            or field.startswith(h.YES_TAG):
        return functools.partial(convert, field)
    return text


def register(field: str, value: Any) -> str | None:
    """A register code (汉族, 汉, 01 -> 01); a value no code stands for is kept as it is written, for
    the row to keep it in its notes rather than lose the resident (rows._person_extras)."""
    raw = text(value)
    if raw is None:
        return None
    return registers.code_of(field, raw) or f"{UNCODED}{raw}"


UNCODED = "?"            # a register cell that names no code: its text follows


def convert(field: str, value: Any) -> Any:
    """The value of `field` for a raw cell (CellError when it cannot be understood)."""
    if field in ("id_number", "head_id_number"):
        return id_number(field, value)
    if field == "birth_date":
        return date(field, value)
    if field in ("gender", "residence", "use"):
        return choice(field, value)
    if field in registers.TABLES:
        return register(field, value)
    if field == "tags":
        return tags(value)
    if field in ("floors", "latitude", "longitude"):
        return number(field, value)
    if field in ("name", "head_name", "contact", h.HEAD_NAME):
        return name(value)
    if field in ("id", "household_id", "building_id"):
        # Another system's row numbers are not our ids: only a UUID names a record.
        raw = folded(value)
        return raw if raw and is_uuid(raw) else None
    if field == h.IS_HEAD or field.startswith(h.YES_TAG):
        return yes_no(field, value)
    if field in ("phone", "grid_code"):
        return folded(value)
    return text(value)
