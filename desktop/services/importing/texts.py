"""The import and export messages (zh_CN, en), registered in the shared catalogue."""
from __future__ import annotations

from sync import messages

CATALOGUE = {
    "import_id_as_number": ("身份证号被 Excel 存成了数字，末位已丢失，请把该列设为文本后重新录入。",
                            "The ID number was stored by Excel as a number and its last digits are lost: "
                            "format the column as text and enter it again."),
    "import_bad_date": ("{field}“{value}”不是日期，请写成 1990-01-31 的格式。",
                        "{field} '{value}' is not a date: write it like 1990-01-31."),
    "import_bad_value": ("{field}“{value}”无法识别，可选：{choices}。",
                         "{field} '{value}' is not recognised; choose one of: {choices}."),
    "import_bad_number": ("{field}“{value}”不是数字。", "{field} '{value}' is not a number."),
    "import_dup_in_file": ("身份证号与本文件第 {row} 行重复。",
                           "The ID number repeats row {row} of this file."),
    "import_no_head": ("户号“{number}”的成员中没有户主（与户主关系为“户主”或“本人”），无法建户。",
                       "Household number '{number}' has no head (relation 'head' or 'self'): "
                       "cannot make the household."),
    "import_household": ("所在户无法建立（户主在第 {row} 行）：{detail}",
                         "The household cannot be made (head on row {row}): {detail}"),
    "import_bad_file": ("无法读取文件 {path}：{detail}", "Cannot read the file {path}: {detail}"),
    "import_bad_type": ("不支持 {suffix} 文件：请在 Excel/WPS 中另存为 .xlsx 或 .csv 后导入。",
                        "{suffix} files are not supported: save the file as .xlsx or .csv in Excel/WPS first."),
    "import_no_header": ("在文件 {path} 中找不到表头行（如“姓名”“身份证号”等列名）。",
                         "No header row (column names such as 姓名, 身份证号) found in {path}."),
    "import_bad_mapping": ("列对应文件 {path} 有误：{detail}", "The column mapping file {path} is wrong: {detail}"),
    "import_no_columns": ("没有任何列对应到字段，请检查列对应。", "No column is mapped to a field: check the mapping."),
    "import_wrong_type": ("不能导入{type}记录，可选：{choices}。",
                          "Cannot import {type} records; choose one of: {choices}."),
    "import_summary": ("新增 {imported} 条，合并 {merged} 条，未变 {unchanged} 条，跳过 {skipped} 条，"
                       "失败 {failed} 行，待核查 {flagged} 条，新建户 {households} 户。",
                       "imported {imported}, merged {merged}, unchanged {unchanged}, skipped {skipped}, "
                       "failed {failed} rows, flagged {flagged}, households created {households}."),
    "import_dry_run": ("试导入：未写入任何数据。", "Dry run: nothing was written."),
    "import_failed_rows": ("有 {failed} 行未导入，文件其余部分已处理；错误表：{path}",
                           "{failed} rows were not imported; the rest of the file was processed. Error sheet: {path}"),
    "import_near_duplicate": ("第 {row} 行“{name}”（{birth}）与已有人员同名同生日但身份证号不同，请核查。",
                              "Row {row} '{name}' ({birth}) has the name and birth date of an existing resident "
                              "with a different ID number: please check."),
    "error_reason": ("错误原因", "Error"),
    "row_number": ("原行号", "Row"),
    "form_title": ("一户一表", "Household form"),
    "form_members": ("家庭成员", "Members"),
    "form_grid": ("所属网格：{grid}", "Grid: {grid}"),
}

messages.register(CATALOGUE)


def text(code: str, **params) -> str:
    return messages.render(code, **params)
