"""One spreadsheet row to one candidate record: map the columns, convert the cells, validate."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sync import messages, records, registers
from sync.ids import new_id
from sync.validation import FieldError, ValidationError, clean_record, id_number_warnings

from . import cells
from . import headers as h

HEAD_RELATIONS = ("户主", "本人", "户主本人", "head", "self")


@dataclass(slots=True)
class Row:
    """A data row and what the import makes of it."""
    number: int                          # the row's number in the sheet, as the user sees it
    cells: list[Any]
    provided: dict = field(default_factory=dict)   # fields the row fills in (converted)
    extras: dict = field(default_factory=dict)     # import-only columns (户号, 户主姓名, addresses)
    values: dict | None = None                     # the validated record
    errors: list[FieldError] = field(default_factory=list)
    action: str = "new"                  # new | merge | unchanged | skip | failed
    changes: dict = field(default_factory=dict)    # for a merge: field -> new value
    flag: str | None = None              # a near-duplicate worth a look
    group: Any = None                    # the household group key of a resident
    household_id: str | None = None      # the household its group made or found, even if the row failed

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, error: FieldError) -> None:
        self.errors.append(error)
        self.action = "failed"

    def is_head(self) -> bool:
        relation = (self.provided.get("relation_to_head") or "").replace(" ", "").lower()
        return relation in HEAD_RELATIONS


def map_row(number: int, raw: list[Any], columns: list[tuple[int, str]], record_type: str,
            grid: str | None, headers: list[str] | None = None) -> Row:
    """Convert the mapped cells of one row; conversion problems become the row's errors."""
    row = Row(number, raw)
    provided, extras = row.provided, row.extras
    width = len(raw)
    for index, name in columns:
        value = raw[index] if index < width else None
        if value is None:
            continue
        try:
            converted = cells.converter(name)(value)
        except cells.CellError as exc:
            if headers and index < len(headers):
                exc.error.params.setdefault("column", headers[index])
            row.errors.append(exc.error)
            continue
        if converted is None or converted == []:
            continue
        target = extras if name[0] == "_" else provided
        if name in h.JOINED and name in target:
            if converted not in target[name]:
                target[name] = f"{target[name]} {converted}"
        elif name == "phone":
            _phones(row, converted)
        else:
            target[name] = converted
    if grid and not provided.get("grid_code") and "grid_code" in records.fields_of(record_type):
        provided["grid_code"] = grid
    if record_type == "person":
        _person_extras(row)
    elif record_type == "household" and extras.get(h.HOUSEHOLD_NUMBER) and not provided.get("register_number"):
        provided["register_number"] = extras[h.HOUSEHOLD_NUMBER]       # 户号
    return row


def _phones(row: Row, numbers: list[str]) -> None:
    """The first number of a cell listing several is the phone; the others go to the notes."""
    row.provided["phone"] = numbers[0]
    if len(numbers) > 1:
        row.extras["_other_phones"] = "、".join(numbers[1:])


def _person_extras(row: Row) -> None:
    if row.provided.get("relation_to_head") == "本人":
        row.provided["relation_to_head"] = "户主"
    if row.extras.get(h.IS_HEAD) and not row.provided.get("relation_to_head"):
        row.provided["relation_to_head"] = "户主"
    flagged = [name[len(h.YES_TAG):] for name, value in row.extras.items() if name.startswith(h.YES_TAG) and value]
    if flagged:
        row.provided["tags"] = list(dict.fromkeys([*row.provided.get("tags", []), *flagged]))
    notes = [row.provided["notes"]] if row.provided.get("notes") else []
    if row.extras.get("_other_phones"):
        notes.append(f"其他电话：{row.extras['_other_phones']}")
    for coded in registers.TABLES:             # a value no code stands for stays, in the notes
        value = row.provided.get(coded)
        if isinstance(value, str) and value.startswith(cells.UNCODED):
            del row.provided[coded]
            label = messages.field_label(coded, "zh_CN")
            if label not in "".join(notes):
                notes.append(f"{label}：{value[len(cells.UNCODED):]}")
    registered = row.extras.get(h.REGISTERED_ADDRESS)
    if registered and not row.provided.get("registered_address"):
        row.provided["registered_address"] = registered
    if notes:
        row.provided["notes"] = "；".join(notes)


def validate(row: Row, record_type: str, grid_exists, extra: dict | None = None) -> None:
    """Check the whole record the row would make; keep the cleaned values or the errors."""
    if row.errors:
        row.action = "failed"
        return
    values = {**row.provided, **(extra or {})}
    key = records.key_field(record_type)
    if key not in values:
        values[key] = new_id()
    try:
        row.values = clean_record(record_type, values, grid_exists)
    except ValidationError as exc:
        row.errors.extend(exc.errors)
        row.action = "failed"
        return
    for name in ("id_number", "head_id_number"):
        for warning in id_number_warnings(name, row.values.get(name) or ""):
            row.flag = messages.render("import_row_flag", row=row.number, detail=warning.message())
