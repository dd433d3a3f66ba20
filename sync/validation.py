"""Validation and normalisation of records, one module for client and station.

`clean_record` trims text, folds full-width digits and letters, checks required
fields, lengths, choices, ID numbers (GB 11643, ISO 7064 MOD 11-2), phones and grid
codes, and derives a resident's birth date and gender from the ID number. It
raises `ValidationError` carrying every problem at once, each naming its field.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import divisions, geo, messages, records, registers

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
# an assessment's period: a year, a half, a quarter, a month
ASSESSMENT_PERIOD_RE = re.compile(r"^\d{4}(?:-H[12]|-Q[1-4]|-(?:0[1-9]|1[0-2]))?$")
# a task's period: once, a day, an ISO week, a month, a quarter, a year
TASK_PERIOD_RE = re.compile(r"^(?:once|\d{4}-\d{2}-\d{2}|\d{4}-W\d{2}|\d{4}-\d{2}|\d{4}-Q[1-4]|\d{4})$")
# The mobile ranges that exist (libphonenumber's, plus 149): 13x, 145/147/149, 15x but 154, 162/165/166/167,
# 170-178 but 174 (its satellite 1740x only), 18x, 19x but 194; 1610x. 12345678901 is no one's phone.
MOBILE_RE = re.compile(r"^1(?:3\d|4[579]|5[0-35-9]|6[25-7]|7[0-35-8]|8\d|9[0-35-9])\d{8}$|^1(?:610\d|740[0-5])\d{6}$")
# A landline as stored: area code (010, 02x, or 0 and three digits), a 7-8 digit number, an optional extension.
LANDLINE_RE = re.compile(r"^0(?:10|2\d|[3-9]\d\d)-\d{7,8}(?:-\d{1,6})?$")
PHONE_SEPARATORS_RE = re.compile(r"[\s\-‐‑–—.·()（）]+")
PHONE_EXTENSION_RE = re.compile(r"(?<=\d)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})$", re.IGNORECASE)
# A household whose address is not known yet (imported from a register without one) carries
# this tag instead: the address may then stay empty until a worker fills it in.
ADDRESS_PENDING = "address_pending"
GRID_CODE_PATTERNS = {
    "city": (re.compile(r"^\d{4}(00)?$"), "4201 / 420100"),
    "county": (re.compile(r"^\d{6}$"), "420704"),
    "township": (re.compile(r"^\d{9}$"), "420704100"),
    "village": (re.compile(r"^\d{12}$"), "420704100201"),
    "grid": (re.compile(r"^\d{12}-\d{2,3}$"), "420704100201-03"),
}
REQUIRED = {
    "grid": ("code", "name", "level"),
    "household": ("id", "grid_code", "address", "head_name"),
    "person": ("id", "name"),
    "building": ("id", "grid_code", "address"),
    "organisation": ("id", "grid_code", "name"),
    "incident": ("id", "grid_code", "category", "title", "reported_at"),
    "patrol": ("id", "grid_code", "worker", "started_at"),
    "incident_event": ("id", "incident_id", "grid_code", "step", "actor", "actor_level", "at"),
    "setting": ("id", "name", "value"),
    "photo": ("id", "incident_id", "grid_code", "sha256", "size"),
    "visit": ("id", "grid_code", "person_id", "household_id", "visitor", "visited_at", "method"),
    "task_item": ("id", "grid_code", "title", "owner_role", "frequency"),
    "task_done": ("id", "task_id", "grid_code", "period", "done_by", "done_at"),
    "defence_group": ("id", "grid_code", "name", "leader_name"),
    "defence_activity": ("id", "group_id", "grid_code", "activity", "at", "recorded_by"),
    "assessment": ("id", "worker", "grid_code", "period", "grade", "reason", "graded_by", "graded_at"),
    "grid_boundary": ("id", "grid_code", "geometry"),
}
CHOICES = {
    ("grid", "level"): records.GRID_LEVELS,
    ("person", "gender"): records.GENDERS,
    ("person", "residence"): records.RESIDENCES,
    ("building", "use"): records.BUILDING_USES,
    ("incident", "category"): records.INCIDENT_CATEGORIES,
    ("incident", "status"): records.INCIDENT_STATUSES,
    ("incident", "level"): records.INCIDENT_LEVELS,
    ("incident_event", "step"): records.INCIDENT_STEPS,
    ("incident_event", "actor_level"): records.INCIDENT_LEVELS,
    ("incident_event", "target_level"): records.INCIDENT_LEVELS,
    ("incident_event", "category"): records.INCIDENT_CATEGORIES,
    ("incident_event", "outcome"): records.MEDIATION_OUTCOMES,
    ("incident", "source_type"): records.CASE_SOURCES,
    ("visit", "method"): records.VISIT_METHODS,
    ("task_item", "owner_role"): records.TASK_OWNERS,
    ("task_item", "frequency"): records.TASK_FREQUENCIES,
    ("defence_activity", "activity"): records.DEFENCE_KINDS,
    ("defence_activity", "alert_type"): records.ALERT_TYPES,
    ("assessment", "grade"): records.GRADES,
}
ID_FIELDS = ("id_number", "head_id_number")
DIGIT_FIELDS = (*ID_FIELDS, "phone", "code", "grid_code", "parent_code")
DATE_FIELDS = ("birth_date",)
ANY_DATE_FIELDS = ("starts_on",)          # a date that may lie ahead
DATETIME_FIELDS = ("reported_at", "deadline", "started_at", "ended_at", "at", "taken_at", "visited_at", "done_at",
                   "graded_at")
NUMBER_RANGES = {"floors": (0, 200, int), "score": (0.0, 100.0, float), "size": (1, 50_000_000, int),
                 "photo_size": (1, 50_000_000, int),
                 "latitude": (-90.0, 90.0, float), "longitude": (-180.0, 180.0, float)}
SHA256_FIELDS = ("sha256", "photo_sha256")
LIST_FIELDS = ("tags", "prior", "household_ids")
# A list field holds plain strings only: at most this many, each at most this long (a tag is a
# key group's name; `prior` lists the ids of a case's earlier steps).
LIST_LIMITS = {"tags": (30, 40), "prior": (2000, 40), "household_ids": (30, 36)}   # a group: about ten
TEXT_LIMIT = 20_000          # a text column without a length of its own (notes, descriptions)


@dataclass
class FieldError:
    field: str
    code: str
    params: dict = dataclasses.field(default_factory=dict)   # `field` is the attribute above

    def message(self, lang: str | None = None) -> str:
        return messages.render(self.code, lang, field=self.field, **self.params)

    def to_dict(self, lang: str | None = None) -> dict:
        return {"field": self.field, "code": self.code, "message": self.message(lang)}


class ValidationError(ValueError):
    """One or more fields are wrong; nothing was written."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__(self.message())

    def message(self, lang: str | None = None) -> str:
        separator = " " if (lang or messages.language()) == "en" else ""
        return separator.join(e.message(lang) for e in self.errors)

    def fields(self) -> list[str]:
        return [e.field for e in self.errors]


