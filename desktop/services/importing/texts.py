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
    "import_bad_type": ("不支持 {suffix} 文件：请在 Excel/WPS 中另存为 .xlsx、.xls 或 .csv 后导入。",
                        "{suffix} files are not supported: save the file as .xlsx, .xls or .csv in Excel/WPS first."),
    "import_bad_yes_no": ("“{column}”一列应填“是”或“否”，现为“{value}”。",
                          "The column '{column}' takes yes or no (是/否), not '{value}'."),
    "import_bad_accept": ("--accept-missing 只能列出 {choices}，不能是 {fields}。",
                          "--accept-missing takes {choices}, not {fields}."),
    "import_row_flag": ("第 {row} 行：{detail}", "Row {row}: {detail}"),
    "import_sheet": ("读取的工作表：“{sheet}”（共 {count} 个工作表：{sheets}）。",
                     "Sheet read: '{sheet}' (of {count}: {sheets})."),
    "import_header_rows": ("表头在第 {first}–{last} 行。", "The header is on rows {first}–{last}."),
    "import_header_row": ("表头在第 {first} 行。", "The header is on row {first}."),
    "import_columns": ("列对应：", "Columns:"),
    "import_column_to": ("“{column}” → {field}", "'{column}' → {field}"),
    "import_ignored": ("未导入的列：{columns}", "Columns not imported: {columns}"),
    "import_yes_no_column": ("{column}（是/否列）", "{column} (a yes/no column)"),
    "import_missing_columns": ("没有任何列对应到{fields}：导入后这些人员将没有{fields}。"
                               "请用列对应（--mapping）指定该列，或确认照常导入（--accept-missing {codes}）。"
                               "未写入任何数据。",
                               "No column gives the {fields}: the people imported would have none. Map the column "
                               "(--mapping), or confirm the import without it (--accept-missing {codes}). "
                               "Nothing was written."),
    "import_missing_accepted": ("注意：没有列对应到{fields}，导入的人员没有{fields}。",
                                "Note: no column gives the {fields}: the people imported have none."),
    "extra_household_no": ("户号", "household number"),
    "extra_head_name": ("户主姓名", "head's name"),
    "extra_address": ("现住址", "current address"),
    "extra_registered_address": ("户籍地址", "registered address"),
    "extra_ethnicity": ("民族（记入备注）", "ethnic group (kept in notes)"),
    "extra_relation": ("与户主关系（只取户主行）", "relation to head (heads' rows only)"),
    "extra_is_head": ("是否户主（是/否）", "head of household? (yes/no)"),
    "extra_yes_tag": ("是否{tag}（“是”则加此标签）", "{tag}? (yes adds the tag)"),
    "import_notes_skipped": ("第 {rows} 行是说明、表尾或另一张表，未作数据导入。",
                             "Rows {rows} are notes, footers or another table: not imported as data."),
    "import_members_skipped": ("第 {rows} 行是家庭成员（不是户主），不作为户导入。",
                               "Rows {rows} are members, not heads of household: not imported as households."),
    "import_without_household": ("{count} 名人员在文件中没有所属户（没有户号，也没有“户主”行）：请在住户中为他们建户，"
                                 "否则无法同步到乡镇站。",
                                 "{count} residents belong to no household in the file (no household number, no "
                                 "head's row): put them in a household, or they cannot sync to the station."),
    "import_address_pending": ("{count} 户没有地址，已标记“地址待补充”，请补录。",
                               "{count} households have no address: they are marked 'address to be completed'."),
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
