"""ID numbers, phones, grid codes and normalisation, in both languages."""
import pytest

from sync import validation as v
from sync.ids import new_id

GOOD = "11010519491231002X"


@pytest.mark.parametrize("number", [GOOD, "11010519491231002x", " 11010519491231002X ",
                                    "１１０１０５１９４９１２３１００２Ｘ",
                                    "42070419900101123" + v.id_check_char("42070419900101123")])
def test_valid_id_numbers_are_accepted_and_normalised(number):
    assert v.is_valid_id_number(number)
    assert v.normalise_id_number(number)[-1] in "0123456789X"
    assert len(v.normalise_id_number(number)) == 18


@pytest.mark.parametrize("number, code", [
    ("110105194912310021", "id_checksum"),
    ("11010519491231002", "id_length"),
    ("1101051949123100211", "id_length"),
    ("11010519491331002X", "id_birthdate"),
    ("1101051949123100AX", "id_chars"),
    ("110105491231002", "id_legacy15"),
    ("11010519491231002" + "\u0663", "id_chars"),        # an Arabic-Indic digit passes str.isdigit()
    ("\u0967\u0967" + "0105491231002", "id_length"),     # Devanagari digits are no legacy number
])
def test_bad_id_numbers_name_the_problem(number, code):
    errors = v.id_number_errors("id_number", v.normalise_id_number(number))
    assert [e.code for e in errors] == [code]


def test_legacy_number_suggests_its_18_digit_form():
    errors = v.id_number_errors("id_number", "110105491231002")
    assert errors[0].params["upgraded"] == "11010519491231002X"
    assert "11010519491231002X" in errors[0].message("zh_CN")


def test_check_digit_of_the_standard_example():
    assert v.id_check_char("11010519491231002") == "X"


def test_check_digit_tables_agree_with_the_weighted_sum():
    import random
    rng = random.Random(11643)
    for _ in range(2000):
        first17 = "".join(rng.choice("0123456789") for _ in range(17))
        total = sum(int(d) * w for d, w in zip(first17, v.ID_WEIGHTS, strict=True))
        assert v.id_check_char(first17) == v.ID_CHECK_CHARS[total % 11]


def test_birth_date_and_gender_derive_from_the_id():
    person = v.clean_record("person", {"id": new_id(), "name": "李四", "id_number": GOOD})
    assert person["birth_date"] == "1949-12-31"
    assert person["gender"] == "female"       # 17th digit 2 is even


def test_a_gender_contradicting_the_id_is_refused():
    with pytest.raises(v.ValidationError) as caught:
        v.clean_record("person", {"id": new_id(), "name": "李四", "id_number": GOOD, "gender": "male"})
    assert caught.value.fields() == ["gender"]


@pytest.mark.parametrize("phone, ok", [("13800138000", True), ("138 0013 8000", True), ("１３８００１３８０００", True),
                                       ("0710-1234567", True), ("23800138000", False), ("1380013800", False),
                                       ("abc", False)])
def test_phone_numbers(phone, ok):
    values = {"id": new_id(), "name": "王五", "phone": phone}
    if ok:
        assert v.clean_record("person", values)["phone"].replace("-", "").isdigit()
    else:
        with pytest.raises(v.ValidationError) as caught:
            v.clean_record("person", values)
        assert caught.value.fields() == ["phone"]


def test_required_fields_and_whitespace_are_reported_together():
    with pytest.raises(v.ValidationError) as caught:
        v.clean_record("household", {"id": new_id(), "grid_code": " ", "address": "  ", "head_name": "张三"})
    assert sorted(caught.value.fields()) == ["address", "grid_code"]
    assert "不能为空" in caught.value.message("zh_CN")
    assert "is required" in caught.value.message("en")


def test_text_is_trimmed_and_lengths_checked():
    cleaned = v.clean_record("organisation", {"id": new_id(), "grid_code": "420704100201-03", "name": "  幸福超市 "})
    assert cleaned["name"] == "幸福超市"
    with pytest.raises(v.ValidationError) as caught:
        v.clean_record("organisation", {"id": new_id(), "grid_code": "420704100201-03", "name": "超" * 101})
    assert caught.value.errors[0].code == "too_long"


@pytest.mark.parametrize("code, level, parent, ok", [
    ("420704100201-03", "grid", "420704100201", True),
    ("420704100201", "village", "420704100", True),
    ("420704", "county", "420700", True),
    ("4207041002-03", "grid", None, False),
    ("420704100202-03", "grid", "420704100201", False),
])
def test_grid_codes_follow_the_administrative_codes(code, level, parent, ok):
    values = {"code": code, "name": "单元", "level": level, "parent_code": parent}
    if ok:
        assert v.clean_record("grid", values)["code"] == code
    else:
        with pytest.raises(v.ValidationError):
            v.clean_record("grid", values)


def test_a_grid_that_does_not_exist_is_refused():
    with pytest.raises(v.ValidationError) as caught:
        v.clean_record("household", {"id": new_id(), "grid_code": "420704100201-09", "address": "x",
                                     "head_name": "张三"}, grid_exists=lambda code: False)
    assert caught.value.errors[0].code == "grid_missing"


def test_choices_and_unknown_fields():
    with pytest.raises(v.ValidationError) as caught:
        v.clean_record("person", {"id": new_id(), "name": "赵六", "residence": "abroad", "colour": "red"})
    assert sorted(e.code for e in caught.value.errors) == ["choice", "unknown_field"]
