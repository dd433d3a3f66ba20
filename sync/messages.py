"""The message catalogue of the Qt-free code (validation, station, CLI): zh_CN first, English second.

The desktop UI translates its own strings with Qt's tr(); messages that come from
the shared layers (a validation error, a station refusal) are rendered from here
in the user's language.
"""
from __future__ import annotations

import os

from . import registers

DEFAULT_LANGUAGE = "zh_CN"

FIELD_LABELS = {
    "code": ("编码", "code"), "name": ("名称/姓名", "name"), "level": ("层级", "level"),
    "parent_code": ("上级编码", "parent code"), "grid_code": ("所属网格", "grid"),
    "address": ("地址", "address"), "head_name": ("户主姓名", "head of household"),
    "head_id_number": ("户主身份证号", "head's ID number"), "phone": ("联系电话", "phone"),
    "building_id": ("所在楼栋", "building"), "tags": ("标签", "tags"), "notes": ("备注", "notes"),
    "household_id": ("所属户", "household"), "id_number": ("身份证号", "ID number"),
    "gender": ("性别", "gender"), "birth_date": ("出生日期", "birth date"),
    "relation_to_head": ("与户主关系", "relation to head"), "residence": ("人口类型", "residence"),
    "floors": ("层数", "floors"), "use": ("用途", "use"), "structure": ("结构", "structure"),
    "latitude": ("纬度", "latitude"), "longitude": ("经度", "longitude"),
    "kind": ("单位类型", "kind"), "contact": ("联系人", "contact"),
    "category": ("事件类别", "category"), "title": ("标题", "title"),
    "description": ("事件描述", "description"), "location": ("发生地点", "location"),
    "parties": ("当事人", "parties"), "reported_at": ("上报时间", "reported at"),
    "reported_by": ("上报人", "reported by"), "status": ("状态", "status"),
    "deadline": ("办结时限", "deadline"), "worker": ("网格员", "worker"),
    "started_at": ("开始时间", "started at"), "ended_at": ("结束时间", "ended at"),
    "id": ("编号", "id"),
    "incident_id": ("所属事件", "case"), "step": ("办理环节", "step"), "actor": ("办理人", "actor"),
    "actor_level": ("办理层级", "actor's level"), "at": ("办理时间", "time"),
    "assignee": ("承办单位/人员", "assignee"), "target_level": ("目标层级", "target level"),
    "result": ("办理结果", "result"), "mediation_parties": ("调解当事人", "mediation parties"),
    "agreement": ("调解协议", "agreement"), "outcome": ("调解结果", "mediation outcome"),
    "prior": ("已知环节", "steps known"), "value": ("设置值", "value"),
    "sha256": ("文件校验值", "SHA-256"), "size": ("文件大小", "size"), "mime": ("文件类型", "file type"),
    "taken_at": ("拍摄时间", "taken at"), "caption": ("照片说明", "caption"),
    "source_type": ("来源", "raised from"), "source_id": ("来源记录", "source record"),
    "person_id": ("走访对象", "resident visited"), "visitor": ("走访人", "visited by"),
    "visited_at": ("走访时间", "visited at"), "method": ("走访方式", "how"), "findings": ("走访情况", "findings"),
    "needs": ("群众诉求", "needs raised"), "photo_sha256": ("走访照片", "visit photo"),
    "photo_size": ("照片大小", "photo size"),
    "done_when": ("完成标准", "what counts as done"), "owner_role": ("责任人", "owner"),
    "frequency": ("频次", "frequency"), "starts_on": ("起始日期", "starts on"),
    "published_by": ("发布人", "published by"), "task_id": ("事项", "task item"), "period": ("周期", "period"),
    "done_by": ("完成人", "done by"), "done_at": ("完成时间", "done at"), "note": ("完成说明", "note"),
    "leader_name": ("联防长", "group leader"), "leader_person_id": ("联防长（居民）", "leader (resident)"),
    "household_ids": ("成员户", "member households"), "group_id": ("联防组", "group"),
    "activity": ("记录类型", "activity"), "recorded_by": ("记录人", "recorded by"), "alert_type": ("警情类别", "alert"),
    "participants": ("参加人员", "participants"),
    "grade": ("考核等次", "grade"), "reason": ("评定理由", "reason"), "graded_by": ("评定人", "graded by"),
    "graded_at": ("评定时间", "graded at"), "score": ("考核得分", "score"), "inputs": ("考核指标", "inputs"),
    "geometry": ("网格边界", "boundary"),
    "register_number": ("户号", "register number"), "ethnicity": ("民族", "ethnicity"),
    "registered_address": ("户籍地址", "registered address"), "education": ("文化程度", "education"),
    "marital_status": ("婚姻状况", "marital status"), "political_status": ("政治面貌", "political status"),
    "employer": ("工作单位", "employer"),
}

