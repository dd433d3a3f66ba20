"""Fast paths give exactly what the plain ones give: clean_record (values, errors, messages), pinyin terms."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync import records
from sync import validation as v
from tests.support import validation_reference as reference

GRIDS = {"420704100201-03", "420704100201"}
SAMPLES = ["", " ", "  张三 ", "１３８００１３８０００", "138 0013 8000", "0710-1234567", "11010519491231002X",
           "１１０１０５１９４９１２３１００２ｘ", "110105491231002", "110105194913310021", "2024-02-30",
           "1990-01-01", "2999-01-01", "2024-05-01T08:30:00", "420704100201-03", "420704100201", "ａｂｃ",
           " 420704100201-03 ", "\t420704100201 ", "male", "female", "registered", "x" * 60, "\u3000全角\u3000",
           "+86 138 0013 8000", "0086-13800138000", "138-0013-8000", "(0710)345 6789", "+86 10 8888 6666",
           "0710-1234567-801", "0710-1234567转801", "12345678901", "14912345678", "17401234567", "8613800138000",
           "000105194912310021", "810000199001011236", "110105491331002", "110105191231002"]
TAGS = st.lists(st.sampled_from(["address_pending", "低保户", " x "]), max_size=3)
TEXT = st.one_of(
    st.text(max_size=30), st.sampled_from(SAMPLES),
    st.integers(min_value=-5, max_value=300), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.none(), st.lists(st.text(max_size=5), max_size=3), TAGS)


def outcome(clean, record_type: str, values: dict):
    try:
        return "ok", clean(record_type, dict(values), GRIDS.__contains__)
    except v.ValidationError as exc:
        return "refused", [(e.field, e.code, e.params, e.message("zh_CN"), e.message("en")) for e in exc.errors]


@st.composite
def records_of_any_type(draw):
    record_type = draw(st.sampled_from(sorted(records.RECORD_TYPES)))
    fields = records.fields_of(record_type)
    values = draw(st.dictionaries(st.sampled_from(fields), TEXT, max_size=len(fields)))
    if draw(st.booleans()):
        values["not_a_field"] = "x"
    return record_type, values


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records_of_any_type())
def test_fast_clean_record_matches_the_plain_one(case):
    record_type, values = case
    assert outcome(v.clean_record, record_type, values) == outcome(reference.clean_record, record_type, values)


def test_matches_on_whole_valid_records_of_every_kind():
    person = {"id": "0190f0e0-0000-7000-8000-000000000001", "name": " 李四 ",
              "id_number": "11010519491231002x", "phone": "138 0013 8000", "tags": [" low_income ", ""],
              "household_id": None}
    household = {"id": "0190f0e0-0000-7000-8000-000000000002", "grid_code": "４２０７０４１００２０１-０３",
                 "address": "幸福村3组12号", "head_name": "张三",
                 "head_id_number": "１１０１０５１９４９１２３１００２Ｘ"}
    for record_type, values in (("person", person), ("household", household)):
        assert outcome(v.clean_record, record_type, values) == outcome(reference.clean_record, record_type, values)
        assert outcome(v.clean_record, record_type, values)[0] == "ok"


def test_matches_on_households_waiting_for_their_address():
    for address in (None, "", " ", "幸福村3组"):
        for tags in ([], ["address_pending"], ["低保户", "address_pending"], "address_pending"):
            household = {"id": "0190f0e0-0000-7000-8000-000000000002", "grid_code": "420704100201-03",
                         "head_name": "张三", "address": address, "tags": tags, "phone": "+86 710 3456789"}
            assert outcome(v.clean_record, "household", household) == \
                outcome(reference.clean_record, "household", household)


def test_id_helpers_match_the_plain_ones():
    for number in ("11010519491231002X", "420704199002301234", "420704188001011234", "42070499990101123X",
                   "4207041990010", "420704" + dt.date.today().strftime("%Y%m%d") + "1234"):
        assert v.id_birth_date(number) == reference.id_birth_date(number)
        if len(number) >= 17:        # its contract: 17 ASCII digits
            assert v.id_check_char(number[:17]) == reference.id_check_char(number[:17])


def test_pinyin_terms_read_by_character_match_pypinyin_on_whole_names():
    from pypinyin import Style, lazy_pinyin

    from desktop.store.search import _pinyin

    for name in ("张三", "曾国藩", "单田芳", "吕布", "解放", "长江", "朴树", "仇英", "乐嘉", "区伟", "翟天临",
                 "A张三", "张3", "行长", "王小明", "李长乐", "陈重阳", "欧阳娜娜", "司马光", "了了"):
        whole = "".join(lazy_pinyin(name, errors="ignore"))
        initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore"))
        assert _pinyin(name) == f"{whole} {initials}"
