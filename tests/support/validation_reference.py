"""The first, plain implementation of sync.validation.clean_record, kept as the oracle for the fast one.

The tables (REQUIRED, CHOICES, ...) and FieldError come from sync.validation, so the
oracle follows every new record type; only the functions are the original ones.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sync import divisions, records, registers
from sync.validation import (
    ADDRESS_PENDING,
    ANY_DATE_FIELDS,
    CHOICES,
    DATE_FIELDS,
    DATETIME_FIELDS,
    DIGIT_FIELDS,
    ID_CHECK_CHARS,
    ID_FIELDS,
    ID_WEIGHTS,
    LANDLINE_RE,
    LIST_FIELDS,
    LIST_LIMITS,
    MOBILE_RE,
    NUMBER_RANGES,
    REQUIRED,
    SHA256_FIELDS,
    SHA256_RE,
    TEXT_LIMIT,
    FieldError,
    ValidationError,
    _check_grid_code,
    _default,
    _max_length,
    fold_width,
    record_rules,
)


def id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def id_birth_date(number: str) -> str | None:
    try:
        born = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return born.isoformat() if dt.date(1880, 1, 1) <= born <= dt.date.today() else None


def id_gender(number: str) -> str:
    return "male" if int(number[16]) % 2 else "female"


def province_exists(number: str) -> bool:
    return number[:2] in divisions.PROVINCES or number[:2] in ("71", "81", "82", "83")


def id_number_errors(name: str, value: str) -> list[FieldError]:
    if len(value) == 15 and value.isascii() and value.isdigit():
        if not province_exists(value):
            return [FieldError(name, "id_province", {"province": value[:2]})]
        first17 = value[:6] + "19" + value[6:]
        if id_birth_date(first17 + "0") is None:
            return [FieldError(name, "id_legacy15_date", {"date": first17[6:14]})]
        return [FieldError(name, "id_legacy15", {"upgraded": first17 + id_check_char(first17)})]
    if len(value) != 18:
        return [FieldError(name, "id_length", {"length": len(value)})]
    if not (value.isascii() and value[:17].isdigit() and (value[17].isdigit() or value[17] == "X")):
        return [FieldError(name, "id_chars")]
    if not province_exists(value):
        return [FieldError(name, "id_province", {"province": value[:2]})]
    if id_birth_date(value) is None:
        return [FieldError(name, "id_birthdate", {"date": value[6:14]})]
    expected = id_check_char(value[:17])
    if value[17] != expected:
        return [FieldError(name, "id_checksum", {"expected": expected})]
    return []


def normalise_id_number(value: str) -> str:
    return fold_width(value).replace(" ", "").upper()


def normalise_phone(text: str) -> str:
    """Country code, separators and an extension taken apart one step at a time."""
    found = re.fullmatch(r"(.*?\d)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})", text, re.IGNORECASE)
    body, extension = (found.group(1), found.group(2)) if found else (text, None)
    pieces = re.findall(r"[^\s\-‐‑–—.·()（）]+", body)
    joined = "".join(pieces)
    country = False
    for code in ("+86", "0086"):
        if joined.startswith(code):
            joined, country = joined[len(code):], True
            break
    if not country and len(joined) == 13 and joined.startswith("861"):
        joined = joined[2:]
    if not joined.isdigit():
        return body.replace(" ", "")
    if extension is None and len(joined) == 11 and joined.startswith("1"):
        return joined
    if country and not joined.startswith("0"):
        joined = "0" + joined
    if not joined.startswith("0") or len(joined) < 3:
        return "".join(pieces)
    area = joined[:3] if joined[1] in "12" else joined[:4]
    local = joined[len(area):]
    if extension is None and len(pieces) >= 3 and len(pieces[-1]) <= 6 and 7 <= len(local) - len(pieces[-1]) <= 8:
        extension = pieces[-1]
        local = local[:-len(extension)]
    if len(local) < 7 or len(local) > 8:
        return "".join(pieces)
    return area + "-" + local + ("-" + extension if extension else "")


def _clean_value(name: str, value: Any) -> Any:
    if isinstance(value, str) and name in registers.TABLES:
        value = fold_width(value)
        return (registers.code_of(name, value) or value) or None
    if isinstance(value, str):
        value = fold_width(value) if name in DIGIT_FIELDS else value.strip()
        if name in ID_FIELDS:
            value = normalise_id_number(value)
        if name == "phone":
            value = normalise_phone(value)
        return value or None
    return value


def _text(name: str, value: Any, errors: list[FieldError]) -> Any:
    if not isinstance(value, str):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            errors.append(FieldError(name, "not_text", {"kind": type(value).__name__}))
            return None
        value = str(value)
    if "\x00" in value:
        errors.append(FieldError(name, "nul_char"))
    return value


def _check_value(record_type: str, name: str, value: Any, errors: list[FieldError]) -> Any:
    max_length = _max_length(record_type, name) or TEXT_LIMIT
    if name in LIST_FIELDS:
        most, longest = LIST_LIMITS.get(name, (100, 100))
        if not isinstance(value, list):
            errors.append(FieldError(name, "not_a_list"))
            return []
        if len(value) > most:
            errors.append(FieldError(name, "list_too_long", {"max": most, "length": len(value)}))
            return []
        for item in value:
            found: list[FieldError] = []
            text = _text(name, item, found)
            if found or len(text) > longest:
                errors.append(FieldError(name, "list_items", {"max": longest}))
                return []
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
    value = _text(name, value, errors)
    if not isinstance(value, str):
        return value
    if max_length and len(value) > max_length and name not in ID_FIELDS and name not in registers.TABLES:
        errors.append(FieldError(name, "too_long", {"max": max_length, "length": len(value)}))
    choices = CHOICES.get((record_type, name))
    if choices and value not in choices:
        errors.append(FieldError(name, "choice", {"value": value, "choices": ", ".join(choices)}))
    if name in ID_FIELDS:
        errors.extend(id_number_errors(name, value))
    elif name == "phone" and not (MOBILE_RE.match(value) or LANDLINE_RE.match(value)):
        if re.fullmatch(r"1[0-9]{10}", value):
            errors.append(FieldError(name, "phone_range", {"prefix": value[:3]}))
        else:
            errors.append(FieldError(name, "phone"))
    elif name in SHA256_FIELDS and not SHA256_RE.match(value):
        errors.append(FieldError(name, "sha256"))
    elif name in registers.TABLES and value not in registers.TABLES[name]:
        code, (zh, _en) = next(iter(registers.TABLES[name].items()))
        errors.append(FieldError(name, "register_code", {"value": value, "example": f"{code} {zh}"}))
    elif name in DATE_FIELDS:
        try:
            if dt.date.fromisoformat(value) > dt.date.today():
                errors.append(FieldError(name, "future_date"))
        except ValueError:
            errors.append(FieldError(name, "date"))
    elif name in ANY_DATE_FIELDS:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            errors.append(FieldError(name, "date"))
    elif name in DATETIME_FIELDS:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            errors.append(FieldError(name, "datetime"))
        else:
            if not re.match(r"^\d{4}-\d\d-", value):         # only the extended form sorts as time does
                return moment.isoformat()
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


def clean_record(record_type: str, values: dict, grid_exists=None) -> dict:
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
    tags = cleaned.get("tags")
    if record_type == "household" and isinstance(tags, list) and ADDRESS_PENDING in tags:
        if not cleaned.get("address"):
            cleaned["address"] = ""
            errors = [e for e in errors if (e.field, e.code) != ("address", "required")]
        else:
            cleaned["tags"] = [t for t in tags if t != ADDRESS_PENDING]
    record_rules(record_type, cleaned, errors)
    _check_grid_code(record_type, cleaned, errors)
    grid_field = "parent_code" if record_type == "grid" else "grid_code"
    grid_value = cleaned.get(grid_field)
    if grid_exists and isinstance(grid_value, str) and grid_value and not grid_exists(grid_value):
        errors.append(FieldError(grid_field, "grid_missing", {"value": grid_value}))
    if errors:
        raise ValidationError(errors)
    return cleaned