MESSAGES = {
    "required": ("{field}不能为空，请填写。", "{field} is required."),
    "too_long": ("{field}过长：最多 {max} 个字符，现有 {length} 个。",
                 "{field} is too long: at most {max} characters, got {length}."),
    "unknown_field": ("不认识的字段“{name}”，请检查拼写。", "Unknown field '{name}': check the spelling."),
    "bad_stamps": ("转发的时间戳不完整或格式不对。", "The forwarded stamps are incomplete or malformed."),
    "id_length": ("{field}应为18位（最后一位可为X），现为 {length} 位。",
                  "{field} must have 18 characters (the last may be X); got {length}."),
    "id_chars": ("{field}只能由数字组成，最后一位可为X。",
                 "{field} must be digits, the last may be X."),
    "id_checksum": ("{field}校验位不符：按前17位应为 {expected}，请核对号码。",
                    "{field} has a wrong check digit: by the first 17 digits it should end in {expected}. "
                    "Check the number."),
    "id_birthdate": ("{field}中的出生日期 {date} 不存在，请核对号码。",
                     "{field} contains an impossible birth date {date}. Check the number."),
    "id_legacy15": ("{field}是15位旧号码，请改填18位号码（应为 {upgraded}）。",
                    "{field} is an old 15-digit number; enter the 18-digit one ({upgraded})."),
    "phone_range": ("{field}不是在用的手机号：没有 {prefix} 开头的号段，请核对号码。",
                    "{field} is no mobile number in use: no range starts with {prefix}. Check the number."),
    "id_legacy15_date": ("{field}是15位旧号码，但其中的出生日期 {date} 不存在，请核对号码后改填18位号码。",
                         "{field} is an old 15-digit number whose birth date {date} does not exist: check it "
                         "and enter the 18-digit number."),
    "id_province": ("{field}开头的省份代码 {province} 不存在，请核对号码。",
                    "{field} starts with {province}, which is no province's code: check the number."),
    "id_county_unknown": ("{field}中的县级代码 {county} 不在现行区划代码中（可能是撤并前的旧县），请核对。",
                          "{field} has the county code {county}, not in today's division codes (perhaps a "
                          "county since renamed or merged): please check."),
    "id_mismatch": ("{field}与身份证号不符（身份证号表明为 {expected}）。",
                    "{field} does not match the ID number (which says {expected})."),
    "phone": ("{field}格式不对：手机号为1开头的11位数字，座机如 0710-1234567。",
              "{field} is not a phone number: a mobile has 11 digits starting with 1, "
              "a landline looks like 0710-1234567."),
    "choice": ("{field}的值“{value}”无效，可选：{choices}。",
               "{field} '{value}' is not valid; choose one of: {choices}."),
    "date": ("{field}应为日期，格式如 2024-03-01。", "{field} must be a date such as 2024-03-01."),
    "datetime": ("{field}应为时间，格式如 2024-03-01T08:30:00+08:00。",
                 "{field} must be a time such as 2024-03-01T08:30:00+08:00."),
    "future_date": ("{field}不能晚于今天。", "{field} cannot be in the future."),
    "number": ("{field}应为 {low} 到 {high} 之间的数字。", "{field} must be a number from {low} to {high}."),
    "grid_code_format": ("{field}“{value}”格式不对：{level}编码应为 {pattern}。",
                         "{field} '{value}' is malformed: a {level} code looks like {pattern}."),
    "grid_parent": ("{field}“{value}”应以上级编码“{parent}”开头。",
                    "{field} '{value}' must start with its parent's code '{parent}'."),
    "grid_missing": ("{field}“{value}”不存在，请先添加该网格或从乡镇站同步。",
                     "{field} '{value}' does not exist: add the grid first or sync from the township."),
    "record_missing": ("{field}“{value}”对应的记录不存在。", "{field} '{value}' names no existing record."),
    "not_a_list": ("{field}应为列表。", "{field} must be a list."),
    "sha256": ("{field}应为 64 位小写十六进制的 SHA-256 校验值。",
               "{field} must be a SHA-256 digest: 64 lower-case hex digits."),
    "photo_incident": ("照片所属的事件不存在，或不在照片所写的网格：照片只能附在本网格的事件上。",
                       "The photo's case does not exist or is not in the photo's grid: a photo belongs to a case of "
                       "its own grid."),
    "id_number_taken": ("身份证号已登记给{address}的{name}：一人只建一份档案。如是同一人迁入本户，请打开{name}的记录，"
                        "把“所属户”改为本户。",
                        "This ID number is already {name}'s ({address}): one person, one record. If it is the same "
                        "person moving into this household, open {name}'s record and change its household."),
    "second_head": ("本户已有户主{name}：一户只有一位户主。请先把{name}的“与户主关系”改掉。",
                    "This household already has a head, {name}: one head per household. Change {name}'s relation "
                    "to head first."),
    "register_code": ("{field}“{value}”不是国家标准中的代码或名称，请填代码或名称，如 {example}。",
                      "{field} '{value}' is no code or name of the national standard: give one, e.g. {example}."),
    "not_text": ("{field}应为文字，收到的是 {kind}。", "{field} must be text, not {kind}."),
    "nul_char": ("{field}含有不可见的空字符（NUL），请删除后重新输入。",
                 "{field} contains an invisible NUL character: delete it and type the value again."),
    "list_too_long": ("{field}最多 {max} 项，现有 {length} 项。", "{field} holds at most {max} items, not {length}."),
    "list_items": ("{field}的每一项应为不超过 {max} 个字符的文字。",
                   "Each item of {field} must be text of at most {max} characters."),
    "unknown_type": ("不认识的记录类型“{value}”，可选：{choices}。",
                     "Unknown record type '{value}'; choose one of: {choices}."),
    "bad_id": ("编号“{value}”不是有效的 UUID。", "Id '{value}' is not a valid UUID."),
    "deleted": ("{type}记录 {id} 已删除，不能修改。", "The {type} record {id} is deleted and cannot be changed."),
    "not_found": ("找不到{type}记录 {id}。", "No {type} record {id}."),
    "bad_json": ("JSON 格式有误：{detail}", "Malformed JSON: {detail}"),
    "geometry_json": ("{field}不是 JSON。", "{field} is not JSON."),
    "geometry_shape": ("{field}应为 GeoJSON 的 Polygon 或 MultiPolygon（经纬度），每个环至少 4 个点。",
                       "{field} must be a GeoJSON Polygon or MultiPolygon (longitude, latitude), rings of 4 points "
                       "or more."),
    "geometry_size": ("{field}的点太多：最多 {max} 个。", "{field} has too many points: at most {max}."),
    "assessment_period": ("{field}应如 2026、2026-H1、2026-Q1 或 2026-03。",
                          "{field} looks like 2026, 2026-H1, 2026-Q1 or 2026-03."),
    "task_deadline": ("一次性事项须填写{field}。", "A one-off item needs its {field}."),
    "task_period": ("{field}应如 2026-03-10、2026-W11、2026-03、2026-Q1、2026 或 once。",
                    "{field} looks like 2026-03-10, 2026-W11, 2026-03, 2026-Q1, 2026 or once."),
    "end_before_start": ("{field}不能早于开始时间。", "{field} cannot be before the start."),
    "source_pair": ("{field}缺失：来源类型和来源记录须同时填写。",
                    "{field} is missing: a source type and a source record go together."),
    "sensitive_refused": ("乡镇未授权本账号查看严重精神障碍患者、刑满释放人员、吸毒人员等敏感标签，不能导出这些标签。",
                          "The township does not let this account see the sensitive key groups (severe mental "
                          "disorder, released from prison, drug users): they cannot be exported."),
    "storage_full": ("磁盘已满，记录未保存（表单内容仍在）。请清理磁盘空间后重试。",
                     "The disk is full; nothing was saved (the form keeps what you typed). "
                     "Free some space and try again."),
}

