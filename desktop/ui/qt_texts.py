"""Texts of Qt's own dialogs that Qt's zh_CN catalogue lacks; ours carries them (Qt falls back to it).

Never called: the calls are here for pyside6-lupdate to collect into gridbook_zh_CN.ts.
"""
from __future__ import annotations

from .i18n import translate


def _collected() -> tuple[str, ...]:       # pragma: no cover - read by lupdate, not run
    return (translate("QFileDialog", "&Look in:"),
            translate("QFileDialog", "Files of &type:"))
