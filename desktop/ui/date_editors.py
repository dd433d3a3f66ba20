"""Date and time fields with a calendar pop-up, in Asia/Shanghai time; stored as before (ISO 8601 text).

An optional field starts empty: its lowest value stands for "not set" and shows as such.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit

from .i18n import translate
from .local_time import SHANGHAI, parse

ZONE = QTimeZone(b"Asia/Shanghai")
EMPTY_DATE = QDate(1900, 1, 1)          # the "not set" value, below any real one


class DatePicker(QDateEdit):
    """A date (birth dates): value() is "YYYY-MM-DD" or None."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd")
        self.setMinimumDate(EMPTY_DATE)
        self.setSpecialValueText(translate("DateEditors", "(not set)"))
        self.setDate(EMPTY_DATE)

    def value(self) -> str | None:
        return None if self.date() == EMPTY_DATE else self.date().toString("yyyy-MM-dd")

    def set_value(self, value) -> None:
        date = QDate.fromString(str(value)[:10], "yyyy-MM-dd") if value else QDate()
        self.setDate(date if date.isValid() else EMPTY_DATE)


class DateTimePicker(QDateTimeEdit):
    """A moment, shown and picked in Shanghai time: value() is ISO 8601 with +08:00, or None."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setDisplayFormat("yyyy-MM-dd HH:mm")
        if ZONE.isValid():
            self.setTimeZone(ZONE)
        self.empty = QDateTime(EMPTY_DATE, QTime(0, 0), ZONE) if ZONE.isValid() else QDateTime(EMPTY_DATE, QTime(0, 0))
        self.setMinimumDateTime(self.empty)
        self.setSpecialValueText(translate("DateEditors", "(not set)"))
        self.setDateTime(self.empty)

    def value(self) -> str | None:
        if self.dateTime() <= self.empty:
            return None
        moment = dt.datetime.fromtimestamp(self.dateTime().toSecsSinceEpoch(), SHANGHAI)
        return moment.replace(second=0, microsecond=0).isoformat()

    def set_value(self, value) -> None:
        moment = parse(value)
        if moment is None:
            self.setDateTime(self.empty)
            return
        shown = QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), ZONE) if ZONE.isValid() else \
            QDateTime.fromSecsSinceEpoch(int(moment.timestamp()))
        self.setDateTime(shown)

    def set_now(self) -> None:
        self.set_value(dt.datetime.now(SHANGHAI).isoformat())