def fold_width(text: str) -> str:
    """Full-width digits, letters and spaces to ASCII (NFKC), then trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def _weighted_sums(start: int, width: int) -> dict[str, int]:
    """Every `width`-digit string at `start` of the first 17 digits -> its weighted sum, mod 11."""
    weights = ID_WEIGHTS[start:start + width]
    return {f"{n:0{width}d}": sum(int(d) * w for d, w in zip(f"{n:0{width}d}", weights, strict=True)) % 11
            for n in range(10 ** width)}


# Six table lookups instead of seventeen int() calls: the check digit is computed for every
# resident validated (a push batch is mostly residents; the station checks each).
_CHUNK_SUMS = tuple((start, start + width, _weighted_sums(start, width))
                    for start, width in ((0, 3), (3, 3), (6, 3), (9, 3), (12, 3), (15, 2)))


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of 17 ASCII digits."""
    (a0, a1, ta), (b0, b1, tb), (c0, c1, tc), (d0, d1, td), (e0, e1, te), (f0, f1, tf) = _CHUNK_SUMS
    total = (ta[first17[a0:a1]] + tb[first17[b0:b1]] + tc[first17[c0:c1]] + td[first17[d0:d1]]
             + te[first17[e0:e1]] + tf[first17[f0:f1]])
    return ID_CHECK_CHARS[total % 11]


