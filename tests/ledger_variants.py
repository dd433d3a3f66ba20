"""Ledger layouts seen in the field, written as .xlsx (openpyxl), .xls (xlwt), .ods (odfpy) or .csv.

Each layout is one or more sheets: rows of cells (None for empty) and merged ranges
(first row, first column, last row, last column; 0-based). Only the first cell of a
merged range is written, as Excel, WPS and LibreOffice do.
"""
from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from tests.import_samples import id_number

Merge = tuple[int, int, int, int]


@dataclass
class Sheet:
    name: str
    rows: list[list]
    merges: list[Merge] = field(default_factory=list)


@dataclass
class Layout:
    sheets: list[Sheet]
    active: int = 0                      # the sheet the file opens on


# Two households: the Zhangs (3, phones written three ways) and the Lis (2, a landline).
ZHANG, WANG, XIAOMING = id_number("19600315", 11), id_number("19620708", 22), id_number("20150102", 31)
LAOHAN, LISI = id_number("19400101", 51), id_number("19700909", 53)
PEOPLE = [  # household number, relation, name, age, ID number, phone as written, address
    ("H001", "户主", "张大山", 66, ZHANG, "+86 138 0013 8000", "幸福村3组12号"),
    ("H001", "配偶", "王秀英", 64, WANG, "0086-13900139000", "幸福村3组12号"),
    ("H001", "子", "张小明", 11, XIAOMING, "138-0013-8001", "幸福村3组12号"),
    ("H002", "户主", "李老汉", 86, LAOHAN, "(0710)3456789", "幸福村3组15号"),
    ("H002", "子", "李四", 56, LISI, "13700137000", "幸福村3组15号"),
]
# What each resident's phone is stored as.
STORED_PHONES = {"张大山": "13800138000", "王秀英": "13900139000", "张小明": "13800138001",
                 "李老汉": "0710-3456789", "李四": "13700137000"}


def issue_two_row_header() -> Layout:
    """序号 | 户号 | 户籍基础信息 (over three columns) | 身份证号码 | 手机号 | 居住地址, merged down into
    row 2, which holds 与户主的关系 | 姓名 | 年龄 under the group label (the layout of issue 14)."""
    top = ["序号", "户号", "户籍基础信息", None, None, "身份证号码", "手机号", "居住地址"]
    sub = [None, None, "与户主的关系", "姓名", "年龄", None, None, None]
    merges = [(0, c, 1, c) for c in (0, 1, 5, 6, 7)] + [(0, 2, 0, 4)]
    rows = [[n, hh, rel, name, age, idn, phone, addr]
            for n, (hh, rel, name, age, idn, phone, addr) in enumerate(PEOPLE, start=1)]
    return Layout([Sheet("人口信息", [top, sub, *rows], merges)])


def three_row_header() -> Layout:
    """Group labels over group labels: 人员基本信息 > 户籍信息 > 户号 | 与户主关系; 联系方式 > 电话 > 手机 | 座机."""
    top = ["序号", "人员基本信息", None, None, None, "联系方式", None, "居住地址", "备注"]
    middle = [None, "姓名", "身份证号码", "户籍信息", None, "电话", None, None, None]
    bottom = [None, None, None, "户号", "与户主关系", "手机", "座机", None, None]
    merges = [(0, 0, 2, 0), (0, 1, 0, 4), (0, 5, 0, 6), (0, 7, 2, 7), (0, 8, 2, 8),
              (1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 1, 4), (1, 5, 1, 6)]
    rows = [[n, name, idn, hh, rel, phone, None, addr, None]
            for n, (hh, rel, name, _, idn, phone, addr) in enumerate(PEOPLE, start=1)]
    return Layout([Sheet("花名册", [["幸福村人口花名册"], top, middle, bottom, *rows],
                         [(0, 0, 0, 8), *((r + 1, c0, r1 + 1, c1) for r, c0, r1, c1 in merges)])])


PLAIN_HEADER = ["户号", "姓名", "与户主关系", "公民身份号码", "联系电话", "现住址"]


def _plain_rows() -> list[list]:
    return [[hh, name, rel, idn, phone, addr] for hh, rel, name, _, idn, phone, addr in PEOPLE]


def notes_sheet_active() -> Layout:
    """The template saved with its 注意事项 sheet in front: the data is on the next sheet."""
    notes = Sheet("注意事项", [["填写注意事项"], ["1、身份证号码请填写18位"], ["2、联系电话填写手机号"],
                              ["3、与户主关系：户主、配偶、子、女"]])
    return Layout([notes, Sheet("人口登记", [PLAIN_HEADER, *_plain_rows()])], active=0)


def instruction_row_under_header() -> Layout:
    """A 填写说明 row right under the header, as the grid system's import template has."""
    hints = ["如有则填写", "必填，真实姓名", "如：户主、配偶、子女", "必填，18位身份证号", "多个电话用;分隔", "必填"]
    return Layout([Sheet("Person", [PLAIN_HEADER, hints, *_plain_rows()])])


def footer_notes() -> Layout:
    """「说明：1、…」 lines merged across under the table, and a sign-off row."""
    width = len(PLAIN_HEADER)
    rows = [["幸福村人口登记表"], PLAIN_HEADER, *_plain_rows(), [],
            ["说明：1、身份证号码须填写18位；"], ["2、联系电话请填写本人手机号；"], ["3、本表一式两份。"],
            ["填表人：王五", None, None, "审核人：赵六"]]
    first = 2 + len(PEOPLE) + 1
    merges = [(0, 0, 0, width - 1)] + [(r, 0, r, width - 1) for r in range(first, first + 3)]
    return Layout([Sheet("登记表", rows, merges)])


