"""Column headers to fields: the names real ledgers use, a guessed mapping, and its JSON file.

A mapping is {header as it appears: field or null}. Besides the record's canonical
fields it may name the import-only columns below (a resident list's household number,
head's name, addresses), which build households or go to notes.
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
ADDRESS = "_address"                   # 现住址 (several columns may hold its parts: 小区, 门牌)
REGISTERED_ADDRESS = "_registered_address"   # 户籍地址 (the resident's, and the household's if no 现住址)
IS_HEAD = "_is_head"                   # 是否户主: a yes/no column marking the head's row
RELATION = "_relation"                 # 与户主关系 in a household list: only the heads' rows are households
YES_TAG = "_yes:"                      # 是否低保户 and the like: yes adds the tag that follows
EXTRA_FIELDS = {
    "person": (HOUSEHOLD_NUMBER, HEAD_NAME, ADDRESS, REGISTERED_ADDRESS, IS_HEAD,
               *(YES_TAG + tag for tag in records.PERSON_TAGS)),
    "household": (HOUSEHOLD_NUMBER, RELATION, IS_HEAD),
}
# Fields that several columns may feed: their non-empty values are joined in column order.
JOINED = (ADDRESS,)
IGNORED = ("序号", "编号序号", "年龄", "错误原因", "原行号", "error", "row", "no", "操作")
# A yes/no column (是否…, 有无…) holds 是/否, never a name, a phone or an address: it is
# mapped only to a yes/no meaning it has (是否户主, 是否低保户), otherwise left out and said so.
YES_NO_PREFIXES = ("是否", "有无", "是不是")
YES_NO_SUBJECTS = {
    "household": {IS_HEAD: ("户主", "为户主")},
    "person": {
        IS_HEAD: ("户主", "为户主"),
        YES_TAG + "low_income": ("低保", "低保户", "低保对象", "享受低保", "低保人员"),
        YES_TAG + "disabled": ("残疾", "残疾人", "残疾人员"),
        YES_TAG + "elderly_alone": ("独居老人", "独居", "空巢老人"),
        YES_TAG + "left_behind_child": ("留守儿童",),
        YES_TAG + "veteran": ("退役军人", "军人", "退伍军人"),
        YES_TAG + "community_correction": ("社区矫正", "社区矫正对象", "社区矫正人员"),
        YES_TAG + "floating": ("流动人口",),
        YES_TAG + "key_youth": ("重点青少年",),
    },
}

SYNONYMS = {
    "person": {
        "name": ("姓名", "名字", "居民姓名", "人员姓名", "成员姓名", "客户名称", "客户姓名", "家庭成员姓名",
                 "姓　名", "xm", "name"),
        "id_number": ("身份证号", "身份证号码", "公民身份号码", "公民身份证号码", "居民身份证号码", "居民身份证号",
                      "证件号码", "证件号", "身份证", "身份证件号码", "身份号码", "id_card", "idcard", "id_number",
                      "sfzh", "身份证号码(18位)"),
        "phone": ("联系电话", "手机号码", "手机号", "手机", "电话", "联系方式", "电话号码", "移动电话", "联系手机",
                  "本人电话", "本人手机", "手机号码(必填)", "mobile", "phone", "tel"),
        "relation_to_head": ("与户主关系", "与户主的关系", "家庭关系", "与户主关系(称谓)", "关系", "与其他人员关系"),
        "gender": ("性别",),
        "birth_date": ("出生日期", "出生年月", "出生年月日", "生日"),
        "residence": ("人口类型", "户籍类型", "人员类型", "居住类型", "人口属性", "户口性质"),
        "tags": ("重点人群", "标签", "人员标签", "特殊人群", "人群类别", "重点类别", "重点人员类别", "重点人群类别"),
        "notes": ("备注", "说明"),
        "ethnicity": ("民族", "民族(族别)", "族别"),
        "education": ("文化程度", "学历", "文化", "最高学历", "受教育程度"),
        "marital_status": ("婚姻状况", "婚姻状态", "婚姻"),
        "political_status": ("政治面貌", "政治身份"),
        "employer": ("工作单位", "服务处所", "就业单位", "工作单位及职务", "工作单位/学校"),
        HEAD_NAME: ("户主姓名", "户主"),
        HOUSEHOLD_NUMBER: ("户号", "户编号", "户籍编号", "家庭编号", "户号编码", "户编码"),
        ADDRESS: ("现住址", "现居住地址", "居住地址", "家庭住址", "住址", "现住地址", "地址", "居住处所",
                  "现居住地", "实际居住地", "实际居住地址", "现住小区/建筑", "门牌地址", "门牌号", "居住地"),
        REGISTERED_ADDRESS: ("户籍地址", "户籍所在地", "户籍地", "户籍地址详址", "户口所在地"),
    },
    "household": {
        "head_name": ("户主姓名", "户主", "姓名"),
        "head_id_number": ("户主身份证号", "户主身份证号码", "身份证号", "身份证号码", "公民身份号码",
                           "户主公民身份号码", "证件号码"),
        "address": ("家庭住址", "现住址", "住址", "地址", "户籍地址", "居住地址", "居住处所"),
        "phone": ("联系电话", "手机号码", "手机号", "手机", "电话", "联系方式", "电话号码"),
        "tags": ("户标签", "标签", "户类别"),
        "notes": ("备注",),
        HOUSEHOLD_NUMBER: ("户号", "户编号", "户号编码"),
        RELATION: ("与户主关系", "与户主的关系", "家庭关系"),
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
# Without a column for these the ledger would fill up with people it cannot tell apart or
# reach: the import says so before writing, and goes on only if the worker says it may.
KEY_FIELDS = {"person": ("id_number", "phone"), "household": ("head_id_number", "phone")}


def normalise_header(text: str) -> str:
    """Width-folded, without spaces, stars, colons or a bracketed remark such as （必填）."""
    text = unicodedata.normalize("NFKC", str(text or ""))
    text = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", text)
    return re.sub(r"[\s*※:：]", "", text).lower()


@functools.cache
def _names(record_type: str) -> dict[str, str]:
    """Every known header (normalised) -> field; the canonical labels in both languages too."""
    names: dict[str, str] = {}
    for name, synonyms in SYNONYMS.get(record_type, {}).items():
        for label in synonyms:
            names.setdefault(normalise_header(label), name)
    for name in records.fields_of(record_type):
        for label in (name, messages.field_label(name, "zh_CN"), messages.field_label(name, "en")):
            names.setdefault(normalise_header(label), name)
    return names


def yes_no_subject(header: str) -> str | None:
    """What a yes/no column asks about (是否开通手机银行 -> 开通手机银行), None for another column."""
    key = normalise_header(header)
    for prefix in YES_NO_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix):]
    return None


@functools.lru_cache(maxsize=4096)
def guess_field(header: str, record_type: str) -> str | None:
    """The field a column header names, matched as a whole label (or a known synonym): 是否户主
    is not the head's name and 是否开通手机银行 is not a phone."""
    key = normalise_header(header)
    if not key or key in IGNORED:
        return None
    subject = yes_no_subject(header)
    if subject is not None:
        return next((field for field, subjects in YES_NO_SUBJECTS.get(record_type, {}).items()
                     if subject in subjects), None)
    return _names(record_type).get(key)


def header_score(text: str) -> bool:
    """Does this cell look like a column name of any importable record type?"""
    return any(guess_field(text, t) for t in IMPORTABLE)


def guess_mapping(headers: list[str], record_type: str) -> dict[str, str | None]:
    """Header -> field; a field is given to its first column only (but for the joined ones)."""
    mapping, taken = {}, set()
    for header in headers:
        field = guess_field(header, record_type)
        mapping[header] = field if field and (field not in taken or field in JOINED) else None
        if field:
            taken.add(field)
    return mapping


def missing_key_fields(mapping: dict, record_type: str) -> list[str]:
    """The key fields (ID number, phone) that no column gives."""
    mapped = set(mapping.values())
    return [f for f in KEY_FIELDS.get(record_type, ()) if f not in mapped]


def field_label(field: str, lang: str | None = None) -> str:
    """The label of a field or import-only column, in the user's language."""
    if field.startswith(YES_TAG):
        return messages.render("extra_yes_tag", lang, tag=messages.value_label(field[len(YES_TAG):], lang))
    if field.startswith("_"):
        return messages.render("extra" + field, lang)
    return messages.field_label(field, lang)


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
