"""Column headers to fields: the names real ledgers use, a guessed mapping, and its JSON file.

A mapping is {header as it appears: field or null}. Besides the record's canonical
fields it may name the import-only columns below (a resident list's household number,
head's name, addresses, ethnic group), which build households or go to notes.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from pathlib import Path

from sync import messages, records

# Columns that are not record fields but that an import understands.
HOUSEHOLD_NUMBER = "_household_no"     # 户号
HEAD_NAME = "_head_name"               # 户主姓名 (in a resident list)
ADDRESS = "_address"                   # 现住址
REGISTERED_ADDRESS = "_registered_address"   # 户籍地址
ETHNICITY = "_ethnicity"               # 民族 (kept in notes)
EXTRA_FIELDS = {
    "person": (HOUSEHOLD_NUMBER, HEAD_NAME, ADDRESS, REGISTERED_ADDRESS, ETHNICITY),
    "household": (HOUSEHOLD_NUMBER,),
}
IGNORED = ("序号", "编号序号", "年龄", "错误原因", "原行号", "error", "row", "no", "操作")

SYNONYMS = {
    "person": {
        "name": ("姓名", "名字", "居民姓名", "人员姓名", "成员姓名"),
        "id_number": ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "证件号码", "身份证", "证件号"),
        "phone": ("联系电话", "手机号码", "手机号", "手机", "电话", "联系方式", "电话号码"),
        "relation_to_head": ("与户主关系", "与户主的关系", "关系", "家庭关系"),
        "gender": ("性别",),
        "birth_date": ("出生日期", "出生年月", "出生年月日", "生日"),
        "residence": ("人口类型", "户籍类型", "人员类型", "居住类型", "人口属性"),
        "tags": ("重点人群", "标签", "人员标签", "特殊人群", "人群类别"),
        "notes": ("备注", "说明"),
        ETHNICITY: ("民族",),
        HEAD_NAME: ("户主姓名", "户主"),
        HOUSEHOLD_NUMBER: ("户号", "户编号", "户籍编号", "家庭编号"),
        ADDRESS: ("现住址", "现居住地址", "居住地址", "家庭住址", "住址", "现住地址", "地址"),
        REGISTERED_ADDRESS: ("户籍地址", "户籍所在地", "户籍地", "户籍地址详址"),
    },
    "household": {
        "head_name": ("户主姓名", "户主", "姓名"),
        "head_id_number": ("户主身份证号", "户主身份证号码", "身份证号", "身份证号码", "公民身份号码"),
        "address": ("家庭住址", "现住址", "住址", "地址", "户籍地址"),
        "phone": ("联系电话", "手机号码", "手机", "电话"),
        "tags": ("户标签", "标签", "户类别"),
        "notes": ("备注",),
        HOUSEHOLD_NUMBER: ("户号", "户编号"),
    },
    "building": {
        "name": ("楼栋名称", "房屋名称", "楼栋号", "楼号", "名称"),
        "address": ("地址", "房屋地址", "楼栋地址", "坐落"),
        "floors": ("层数", "楼层数", "总层数"),
        "use": ("用途", "房屋用途", "使用性质"),
        "structure": ("结构", "建筑结构", "房屋结构"),
    },
    "organisation": {
        "name": ("单位名称", "企业名称", "名称", "单位"),
        "kind": ("单位类型", "企业类型", "类型", "行业"),
        "address": ("单位地址", "地址", "经营地址"),
        "contact": ("联系人", "负责人", "法定代表人"),
        "phone": ("联系电话", "电话", "手机"),
    },
}
IMPORTABLE = tuple(SYNONYMS)


def normalise_header(text: str) -> str:
    """Width-folded, without spaces, stars, colons or a bracketed remark such as （必填）."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)
    return re.sub(r"[\s*※:：]", "", text).lower()


@functools.cache
def _names(record_type: str) -> dict[str, str]:
    """Every known header (normalised) -> field; the canonical labels in both languages too."""
    names: dict[str, str] = {}
    for name in records.fields_of(record_type):
        for label in (name, messages.field_label(name, "zh_CN"), messages.field_label(name, "en")):
            names[normalise_header(label)] = name
    for name, synonyms in SYNONYMS.get(record_type, {}).items():
        for label in synonyms:
            names.setdefault(normalise_header(label), name)
    return names


@functools.lru_cache(maxsize=4096)
def guess_field(header: str, record_type: str) -> str | None:
    key = normalise_header(header)
    if not key or key in IGNORED:
        return None
    names = _names(record_type)
    if key in names:
        return names[key]
    # Longest known name inside the header: 户主身份证号码 is head_id_number, not id_number.
    for known in sorted(names, key=len, reverse=True):
        if len(known) >= 2 and not known.isascii() and known in key:
            return names[known]
    return None


def header_score(text: str) -> bool:
    """Does this cell look like a column name of any importable record type?"""
    return any(guess_field(text, t) for t in IMPORTABLE)


def guess_mapping(headers: list[str], record_type: str) -> dict[str, str | None]:
    """Header -> field; a field is given to its first column only."""
    mapping, taken = {}, set()
    for header in headers:
        field = guess_field(header, record_type)
        mapping[header] = field if field and field not in taken else None
        if field:
            taken.add(field)
    return mapping


def allowed_fields(record_type: str) -> tuple[str, ...]:
    return records.fields_of(record_type) + EXTRA_FIELDS.get(record_type, ())


def load_mapping(path: str | Path, record_type: str) -> dict[str, str | None]:
    """Read a saved mapping; raises ValueError naming what is wrong."""
    value = json.loads(Path(path).read_text(encoding="utf-8"))
    value = value.get("columns", value) if isinstance(value, dict) else value
    if not isinstance(value, dict):
        raise ValueError("expected an object {header: field}")
    unknown = [f for f in value.values() if f is not None and f not in allowed_fields(record_type)]
    if unknown:
        raise ValueError(f"unknown fields {unknown}; allowed: {', '.join(allowed_fields(record_type))}")
    return value


def save_mapping(path: str | Path, mapping: dict[str, str | None], record_type: str) -> None:
    Path(path).write_text(json.dumps({"type": record_type, "columns": mapping}, ensure_ascii=False, indent=2),
                          encoding="utf-8")