VALUE_LABELS = {
    "city": ("市", "city"), "county": ("县/区", "county"), "township": ("乡镇/街道", "township"),
    "village": ("村/社区", "village"), "grid": ("网格", "grid"),
    "male": ("男", "male"), "female": ("女", "female"),
    "registered": ("户籍人口", "registered"), "floating": ("流动人口", "floating"), "left": ("外出人口", "left"),
    "residential": ("住宅", "residential"), "commercial": ("商业", "commercial"), "mixed": ("商住混合", "mixed"),
    "public": ("公共", "public"), "vacant": ("空置", "vacant"),
    "elderly_alone": ("独居老人", "elderly living alone"), "disabled": ("残疾人", "disabled"),
    "left_behind_child": ("留守儿童", "left-behind child"), "low_income": ("低保", "low-income"),
    "community_correction": ("社区矫正", "community correction"), "veteran": ("退役军人", "veteran"),
    "key_youth": ("重点青少年", "key youth"),
    "severe_mental_illness": ("严重精神障碍患者", "severe mental disorder"),
    "released_prisoner": ("刑满释放人员", "released from prison"), "drug_user": ("吸毒人员", "drug user"),
    "protected": ("重点关注（受保护）", "protected key group"),
    "home": ("入户", "home visit"), "phone": ("电话", "phone call"), "video": ("视频", "video call"),
    "visit": ("重点人群走访", "key-group visit"), "patrol": ("巡查", "patrol"),
    "defence_activity": ("十户联防警情", "ten-household alert"),
    "overdue": ("已超期", "overdue"), "due": ("将到期", "due soon"),
    "worker": ("网格员", "grid worker"),
    "once": ("一次性", "once"), "daily": ("每日", "daily"), "weekly": ("每周", "weekly"),
    "monthly": ("每月", "monthly"), "quarterly": ("每季度", "quarterly"), "yearly": ("每年", "yearly"),
    "open": ("待完成", "to do"), "done": ("已完成", "done"),
    "watch": ("巡防值守", "watch"), "drill": ("应急演练", "drill"), "alert": ("警情", "alert"),
    "theft": ("盗窃", "theft"), "fire": ("火情", "fire"), "flood": ("汛情", "flood"),
    "suspicious": ("可疑人员", "suspicious person"),
    "excellent": ("优秀", "excellent"), "good": ("良好", "good"), "competent": ("称职", "competent"),
    "not_competent": ("不称职", "not competent"),
    "address_pending": ("地址待补充", "address to be completed"),
    "dispute": ("矛盾纠纷", "dispute"), "safety_hazard": ("安全隐患", "safety hazard"),
    "public_security": ("治安", "public security"), "livelihood": ("便民服务", "livelihood request"),
    "environment": ("环境卫生", "environment"), "special_population": ("特殊人群", "special population"),
    "other": ("其他", "other"),
    "reported": ("已上报", "reported"), "registered_case": ("已登记", "registered"),
    "assessed": ("已研判", "assessed"), "dispatched": ("已分办", "dispatched"), "verified": ("已核实", "verified"),
    "handling": ("调处中", "handling"), "feedback": ("已反馈", "feedback"), "closed": ("已销号", "closed"),
    "escalated": ("已上报上级", "escalated"), "returned": ("已退回", "returned"),
}

