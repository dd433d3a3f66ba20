"""Which rows below the header are data: a 填写说明 row, a 「说明：1、…」 footer, a template's
placeholders or a second table further down are notes, skipped (and listed), not failed rows.

A row is only ever skipped for what it shows: instructions, a lone line of text that
is no one's name, a label-and-value sign-off (填表人：…), or everything after the header
of another table. A row that looks like a resident, however wrong, stays data and fails
with its reasons.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any

from .headers import header_score, normalise_header

NOTE = "note"                 # instructions under the header, a template's ${...} placeholders
FOOTER = "footer"             # 说明：… / 注： / 填表人： lines, a title or section line
OTHER_TABLE = "other_table"   # a second table below the first (its header and its rows)
HEADER_AGAIN = "header_again"     # the header repeated (a printout's page break)
MEMBER = "member"             # in a household list made from a resident list: a member's row, not a household

INSTRUCTION_RE = re.compile(r"必填|选填|可选|填写|如[:：]|例[:：]|例如|格式|YYYY|yyyy|多个.{0,6}分隔|[=＝]是|"
                            r"请[填勿按]|自动关联|下拉|选择")
PLACEHOLDER_RE = re.compile(r"^\$\{[^}]*\}$")
FOOTER_RE = re.compile(r"^[\s（(]*(说明|注|备注|附注|填表说明|填报说明|填写说明|附[:：]|填表人|制表|审核|负责人|"
                       r"联系人[:：]|统计|合计|小计|总计|共计|\d{1,2}\s*[、.．)）])")
SIGN_OFF_RE = re.compile(r"^[\u4e00-\u9fff]{2,8}\s*[:：]")
NAME_RE = re.compile(r"^[\u3400-\u9fff\u00b7·•．.A-Za-z\s]{1,30}$")
ID_RE = re.compile(r"^\d{15}$|^\d{17}[\dXx]$")
# Labels a header of another table is made of (资产类型 | 资产数量 | 资产价格(元) | 资产说明).
HEADERISH_RE = re.compile(r"(类型|类别|数量|价格|金额|说明|名称|情况|日期|时间|编号|号码|面积|性质|方式|余额|收入|元|"
                          r"合计|备注|状态|等级|地址|姓名|关系|序号|项目|内容|年限)$")
NAME_FIELDS = ("name", "head_name", "_head_name", "contact")
ID_FIELDS = ("id_number", "head_id_number")


def _text(value: Any) -> str:
    if value.__class__ is not str:
        return ""
    return value.strip() if value.isascii() else unicodedata.normalize("NFKC", value).strip()


def looks_like_id(value: Any) -> bool:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value >= 1e14
    return bool(ID_RE.match(_text(value).replace(" ", "")))


def looks_like_name(value: Any) -> bool:
    text = _text(value)
    return bool(text) and bool(NAME_RE.match(text)) and not INSTRUCTION_RE.search(text)


class Rows:
    """Classifies the rows of one table under one mapping."""

    def __init__(self, table, mapping: dict):
        self.table = table
        fields = {i: mapping.get(name) for i, name in enumerate(table.headers)}
        self.id_columns = [i for i, f in fields.items() if f in ID_FIELDS]
        self.name_columns = [i for i, f in fields.items() if f in NAME_FIELDS]
        self.header_keys = [(i, name, normalise_header(name)) for i, name in enumerate(table.headers) if fields.get(i)]

    def fits(self, cells: list[Any]) -> bool:
        """Does the row look like a record of this table (an ID number, or a name, where they belong)?"""
        if not self.id_columns and not self.name_columns:
            return True
        return any(looks_like_id(cells[i]) for i in self.id_columns if i < len(cells)) or \
            any(looks_like_name(cells[i]) for i in self.name_columns if i < len(cells))

    def header_again(self, cells: list[Any]) -> bool:
        """Does the row repeat the header (more than half its mapped labels, in their columns)?"""
        needed, misses = len(self.header_keys) // 2 + 1, 0
        for i, name, key in self.header_keys:
            cell = cells[i] if i < len(cells) else None
            # normalise only what could be the label: it starts as the label does
            if cell.__class__ is str and (cell.strip() == name or (
                    cell.lstrip()[:1] == name[:1] and normalise_header(cell) == key)):
                needed -= 1
                if not needed:
                    return True
            else:
                misses += 1
                if misses > len(self.header_keys) - (len(self.header_keys) // 2 + 1):
                    return False
        return False

    def split(self) -> tuple[list[tuple[int, list[Any]]], list[tuple[int, str]]]:
        """(data rows, [(row number, why it was skipped)])."""
        data, skipped = [], []
        other_table = False
        seen_data = False
        previous = self.table.header_row + self.table.header_rows - 1
        after_break = False
        for number, cells in self.table.rows:
            gap = number > previous + 1
            previous = number
            texts = [c for c in cells if c is not None]
            if self.header_again(cells):
                skipped.append((number, HEADER_AGAIN))
                other_table, after_break = False, False
                continue
            if other_table:
                skipped.append((number, OTHER_TABLE))
                continue
            if (after_break or gap) and seen_data and _headerish(texts):
                skipped.append((number, OTHER_TABLE))       # the header of another table: it and what follows
                other_table = True
                continue
            reason = None if self.fits(cells) else self._note(number, texts, seen_data)
            if reason:
                skipped.append((number, reason))
                after_break = after_break or reason == FOOTER
                continue
            data.append((number, cells))
            seen_data, after_break = True, False
        return data, skipped

    def _note(self, number: int, texts: list[Any], seen_data: bool) -> str | None:
        strings = [_text(t) for t in texts if isinstance(t, str)]
        if strings and len(strings) == len(texts) and all(PLACEHOLDER_RE.match(s) for s in strings):
            return NOTE
        lone = self.table.lone.get(number)
        if lone is not None and (FOOTER_RE.match(lone) or len(lone) > 6 or INSTRUCTION_RE.search(lone)):
            return FOOTER
        if strings and len(strings) == len(texts) and all(SIGN_OFF_RE.match(s) for s in strings):
            return FOOTER
        if not seen_data and strings and sum(1 for s in strings if INSTRUCTION_RE.search(s)) * 2 >= len(strings):
            return NOTE
        return None


def _headerish(texts: list[Any]) -> bool:
    """A row of short labels, most of them the kind of words headers are made of."""
    if len(texts) < 2 or not all(isinstance(t, str) for t in texts):
        return False
    labels = [normalise_header(t) for t in texts]
    if any(len(t) > 20 or sum(ch.isdigit() for ch in t) >= 4 for t in labels):
        return False
    return sum(1 for t in labels if HEADERISH_RE.search(t) or header_score(t)) * 2 >= len(labels)
