"""A computed report (sync.reports) as titled tables with Chinese or English headings, and as CSV or XLSX.

The same sections feed the station CLI, the API's CSV/XLSX downloads, the desktop
export and the desktop's PDF (which lays them out with Qt in desktop/ui).
"""
from __future__ import annotations

import csv
import io

from . import messages
from .incident_warnings import COLOURS

messages.register({
    "report_title": ("事件办理统计（{unit}，{start} 至 {end}）", "Case report ({unit}, {start} to {end})"),
    "report_all_units": ("全部", "all units"),
    "report_cases": ("事件办理", "Cases"),
    "report_overdue": ("超期预警（五色亮灯）", "Overdue warnings (five colours)"),
    "report_workers": ("网格员履职", "Grid workers"),
    "report_measure": ("指标", "Measure"), "report_value": ("数值", "Value"),
    "report_reported": ("上报事件数", "cases reported"), "report_closed": ("办结（销号）数", "cases closed"),
    "report_closure_rate": ("办结率", "closure rate"), "report_mediated": ("调解事件数", "cases mediated"),
    "report_mediation_success": ("调解成功数", "mediations successful"),
    "report_mediation_rate": ("调解成功率", "mediation success rate"),
    "report_unit": ("责任单位", "unit"), "report_total": ("合计", "total"),
    "report_worker": ("网格员", "worker"), "report_grid": ("网格", "grid"), "report_kind": ("类型", "kind"),
    "report_urban": ("城市（每日1件）", "urban (1 a day)"), "report_rural": ("农村（每周1件）", "rural (1 a week)"),
    "report_reports": ("上报数", "reports"), "report_periods": ("应报周期", "periods"),
    "report_covered": ("已报周期", "periods covered"), "report_compliance": ("完成率", "compliance"),
    "report_compliant": ("是否达标", "met"), "report_yes": ("是", "yes"), "report_no": ("否", "no"),
    "report_patrol_hours": ("巡查时长（小时）", "patrol hours"),
    "report_visits": ("重点人群走访", "Key-group visits"), "report_key_people": ("应走访人数", "residents followed"),
    "report_visits_made": ("走访次数", "visits made"), "report_visits_required": ("应访周期", "visit periods"),
    "report_visits_covered": ("按时走访周期", "periods visited on time"),
    "report_on_time_rate": ("按时走访率", "on-time rate"), "report_visits_overdue": ("超期未访人数", "overdue"),
    "report_patrols": ("网格巡查", "Patrols"), "report_target": ("每日目标（小时）", "daily target (hours)"),
    "report_days_patrolled": ("巡查天数", "days patrolled"), "report_days_met": ("达标天数", "days on target"),
    "report_hazards": ("发现隐患数", "hazards found"),
    "report_tasks": ("网格事务清单", "Grid task list"), "report_task_items": ("事项数", "items"),
    "report_task_due": ("应完成次数", "due"), "report_task_done": ("已完成次数", "done"),
    "report_completion_rate": ("完成率", "completion rate"), "report_task_overdue": ("当前超期事项", "overdue now"),
    "report_defence": ("十户联防", "Ten-household joint defence"), "report_groups": ("联防组数", "groups"),
    "report_households": ("户数", "households"), "report_covered_households": ("入组户数", "households in a group"),
    "report_coverage": ("覆盖率", "coverage"), "report_watches": ("巡防值守", "watches"),
    "report_drills": ("应急演练", "drills"), "report_alerts": ("警情", "alerts"),
})


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.2f}%"


def title(report: dict, lang: str | None = None) -> str:
    unit = unit_name(report, report["unit"]) if report["unit"] else messages.render("report_all_units", lang)
    return messages.render("report_title", lang, unit=unit, start=report["start"], end=report["end"])


def unit_name(report: dict, code: str) -> str:
    """A unit by its name with its code beside it ("幸福村第三网格（420704100201-03）"); the code if unnamed."""
    name = (report.get("names") or {}).get(code)
    return f"{name}（{code}）" if name else code