def upgrade_legacy_id(number15: str) -> str:
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + id_check_char(first17)


def id_number_errors(name: str, value: str) -> list[FieldError]:
    """Problems with an 18-character ID number (already folded and upper-cased)."""
    if len(value) == 15 and value.isascii() and value.isdigit():
        if not divisions.province_exists(value):
            return [FieldError(name, "id_province", {"province": value[:2]})]
        upgraded = upgrade_legacy_id(value)
        if id_birth_date(upgraded) is None:      # no 18-digit number to suggest: it would be refused too
            return [FieldError(name, "id_legacy15_date", {"date": upgraded[6:14]})]
        return [FieldError(name, "id_legacy15", {"upgraded": upgraded})]
    if len(value) != 18:
        return [FieldError(name, "id_length", {"length": len(value)})]
    # isascii: other scripts' digits (٣, ३) pass isdigit() but are never part of an ID number
    if not (value.isascii() and value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        return [FieldError(name, "id_chars")]
    if not divisions.province_exists(value):
        return [FieldError(name, "id_province", {"province": value[:2]})]
    if id_birth_date(value) is None:
        return [FieldError(name, "id_birthdate", {"date": value[6:14]})]
    expected = id_check_char(value[:17])
    if value[17] != expected:
        return [FieldError(name, "id_checksum", {"expected": expected})]
    return []


def id_number_warnings(name: str, value: str) -> list[FieldError]:
    """What is worth a look in a valid ID number, but no reason to refuse it: a county code not
    in today's list (a number keeps the code of its county of issue after the county is renamed)."""
    if len(value) == 18 and not divisions.county_known(value):
        return [FieldError(name, "id_county_unknown", {"county": value[:6]})]
    return []


def normalise_id_number(value: str) -> str:
    text = value if value.isascii() else unicodedata.normalize("NFKC", value)   # NFKC leaves ASCII alone
    return text.strip().replace(" ", "").upper()


_TODAY: list = [0.0, None, ""]       # [local midnight ending it (epoch seconds), today's date, as YYYYMMDD]


def _today() -> dt.date:
    """dt.date.today(), read again only after midnight (it is asked for several times per record)."""
    if time.time() >= _TODAY[0]:
        today = dt.date.today()
        _TODAY[:] = [dt.datetime.combine(today + dt.timedelta(days=1), dt.time()).timestamp(), today,
                     today.strftime("%Y%m%d")]
    return _TODAY[1]


def id_birth_date(number: str) -> str | None:
    _today()
    return _birth_date(number[6:14], _TODAY[2])


@functools.lru_cache(maxsize=1 << 16)
def _birth_date(digits: str, today: str) -> str | None:
    """YYYYMMDD as an ISO date if it is a real date from 1880 to today (YYYYMMDD too: eight digits
    compare as the dates do); cached, dates repeat."""
    if not ("18800101" <= digits <= today and digits.isascii() and digits.isdigit()):
        return None
    try:
        dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
    return f"{digits[0:4]}-{digits[4:6]}-{digits[6:8]}"


def id_gender(number: str) -> str:
    """The 17th digit: odd for men, even for women."""
    return "male" if int(number[16]) % 2 else "female"


def is_valid_id_number(value: str) -> bool:
    return not id_number_errors("id_number", normalise_id_number(value))


def _fold(text: str) -> str:
    # NFKC leaves ASCII as it is: skip the normaliser for the common case
    return text.strip() if text.isascii() else fold_width(text)


def normalise_phone(value: str) -> str:
    """A phone as people write it, stored one way: +86 138 0013 8000, 0086-13800138000 and
    138-0013-8000 are 13800138000; (0710)123 4567 and +86 710 1234567 are 0710-1234567.
    What cannot be read as either is returned without its spaces, for the check to refuse."""
    text = _fold(value)
    if len(text) == 11 and text[0] == "1" and text.isdigit():
        return text                                   # the usual case, a mobile as typed
    extension = None
    match = PHONE_EXTENSION_RE.search(text)
    if match:
        extension, text = match.group(1), text[:match.start()]
    groups = [g for g in PHONE_SEPARATORS_RE.split(text) if g]
    compact = "".join(groups)
    abroad = compact.startswith(("+86", "0086"))
    national = compact[3:] if compact.startswith("+86") else compact[4:] if abroad else compact
    if len(national) == 13 and national.startswith("861"):
        national = national[2:]
    if not national.isdigit():
        return text.replace(" ", "")
    if len(national) == 11 and national[0] == "1" and extension is None:
        return national
    if abroad and national[0] != "0":
        national = "0" + national                      # +86 710 …: the trunk 0 comes back
    if national[0] != "0" or len(national) < 3:
        return compact
    area_length = 3 if national[1] in "12" else 4
    area, number = national[:area_length], national[area_length:]
    last = groups[-1]
    if extension is None and len(groups) >= 3 and len(last) <= 6 and 7 <= len(number) - len(last) <= 8:
        extension, number = last, number[:-len(last)]  # 0710-1234567-801
    if not 7 <= len(number) <= 8:
        return compact
    return f"{area}-{number}" + (f"-{extension}" if extension else "")


def register_code(name: str, text: str) -> str:
    """A register field's code for a code or a name (汉族, 汉 -> 01); anything else as it was, to be refused."""
    folded = _fold(text)
    return registers.code_of(name, folded) or folded


def _folder(name: str) -> Callable[[str], str]:
    """The normaliser of one text field: trims, and folds full-width digit fields."""
    if name in ID_FIELDS:
        return normalise_id_number
    if name in registers.TABLES:
        return functools.partial(register_code, name)
    if name == "phone":
        return normalise_phone
    return _fold if name in DIGIT_FIELDS else str.strip


def _check_grid_code(record_type: str, values: dict, errors: list[FieldError]) -> None:
    if record_type != "grid" or not values.get("code") or values.get("level") not in GRID_CODE_PATTERNS:
        return
    pattern, example = GRID_CODE_PATTERNS[values["level"]]
    code = values["code"]
    if not pattern.match(code):
        errors.append(FieldError("code", "grid_code_format", {
            "value": code, "level": messages.value_label(values["level"]), "pattern": example}))
    parent = values.get("parent_code")
    if parent and not code.startswith(parent.rstrip("0")[:4] if values["level"] == "county" else parent):
        errors.append(FieldError("code", "grid_parent", {"value": code, "parent": parent}))


def _moment(value) -> dt.datetime | None:
    """An ISO time as an aware datetime (naive means China time), None if it is not one."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=8)))


def record_rules(record_type: str, values: dict, errors: list[FieldError]) -> None:
    """Checks across the fields of one record: a case's source is a type and an id together; a
    patrol ends after it starts."""
    if record_type == "incident" and bool(values.get("source_type")) != bool(values.get("source_id")):
        errors.append(FieldError("source_id" if values.get("source_type") else "source_type", "source_pair"))
    elif record_type == "visit" and bool(values.get("photo_sha256")) != bool(values.get("photo_size")):
        errors.append(FieldError("photo_size" if values.get("photo_sha256") else "photo_sha256", "required"))
    elif record_type == "patrol" and values.get("ended_at") and isinstance(values["ended_at"], str):
        start, end = _moment(values.get("started_at")), _moment(values["ended_at"])
        if start is not None and end is not None and end < start:
            errors.append(FieldError("ended_at", "end_before_start"))
    elif record_type == "defence_activity" and values.get("activity") == "alert" and not values.get("alert_type"):
        errors.append(FieldError("alert_type", "required"))
    elif record_type == "grid_boundary" and isinstance(values.get("geometry"), str):
        problem = geo.geometry_problem(values["geometry"])
        if problem:
            errors.append(FieldError("geometry", problem, {"max": geo.MAX_POINTS}))
    elif record_type == "assessment" and isinstance(values.get("period"), str) and \
            not ASSESSMENT_PERIOD_RE.match(values["period"]):
        errors.append(FieldError("period", "assessment_period"))
    elif record_type == "task_item" and values.get("frequency") == "once" and not values.get("deadline"):
        errors.append(FieldError("deadline", "task_deadline"))
    elif record_type == "task_done" and isinstance(values.get("period"), str) and \
            not TASK_PERIOD_RE.match(values["period"]):
        errors.append(FieldError("period", "task_period"))


@functools.cache
def _max_length(record_type: str, name: str) -> int | None:
    return getattr(records.record_table(record_type).columns[name].type, "length", None)


@functools.cache
def _default(record_type: str, name: str) -> str | None:
    default = records.RECORD_TYPES[record_type].model_fields[name].default
    return default if isinstance(default, str) else None


def as_text(name: str, value: Any, errors: list[FieldError]) -> Any:
    """A text field's value as a string: numbers are written out; anything else (an object, a
    list, a boolean) is refused, as is a NUL character (PostgreSQL cannot store one)."""
    if value.__class__ is not str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(FieldError(name, "not_text", {"kind": type(value).__name__}))
            return None           # refused: later checks see no value rather than a wrong kind
        value = str(value)
    if "\x00" in value:
        errors.append(FieldError(name, "nul_char"))
    return value


def _check_list(name: str):
    most, longest = LIST_LIMITS.get(name, (100, 100))

    def check(value, errors):
        if not isinstance(value, list):
            errors.append(FieldError(name, "not_a_list"))
            return []
        if len(value) > most:
            errors.append(FieldError(name, "list_too_long", {"max": most, "length": len(value)}))
            return []
        items = []
        for item in value:
            found: list[FieldError] = []
            text = as_text(name, item, found)
            if found or len(text) > longest:
                errors.append(FieldError(name, "list_items", {"max": longest}))
                return []
            text = text.strip()
            if text:
                items.append(text)
        return items
    return check


def _check_number(name: str):
    low, high, kind = NUMBER_RANGES[name]

    def check(value, errors):
        try:
            number = kind(value)
            if not low <= number <= high or (kind is int and float(value) != number):
                raise ValueError
        except (TypeError, ValueError):
            errors.append(FieldError(name, "number", {"low": low, "high": high}))
            return value
        return number
    return check


def _check_phone(name: str, value: str, errors: list[FieldError]) -> None:
    if not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
        shaped = len(value) == 11 and value[0] == "1" and value.isascii() and value.isdigit()
        errors.append(FieldError(name, "phone_range", {"prefix": value[:3]}) if shaped else FieldError(name, "phone"))


def _check_any_date(name: str, value: str, errors: list[FieldError]) -> None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(name, "date"))


def _check_date(name: str, value: str, errors: list[FieldError]) -> None:
    try:
        if dt.date.fromisoformat(value) > _today():
            errors.append(FieldError(name, "future_date"))
    except ValueError:
        errors.append(FieldError(name, "date"))


def _check_datetime(name: str, value: str, errors: list[FieldError]) -> str | None:
    """A time in any ISO 8601 form Python reads; kept as written if it is the extended form
    (2026-10-01T09:00...), else written out in it (20261001T0900, 2026-W40-4): times are compared
    as text by the station's period queries, and only the extended form sorts as time does."""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(name, "datetime"))
        return None
    if value[4:5] == "-" and value[7:8] == "-" and value[:4].isdigit() and value[5:7].isdigit():
        return None
    return moment.isoformat()


