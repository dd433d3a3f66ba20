"""Translation helpers: tr() with an explicit context (pyside6-lupdate finds `translate(`), labels."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from sync import messages


def translate(context: str, text: str) -> str:
    # An explicit context, not self.tr(): a subclass would look its strings up under its own name.
    return QCoreApplication.translate(context, text)


def field_label(name: str, record_type: str | None = None) -> str:
    """Field names come from the shared catalogue (zh_CN and en), in the UI's language;
    the catalogue's "名称/姓名" is split by record type here."""
    if name == "name" and record_type == "person":
        return translate("Fields", "Name")
    if name == "name" and record_type is not None:
        return translate("Fields", "Title")
    return messages.field_label(name)


def value_label(value: str | None, field: str | None = None, record_type: str | None = None) -> str:
    return messages.value_label(value, field=field, record_type=record_type) if value else ""


def mask_id_number(number: str | None) -> str:
    """110105194912310021 -> 110105********0021: lists show the region and the last four only."""
    if not number:
        return ""
    return number[:6] + "*" * (len(number) - 10) + number[-4:] if len(number) > 10 else number