TYPE_LABELS = {
    "grid": ("网格", "grid"), "household": ("户", "household"), "person": ("人口", "resident"),
    "building": ("房屋", "building"), "organisation": ("单位", "organisation"),
    "incident": ("事件", "incident"), "patrol": ("巡查", "patrol"),
    "incident_event": ("事件办理环节", "incident step"), "setting": ("乡镇站设置", "station setting"),
    "photo": ("现场照片", "photo"), "visit": ("走访", "visit"),
    "task_item": ("网格事务", "task item"), "task_done": ("事务完成记录", "task done"),
    "defence_group": ("十户联防组", "ten-household group"), "defence_activity": ("联防记录", "group activity"),
    "assessment": ("考核结果", "assessment"), "grid_boundary": ("网格边界", "grid boundary"),
}

# Values whose label depends on the field: "registered" is 户籍人口 as a residence but
# 已登记 as a case's status. value_label(value, field=..., record_type=...) looks here first.
CONTEXT_VALUE_LABELS: dict[tuple[str | None, str], dict[str, tuple[str, str]]] = {
    **{("person", field): dict(table) for field, table in registers.TABLES.items()},
    ("incident", "status"): {
        "reported": ("已上报", "reported"), "registered": ("已登记", "registered"),
        "assessed": ("已研判", "assessed"), "dispatched": ("已分办", "dispatched"),
        "verified": ("已核实", "verified"), "handling": ("调处中", "handling"),
        "feedback": ("已反馈", "feedback given"), "closed": ("已销号", "closed"),
        "escalated": ("已上报上级", "escalated"), "returned": ("已退回", "returned"),
    },
    ("incident_event", "step"): {
        "report": ("采集上报", "report"), "classify": ("分类", "classify"), "register": ("登记", "register"),
        "assess": ("研判", "assess"), "dispatch": ("分办/交办", "dispatch"), "verify": ("核实", "verify"),
        "handle": ("调处", "handle / mediate"), "feedback": ("反馈", "feedback"), "close": ("销号", "close"),
        "escalate": ("上报上级", "escalate"), "return": ("退回", "return with instruction"),
        "reopen": ("重新办理", "reopen"), "supervise": ("督办", "supervise"),
    },
    ("incident_event", "outcome"): {"success": ("调解成功", "successful"), "failure": ("调解未成功", "failed")},
    ("warning", "colour"): {
        "yellow": ("黄灯", "yellow"), "light_red": ("浅红灯", "light red"), "purple": ("紫灯", "purple"),
        "red": ("红灯", "red"), "blue": ("蓝灯", "blue"),
    },
}

