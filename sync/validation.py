"""Validation and normalisation of records, one module for client and station.

`clean_record` trims text, folds full-width digits and letters, checks required
fields, lengths, choices, ID numbers (GB 11643, ISO 7064 MOD 11-2), phones and grid
codes, and derives a resident's birth date and gender from the ID number. It
raises `ValidationError` carrying every problem at once, each naming its field.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable

from . import messages, records

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
MOBILE_RE = re.compile(r"^1\d{10}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
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
}
CHOICES = {
    ("grid", "level"): records.GRID_LEVELS,
    ("person", "gender"): records.GENDERS,
    ("person", "residence"): records.RESIDENCES,
    ("building", "use"): records.BUILDING_USES,
    ("incident", "category"): records.INCIDENT_CATEGORIES,
    ("incident", "status"): records.INCIDENT_STATUSES,
    ("incident", "level"): records.INCIDENT_LEVELS,
}
ID_FIELDS = ("id_number", "head_id_number")
DIGIT_FIELDS = ID_FIELDS + ("phone", "code", "grid_code", "parent_code")
DATE_FIELDS = ("birth_date",)
DATETIME_FIELDS = ("reported_at", "deadline", "started_at", "ended_at")
NUMBER_RANGES = {"floors": (0, 200, int), "latitude": (-90.0, 90.0, float),
                 "longitude": (-180.0, 180.0, float)}
LIST_FIELDS = ("tags",)


@dataclass
class FieldError:
    field: str
    code: str
    params: dict = field(default_factory=dict)

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


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def upgrade_legacy_id(number15: str) -> str:
    first17 = number15[:6] + "19" + number15[6:]
    return first17 + id_check_char(first17)


def id_number_errors(name: str, value: str) -> list[FieldError]:
    """Problems with an 18-character ID number (already folded and upper-cased)."""
    if len(value) == 15 and value.isdigit():
        return [FieldError(name, "id_legacy15", {"upgraded": upgrade_legacy_id(value)})]
    if len(value) != 18:
        return [FieldError(name, "id_length", {"length": len(value)})]
    if not (value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        return [FieldError(name, "id_chars")]
    if id_birth_date(value) is None:
        return [FieldError(name, "id_birthdate", {"date": value[6:14]})]
    expected = id_check_char(value[:17])
    if value[17] != expected:
        return [FieldError(name, "id_checksum", {"expected": expected})]
    return []


def normalise_id_number(value: str) -> str:
    return fold_width(value).replace(" ", "").upper()


def id_birth_date(number: str) -> str | None:
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return born.isoformat() if dt.date(1880, 1, 1) <= born <= dt.date.today() else None


def id_gender(number: str) -> str:
    """The 17th digit: odd for men, even for women."""
    return "male" if int(number[16]) % 2 else "female"


def is_valid_id_number(value: str) -> bool:
    return not id_number_errors("id_number", normalise_id_number(value))


def _clean_value(name: str, value: Any) -> Any:
    if isinstance(value, str):
        value = fold_width(value) if name in DIGIT_FIELDS else value.strip()
        if name in ID_FIELDS:
            value = normalise_id_number(value)
        if name == "phone":
            value = value.replace(" ", "")
        return value or None
    return value


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


@functools.lru_cache(maxsize=None)
def _max_length(record_type: str, name: str) -> int | None:
    return getattr(records.record_table(record_type).columns[name].type, "length", None)


@functools.lru_cache(maxsize=None)
def _default(record_type: str, name: str) -> str | None:
    default = records.RECORD_TYPES[record_type].model_fields[name].default
    return default if isinstance(default, str) else None


def _check_value(record_type: str, name: str, value: Any, errors: list[FieldError]) -> Any:
    max_length = _max_length(record_type, name)
    if name in LIST_FIELDS:
        if not isinstance(value, list):
            errors.append(FieldError(name, "not_a_list"))
            return value
        return [str(v).strip() for v in value if str(v).strip()]
    if name in NUMBER_RANGES:
        low, high, kind = NUMBER_RANGES[name]
        try:
            number = kind(value)
            if not low <= number <= high or (kind is int and float(value) != number):
                raise ValueError
        except (TypeError, ValueError):
            errors.append(FieldError(name, "number", {"low": low, "high": high}))
            return value
        return number
    if not isinstance(value, str):
        value = str(value)
    if max_length and len(value) > max_length and name not in ID_FIELDS:
        errors.append(FieldError(name, "too_long", {"max": max_length, "length": len(value)}))
    choices = CHOICES.get((record_type, name))
    if choices and value not in choices:
        errors.append(FieldError(name, "choice", {"value": value, "choices": ", ".join(choices)}))
    if name in ID_FIELDS:
        errors.extend(id_number_errors(name, value))
    elif name == "phone" and not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
        errors.append(FieldError(name, "phone"))
    elif name in DATE_FIELDS:
        try:
            if dt.date.fromisoformat(value) > dt.date.today():
                errors.append(FieldError(name, "future_date"))
        except ValueError:
            errors.append(FieldError(name, "date"))
    elif name in DATETIME_FIELDS:
        try:
            dt.datetime.fromisoformat(value)
        except ValueError:
            errors.append(FieldError(name, "datetime"))
    return value


def _derive_from_id(values: dict, errors: list[FieldError]) -> None:
    number = values.get("id_number")
    if not number or any(e.field == "id_number" for e in errors):
        return
    for name, derived in (("birth_date", id_birth_date(number)), ("gender", id_gender(number))):
        if values.get(name) is None:
            values[name] = derived
        elif values[name] != derived:
            errors.append(FieldError(name, "id_mismatch", {"expected": derived}))


def clean_record(record_type: str, values: dict,
                 grid_exists: Callable[[str], bool] | None = None) -> dict:
    """Normalise and check a whole record; return the cleaned values or raise ValidationError."""
    if record_type not in records.RECORD_TYPES:
        raise ValidationError([FieldError("type", "unknown_type", {
            "value": record_type, "choices": ", ".join(records.RECORD_TYPES)})])
    known = records.fields_of(record_type)
    errors = [FieldError(k, "unknown_field", {"name": k}) for k in values if k not in known]
    cleaned = {}
    for name in known:
        value = _clean_value(name, values.get(name))
        if value is None or value == []:
            value = cleaned[name] = [] if name in LIST_FIELDS else _default(record_type, name)
            if value:
                continue
            if name in REQUIRED[record_type]:
                errors.append(FieldError(name, "required"))
            continue
        cleaned[name] = _check_value(record_type, name, value, errors)
    if record_type == "person":
        _derive_from_id(cleaned, errors)
    _check_grid_code(record_type, cleaned, errors)
    grid_field = "parent_code" if record_type == "grid" else "grid_code"
    grid_value = cleaned.get(grid_field)
    if grid_exists and grid_value and not grid_exists(grid_value):
        errors.append(FieldError(grid_field, "grid_missing", {"value": grid_value}))
    if errors:
        raise ValidationError(errors)
    return cleaned
