"""Phones as people write them, the mobile ranges that exist, ID numbers' province and county digits."""
import pytest

from sync import divisions
from sync import validation as v
from sync.ids import new_id
from tests.import_samples import id_number


@pytest.mark.parametrize("written, stored", [
    ("+86 138 0013 8000", "13800138000"), ("0086-13800138000", "13800138000"), ("138-0013-8000", "13800138000"),
    ("8613800138000", "13800138000"), ("１３８ ００１３ ８０００", "13800138000"), ("(0710)3456789", "0710-3456789"),
    ("0710 345 6789", "0710-3456789"), ("07103456789", "0710-3456789"), ("+86 710 3456789", "0710-3456789"),
    ("010-8888 6666", "010-88886666"), ("+86 10 8888 6666", "010-88886666"), ("0710-3456789-801", "0710-3456789-801"),
    ("0710-3456789转801", "0710-3456789-801"), ("（0755）12345678", "0755-12345678"),
])
def test_a_phone_is_stored_one_way(written, stored):
    assert v.clean_record("person", {"id": new_id(), "name": "王五", "phone": written})["phone"] == stored


@pytest.mark.parametrize("written", ["12345678901", "11012345678", "15412345678", "19412345678", "17412345678",
                                     "3456789", "0710-123", "+1 202 555 0100", "1380013800", "138001380000"])
def test_what_is_no_phone_is_refused(written):
    with pytest.raises(v.ValidationError) as caught:
        v.clean_record("person", {"id": new_id(), "name": "王五", "phone": written})
    assert caught.value.fields() == ["phone"]


def test_mobile_ranges_agree_with_libphonenumber():
    """Every three-digit prefix, and the satellite and 1610 blocks: a mobile for us exactly when it is
    one for libphonenumber, but 149 (China Telecom's, in use since 2017, missing from its data)."""
    phonenumbers = pytest.importorskip("phonenumbers")
    numbers = [f"{p}{s:08d}" for p in range(100, 200) for s in (0, 13_800_000, 99_999_999)]
    numbers += [f"1740{d}{s:06d}" for d in range(10) for s in (0, 123_456)]
    numbers += [f"1610{s:07d}" for s in (0, 1_234_567)] + [f"1611{s:07d}" for s in (0, 1_234_567)]
    for number in numbers:
        theirs = phonenumbers.number_type(phonenumbers.parse("+86" + number)) in (
            phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
        ours = bool(v.MOBILE_RE.match(number))
        assert ours == (theirs or number.startswith("149")), number


def test_the_province_digits_must_be_a_province():
    assert v.is_valid_id_number(id_number("19800101", 11, "420704"))
    for area in ("000105", "990105", "720000", "190101"):
        errors = v.id_number_errors("id_number", id_number("19800101", 11, area))
        assert [e.code for e in errors] == ["id_province"] and area[:2] in errors[0].message()
    for area in ("810000", "820000", "830000", "710000"):      # Hong Kong, Macau, Taiwan residents' permits
        assert v.is_valid_id_number(id_number("19800101", 11, area))
    assert {p[:2] for p in divisions.PROVINCES} == {str(n) for n in (
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54,
        61, 62, 63, 64, 65)}


def test_an_unknown_county_is_a_warning_not_an_error():
    old_county = id_number("19800101", 11, "420799")          # no such county today
    assert v.is_valid_id_number(old_county)
    warnings = v.id_number_warnings("id_number", old_county)
    assert [w.code for w in warnings] == ["id_county_unknown"] and "420799" in warnings[0].message()
    assert v.id_number_warnings("id_number", id_number("19800101", 11, "420704")) == []
    assert v.id_number_warnings("id_number", id_number("19800101", 11, "420700")) == []     # the city's own code


def test_a_15_digit_number_is_upgraded_only_when_the_upgrade_is_valid():
    good = v.id_number_errors("id_number", "420704800101113")
    assert [e.code for e in good] == ["id_legacy15"]
    assert v.is_valid_id_number(good[0].params["upgraded"])
    bad_date = v.id_number_errors("id_number", "420704801301113")      # month 13
    assert [e.code for e in bad_date] == ["id_legacy15_date"] and "19801301" in bad_date[0].message()
    assert "应为" not in bad_date[0].message()
    assert [e.code for e in v.id_number_errors("id_number", "990704800101113")] == ["id_province"]


def test_an_imported_resident_of_an_old_county_is_flagged_not_refused(store, tmp_path):
    from desktop.services import importing
    from tests.conftest import GRID
    from tests.import_samples import plain_workbook

    path = plain_workbook(tmp_path / "p.xlsx", ["姓名", "身份证号", "手机号", "与户主关系", "现住址"],
                          [["老王", id_number("19400101", 51, "420799"), "13800138000", "户主", "幸福村1组1号"]])
    report = importing.import_file(store, path, "person", GRID)
    assert report.imported == 1 and report.flagged == 1 and "420799" in report.flags[0]


def test_a_household_may_wait_for_its_address_only_when_marked_so():
    base = {"id": new_id(), "grid_code": "420704100201-03", "head_name": "张三"}
    with pytest.raises(v.ValidationError):
        v.clean_record("household", base)
    pending = v.clean_record("household", {**base, "tags": [v.ADDRESS_PENDING]})
    assert pending["address"] == "" and pending["tags"] == [v.ADDRESS_PENDING]
    filled = v.clean_record("household", {**base, "address": "幸福村3组12号", "tags": ["低保户", v.ADDRESS_PENDING]})
    assert filled["tags"] == ["低保户"]                # the address is in: no longer pending