_language = os.environ.get("GRIDBOOK_LANG", DEFAULT_LANGUAGE)


def register(catalogue: dict[str, tuple[str, str]]) -> None:
    """Add a module's own messages (code -> (zh_CN, en)); a code may be defined once."""
    clash = set(catalogue) & set(MESSAGES)
    if clash:
        raise ValueError(f"message codes defined twice: {sorted(clash)}")
    MESSAGES.update(catalogue)


def set_language(language: str) -> None:
    global _language
    _language = "en" if language.lower().startswith("en") else "zh_CN"


def language() -> str:
    return _language


def _pick(pair: tuple[str, str], lang: str | None) -> str:
    return pair[1] if (lang or _language) == "en" else pair[0]


def field_label(name: str, lang: str | None = None) -> str:
    return _pick(FIELD_LABELS.get(name, (name, name)), lang)


def type_label(name: str, lang: str | None = None) -> str:
    return _pick(TYPE_LABELS.get(name, (name, name)), lang)


def value_label(value: str, lang: str | None = None, field: str | None = None,
                record_type: str | None = None) -> str:
    """The label of a stored value; with its field (and record type) the ambiguous ones resolve."""
    if field is not None:
        for context in ((record_type, field), *((rt, f) for rt, f in CONTEXT_VALUE_LABELS if f == field
                                                 and record_type is None)):
            pair = CONTEXT_VALUE_LABELS.get(context, {}).get(value)
            if pair:
                return _pick(pair, lang)
    return _pick(VALUE_LABELS.get(value, (value, value)), lang)


def render(code: str, lang: str | None = None, **params) -> str:
    """The message for `code`; a `field` parameter is shown by its label."""
    if "field" in params:
        params = {**params, "field": field_label(params["field"], lang)}
    if isinstance(params.get("expected"), str):      # a stored value ("female") is shown by its label
        params = {**params, "expected": value_label(params["expected"], lang)}
    return _pick(MESSAGES[code], lang).format(**params)