def _check_register(name: str, value: str, errors: list[FieldError]) -> None:
    if value not in registers.TABLES[name]:
        first = next(iter(registers.TABLES[name].items()))
        errors.append(FieldError(name, "register_code", {"value": value, "example": f"{first[0]} {first[1][0]}"}))


def _check_sha256(name: str, value: str, errors: list[FieldError]) -> None:
    if not SHA256_RE.match(value):
        errors.append(FieldError(name, "sha256"))


def _check_id(name: str, value: str, errors: list[FieldError]) -> None:
    errors.extend(id_number_errors(name, value))


def _checker(record_type: str, name: str) -> Callable[[Any, list], Any]:
    """The check of one non-empty field, built once per (type, field): length, choices, format."""
    if name in LIST_FIELDS:
        return _check_list(name)
    if name in NUMBER_RANGES:
        return _check_number(name)
    # an ID number and a register code say what is wrong with them more precisely than a length would
    max_length = None if name in ID_FIELDS or name in registers.TABLES else (_max_length(record_type, name)
                                                                              or TEXT_LIMIT)
    choices = CHOICES.get((record_type, name))
    special = (_check_id if name in ID_FIELDS else _check_phone if name == "phone" else
               _check_sha256 if name in SHA256_FIELDS else _check_register if name in registers.TABLES else
               _check_date if name in DATE_FIELDS else _check_any_date if name in ANY_DATE_FIELDS else
               _check_datetime if name in DATETIME_FIELDS else None)

    if choices is None and special is None:
        def check_length(value, errors):          # most text fields: a length, nothing else
            if value.__class__ is not str or "\x00" in value:
                value = as_text(name, value, errors)
                if value.__class__ is not str:
                    return value
            if max_length and len(value) > max_length:
                errors.append(FieldError(name, "too_long", {"max": max_length, "length": len(value)}))
            return value
        return check_length

    def check(value, errors):
        if value.__class__ is not str or "\x00" in value:
            value = as_text(name, value, errors)
            if value.__class__ is not str:
                return value
        if max_length and len(value) > max_length:
            errors.append(FieldError(name, "too_long", {"max": max_length, "length": len(value)}))
        if choices and value not in choices:
            errors.append(FieldError(name, "choice", {"value": value, "choices": ", ".join(choices)}))
        if special is not None:
            value = special(name, value, errors) or value       # a time: in its extended form
        return value
    return check


