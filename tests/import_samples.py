"""Messy ledgers for the import tests: valid ID numbers and workbooks shaped like real ones."""
from __future__ import annotations

import datetime as dt
import zipfile

from openpyxl import Workbook

from sync.validation import id_check_char


def id_number(born: str, serial: int, area: str = "420704") -> str:
    """A valid 18-character ID number (born as YYYYMMDD; odd serial for a man)."""
    first17 = f"{area}{born}{serial:03d}"
    return first17 + id_check_char(first17)


def make_id_with_x(born: str = "19491231", area: str = "110105") -> str:
    for serial in range(1000):
        number = id_number(born, serial, area)
        if number.endswith("X"):
            return number
    raise AssertionError("no X check digit")


RESIDENT_HEADERS = ["序号", "户号", "姓名", "与户主关系", "性别", "公民身份号码", "出生日期", "民族",
                    "联系电话", "现住址", "人口类型", "重点人群"]


def resident_rows() -> list[list]:
    """Two households of a village register: the Zhang family (3) and the Li family (2)."""
    return [
        [1, "H001", "张大山", "户主", "男", id_number("19600315", 11), "1960-03-15", "汉族",
         "13800138000", "幸福村3组12号", "户籍", "低保"],
        [2, "H001", "王秀英", "配偶", "女", id_number("19620708", 22), "1962-07-08", "汉族",
         None, "幸福村3组12号", "户籍", None],
        [3, "H001", "张小明", "子", "男", id_number("20150102", 31), "2015-01-02", "汉族",
         None, "幸福村3组12号", "户籍", "留守儿童"],
        [4, "H002", "李老汉", "本人", "男", id_number("19400101", 51), "1940-01-01", "土家族",
         "0710-3456789", "幸福村3组15号", "户籍", "独居老人、残疾人"],
        [5, "H002", "李四", "子", "男", id_number("19700909", 53), "1970-09-09", "汉族",
         "13900139000", "幸福村3组15号", "外出", None],
    ]


def messy_workbook(path, rows: list[list] | None = None, headers: list[str] | None = None):
    """A title row merged across, a note row, a two-row header with a merged group label."""
    headers = headers or RESIDENT_HEADERS
    book = Workbook()
    sheet = book.active
    sheet.append(["幸福村第三网格 人口信息登记表"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(["填表单位：幸福村委会", None, None, "填表日期：2026年11月"])
    # Row 3 holds the header; "联系电话" sits under a merged group label in row 3 with the
    # real name in row 4, as two-level headers do; the others are merged down rows 3-4.
    phone = headers.index("联系电话") if "联系电话" in headers else None
    top = ["联系方式" if i == phone else h for i, h in enumerate(headers)]
    sheet.append(top)
    sheet.append(["联系电话" if i == phone else None for i in range(len(headers))])
    for column in range(1, len(headers) + 1):
        if column - 1 != phone:
            sheet.merge_cells(start_row=3, start_column=column, end_row=4, end_column=column)
    for row in rows if rows is not None else resident_rows():
        sheet.append(row)
    sheet.append([])                      # blank rows in the middle and at the end
    sheet.append([None] * len(headers))
    book.save(path)
    return path


def plain_workbook(path, headers: list[str], rows: list[list]):
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def serial(date: str) -> int:
    """The Excel serial day number of an ISO date."""
    return (dt.date.fromisoformat(date) - dt.date(1899, 12, 30)).days


def rewrite_sheet_xml(path, old: str, new: str) -> None:
    """Edit the first sheet's XML in place (openpyxl cannot write an 18-digit integer cell;
    other tools do, so a test writes one by hand)."""
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert old.encode() in items[sheet]
    items[sheet] = items[sheet].replace(old.encode(), new.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in items.items():
            target.writestr(name, data)
