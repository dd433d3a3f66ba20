"""Times as people read them: Asia/Shanghai, to the minute, whatever offset a time was stored with."""
from __future__ import annotations

import datetime as dt

try:
    from zoneinfo import ZoneInfo

    SHANGHAI: dt.tzinfo = ZoneInfo("Asia/Shanghai")
except Exception:                      # no tz database (tzdata missing): China has one offset, no DST
    SHANGHAI = dt.timezone(dt.timedelta(hours=8), "CST")


def parse(value) -> dt.datetime | None:
    """An aware datetime from epoch ms or ISO text (naive text is taken as Shanghai time); None if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(value / 1000, SHANGHAI)
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(SHANGHAI) if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)


def local_minute(value) -> str:
    """"2024-03-06 15:00" in Shanghai time; a date alone stays a date; unreadable text is shown as it is."""
    if isinstance(value, str) and len(value) == 10:
        return value
    moment = parse(value)
    if moment is None:
        return "" if value is None else str(value)
    return moment.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