@functools.cache
def _plan(record_type: str) -> tuple[frozenset, tuple]:
    """The known field names and, per field: (name, fold, check, required, default, is_list).

    Built once per type so that cleaning a record does no lookups by name (push target:
    20,000 changes/s, each validated); tests/unit/test_fast_paths.py holds it to the
    plain implementation."""
    known = records.fields_of(record_type)
    steps = tuple((name, _folder(name), _checker(record_type, name), name in REQUIRED[record_type],
                   _default(record_type, name), name in LIST_FIELDS) for name in known)
    return frozenset(known), steps


def _derive_from_id(values: dict, errors: list[FieldError]) -> None:
    number = values.get("id_number")
    if not number or (errors and any(e.field == "id_number" for e in errors)):
        return
    for name, derived in (("birth_date", id_birth_date(number)), ("gender", id_gender(number))):
        if values.get(name) is None:
            values[name] = derived
        elif values[name] != derived:
            errors.append(FieldError(name, "id_mismatch", {"expected": derived}))


def clean_record(record_type: str, values: dict,
                 grid_exists: Callable[[str], bool] | None = None, known_only: bool = False) -> dict:
    """Normalise and check a whole record; return the cleaned values or raise ValidationError.

    known_only: the caller has already refused unknown fields, and other keys of `values`
    (the station's clocks and tombstone) are to be ignored."""
    if record_type not in records.RECORD_TYPES:
        raise ValidationError([FieldError("type", "unknown_type", {
            "value": record_type, "choices": ", ".join(records.RECORD_TYPES)})])
    known, steps = _plan(record_type)
    errors = [] if known_only or known.issuperset(values) else [
        FieldError(k, "unknown_field", {"name": k}) for k in values if k not in known]
    cleaned: dict[str, Any] = {}
    for name, fold, check, required, default, is_list in steps:
        value = values.get(name)
        if isinstance(value, str):
            value = fold(value) or None
        if value is None or value == []:
            value = cleaned[name] = [] if is_list else default
            if value:
                continue
            if required:
                errors.append(FieldError(name, "required"))
            continue
        cleaned[name] = check(value, errors)
    if record_type == "person":
        _derive_from_id(cleaned, errors)
    elif record_type == "household" and isinstance(cleaned.get("tags"), list) and ADDRESS_PENDING in cleaned["tags"]:
        if cleaned.get("address") is None:
            cleaned["address"] = ""        # the column is NOT NULL: empty, to be filled in
            errors = [e for e in errors if e.field != "address" or e.code != "required"]
        else:                              # filled in: no longer pending
            cleaned["tags"] = [t for t in cleaned["tags"] if t != ADDRESS_PENDING]
    record_rules(record_type, cleaned, errors)
    _check_grid_code(record_type, cleaned, errors)
    grid_field = "parent_code" if record_type == "grid" else "grid_code"
    grid_value = cleaned.get(grid_field)
    if grid_exists and isinstance(grid_value, str) and grid_value and not grid_exists(grid_value):
        errors.append(FieldError(grid_field, "grid_missing", {"value": grid_value}))
    if errors:
        raise ValidationError(errors)
    return cleaned