def second_table_below() -> Layout:
    """A second table (家庭资产负债情况) below the residents, after a blank row and its title."""
    width = len(PLAIN_HEADER)
    rows = [PLAIN_HEADER, *_plain_rows(), [], ["家庭资产负债情况"],
            ["资产类型", "资产数量", "资产价格(元)", "资产说明"],
            ["房产", 1, 300000, "自建房两层"], ["农机", 2, 45000, "拖拉机"], ["存款", None, 80000, None]]
    title = 1 + len(PEOPLE) + 1
    return Layout([Sheet("农户信息", rows, [(title, 0, title, width - 1)])])


def no_address_column() -> Layout:
    header = ["户号", "姓名", "与户主关系", "身份证号", "手机号码"]
    return Layout([Sheet("Sheet1", [header, *[[hh, name, rel, idn, phone]
                                             for hh, rel, name, _, idn, phone, _ in PEOPLE]])])


def yes_no_columns() -> Layout:
    """A bank's visit sheet: 是否户主 marks the head, 是否开通手机银行 is no phone, 是否低保户 a key group."""
    header = ["户号编码", "是否户主", "客户名称", "证件号码", "是否开通手机银行", "联系方式", "是否低保户", "居住处所"]
    rows = [[hh, "是" if rel == "户主" else "否", name, idn, "是" if i % 2 else "否", phone,
             "是" if name == "李老汉" else "否", addr]
            for i, (hh, rel, name, _, idn, phone, addr) in enumerate(PEOPLE)]
    return Layout([Sheet("农户基本信息", [header, *rows])])


def phones_as_written() -> Layout:
    """One household whose phones are written every which way; one is no phone at all."""
    header = ["姓名", "身份证号", "与户主关系", "联系电话", "现住址"]
    rows = [["赵一", id_number("19800101", 11), "户主", "+86 138 0013 8000", "幸福村5组1号"],
            ["钱二", id_number("19810202", 22), "配偶", "0086-13900139000", "幸福村5组1号"],
            ["孙三", id_number("20050303", 31), "子", "138-0013-8002", "幸福村5组1号"],
            ["李四", id_number("20070404", 42), "女", "0710 345 6789", "幸福村5组1号"],
            ["周五", id_number("19500505", 51), "父亲", "12345678901", "幸福村5组1号"],
            ["吴六", id_number("19520606", 62), "母亲", "13700137000；0710-3456780", "幸福村5组1号"]]
    return Layout([Sheet("Sheet1", [header, *rows])])


# -- writers --------------------------------------------------------------------------------
def write(layout: Layout, path: Path) -> Path:
    suffix = path.suffix.lower()
    {".xlsx": _xlsx, ".xls": _xls, ".ods": _ods, ".csv": _csv}[suffix](layout, path)
    return path


def _covered(sheet: Sheet) -> set[tuple[int, int]]:
    return {(r, c) for r0, c0, r1, c1 in sheet.merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
            if (r, c) != (r0, c0)}


def _xlsx(layout: Layout, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for sheet in layout.sheets:
        target = book.create_sheet(sheet.name)
        for r, row in enumerate(sheet.rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    target.cell(r, c, value)
        for r0, c0, r1, c1 in sheet.merges:
            target.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    book.active = layout.active
    book.save(path)


def _xls(layout: Layout, path: Path) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    dates = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for sheet in layout.sheets:
        target = book.add_sheet(sheet.name)
        covered = _covered(sheet)
        starts = {(r0, c0): (r1, c1) for r0, c0, r1, c1 in sheet.merges}
        for r, row in enumerate(sheet.rows):
            for c, value in enumerate(row):
                if (r, c) in covered:
                    continue
                style = dates if isinstance(value, dt.date) else xlwt.Style.default_style
                if (r, c) in starts:
                    r1, c1 = starts[(r, c)]
                    target.write_merge(r, r1, c, c1, "" if value is None else value, style)
                elif value is not None:
                    target.write(r, c, value, style)
    book.active_sheet = layout.active
    book.save(str(path))


def _ods(layout: Layout, path: Path) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    for sheet in layout.sheets:
        table = Table(name=sheet.name)
        covered = _covered(sheet)
        spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in sheet.merges}
        width = max(len(r) for r in sheet.rows)
        for r, row in enumerate(sheet.rows):
            line = TableRow()
            for c in range(width):
                value = row[c] if c < len(row) else None
                if (r, c) in covered:
                    line.addElement(CoveredTableCell())
                    continue
                attributes = {}
                if (r, c) in spans:
                    rows, columns = spans[(r, c)]
                    attributes = {"numberrowsspanned": rows, "numbercolumnsspanned": columns}
                if value is None:
                    cell = TableCell(**attributes)
                elif isinstance(value, (int, float)):
                    cell = TableCell(valuetype="float", value=value, **attributes)
                    cell.addElement(P(text=str(value)))
                else:
                    cell = TableCell(valuetype="string", **attributes)
                    cell.addElement(P(text=str(value)))
                line.addElement(cell)
            table.addElement(line)
        doc.spreadsheet.addElement(table)
    doc.save(str(path))


def _csv(layout: Layout, path: Path) -> None:
    sheet = next(s for s in layout.sheets if any(len(r) > 1 for r in s.rows))
    with path.open("w", newline="", encoding="gb18030") as file:
        csv.writer(file).writerows([["" if v is None else v for v in row] for row in sheet.rows])