def sections(report: dict, lang: str | None = None) -> list[tuple[str, list[str], list[list]]]:
    """[(heading, column headings, rows)] in `lang`."""
    r = lambda code: messages.render(code, lang)        # noqa: E731
    cases = [[r("report_reported"), report["reported"]], [r("report_closed"), report["closed"]],
             [r("report_closure_rate"), _percent(report["closure_rate"])],
             [r("report_mediated"), report["mediated"]],
             [r("report_mediation_success"), report["mediation_success"]],
             [r("report_mediation_rate"), _percent(report["mediation_rate"])]]
    colours = [messages.value_label(c, lang, field="colour", record_type="warning") for c in COLOURS]
    overdue = [[unit_name(report, unit), *[counts[c] for c in COLOURS]] for unit, counts in report["overdue"].items()]
    overdue.append([r("report_total"), *[report["overdue_total"][c] for c in COLOURS]])
    workers = [[w["worker"], unit_name(report, w["grid_code"]), r("report_urban" if w["urban"] else "report_rural"),
                w["reports"],
                w["periods"], w["covered"], _percent(w["compliance"]),
                r("report_yes" if w["compliant"] else "report_no"), w["patrol_hours"]] for w in report["workers"]]
    return [
        (r("report_cases"), [r("report_measure"), r("report_value")], cases),
        (r("report_overdue"), [r("report_unit"), *colours], overdue),
        (r("report_workers"), [r(c) for c in ("report_worker", "report_grid", "report_kind", "report_reports",
                                              "report_periods", "report_covered", "report_compliance",
                                              "report_compliant", "report_patrol_hours")], workers),
        *duty_sections(report, lang),
    ]


def duty_sections(report: dict, lang: str | None = None) -> list[tuple[str, list[str], list[list]]]:
    """The duty cycle's sections, those the report carries."""
    r = lambda code: messages.render(code, lang)        # noqa: E731
    out = []
    if "visits" in report:
        rows = [[v["grid_code"], v["key_people"], v["visits"], v["required"], v["covered"],
                 _percent(v["on_time_rate"]), v["overdue"]] for v in report["visits"]]
        out.append((r("report_visits"), [r(c) for c in ("report_grid", "report_key_people", "report_visits_made",
                                                       "report_visits_required", "report_visits_covered",
                                                       "report_on_time_rate", "report_visits_overdue")], rows))
    if "patrols" in report:
        rows = [[p["worker"], p["grid_code"], p["hours"], p["target"], p["days_patrolled"], p["days_met"],
                 p["hazards"]] for p in report["patrols"]]
        out.append((r("report_patrols"), [r(c) for c in ("report_worker", "report_grid", "report_patrol_hours",
                                                        "report_target", "report_days_patrolled", "report_days_met",
                                                        "report_hazards")], rows))
    if "tasks" in report:
        rows = [[t["grid_code"], t["items"], t["due"], t["done"], _percent(t["completion_rate"]), t["overdue"]]
                for t in report["tasks"]]
        out.append((r("report_tasks"), [r(c) for c in ("report_grid", "report_task_items", "report_task_due",
                                                      "report_task_done", "report_completion_rate",
                                                      "report_task_overdue")], rows))
    if "defence" in report:
        rows = [[d["grid_code"], d["groups"], d["households"], d["covered"], _percent(d["coverage"]), d["watch"],
                 d["drill"], d["alert"]] for d in report["defence"]]
        out.append((r("report_defence"), [r(c) for c in ("report_grid", "report_groups", "report_households",
                                                        "report_covered_households", "report_coverage",
                                                        "report_watches", "report_drills", "report_alerts")], rows))
    return out


def to_csv(report: dict, lang: str | None = None) -> str:
    """All sections in one CSV, a heading line before each (UTF-8 with BOM so Excel shows Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([title(report, lang)])
    for heading, columns, rows in sections(report, lang):
        writer.writerow([])
        writer.writerow([heading])
        writer.writerow(columns)
        writer.writerows(rows)
    return "\ufeff" + out.getvalue()


def to_xlsx(report: dict, lang: str | None = None) -> bytes:
    """One sheet per section, the report title in the first row of each."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.worksheets[0])         # the empty sheet a new workbook starts with
    for heading, columns, rows in sections(report, lang):
        sheet = book.create_sheet(heading[:31])
        sheet.append([title(report, lang)])
        sheet.append(columns)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()
