"""Keep personal data out of gridbook.log: ID numbers, phone numbers and Chinese text (names, addresses) are masked.

The log lies beside the encrypted ledger in plain text and is sent to support, so each
line is masked as the file handler formats it: the message, its arguments, the traceback
of an exception (whose text may quote a record) and the stack. Chinese text goes whole: a name
cannot be told from other words, and the program's own log lines are English.
"""
from __future__ import annotations

import logging
import re

# 18-digit (or old 15-digit) ID numbers and 11-digit mobiles, not inside a longer token (a hash, a UUID)
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
PHONE = re.compile(r"(?<![0-9A-Za-z])(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?![0-9A-Za-z])")
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f·]+")
MASK_ID, MASK_PHONE, MASK_TEXT = "‹ID›", "‹phone›", "‹…›"


def redact(text: str) -> str:
    text = ID_NUMBER.sub(MASK_ID, text)
    text = PHONE.sub(MASK_PHONE, text)
    return CHINESE.sub(MASK_TEXT, text)


class RedactingFormatter(logging.Formatter):
    """Formats as usual, then masks the whole line, traceback and stack included.

    A formatter rather than a filter that rewrites the record: other handlers (a test's
    capture, a console) see the record as it was, and nothing is missed that only the
    formatting adds (the exception's text)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
