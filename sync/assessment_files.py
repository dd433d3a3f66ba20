"""An assessment sheet (sync.assessment, computed at the station) as a table and as printable HTML, in zh_CN or en."""
from __future__ import annotations

import html

from . import messages
from .duty_settings import ASSESSMENT_INPUTS

messages.register({
    "assess_title": ("网格员考核表（{period}）", "Grid worker assessment ({period})"),
    "assess_worker": ("网格员：{worker}　网格：{grids}　统计期：{start} 至 {end}",
                      "Worker: {worker}   Grids: {grids}   From {start} to {end}"),
    "assess_input": ("考核指标", "Input"), "assess_rate": ("完成率", "Rate"), "assess_weight": ("权重", "Weight"),
    "assess_patrol": ("巡查时长（每日目标）", "patrol hours (daily target)"),
    "assess_reporting": ("信息上报（每日/每周一件）", "reporting quota"),
    "assess_cases": ("事件按期办结", "cases closed on time"), "assess_visits": ("重点人群按时走访", "visits on time"),
    "assess_completeness": ("基础信息完整", "data completeness"),
    "assess_score": ("综合得分：{score}　建议等次：{suggested}", "Score: {score}   Suggested grade: {suggested}"),
    "assess_final": ("评定等次：{grade}　理由：{reason}　评定人：{by}（{at}）",
                     "Final grade: {grade}   Reason: {reason}   By {by} ({at})"),
    "assess_pending": ("评定等次：尚未评定", "Final grade: not yet recorded"),
    "assess_signature": ("评定人签字：＿＿＿＿＿＿　日期：＿＿＿＿＿＿", "Signed: ____________   Date: ____________"),
})


def _percent(rate) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def rows(sheet: dict, lang: str | None = None) -> list[list[str]]:
    """[input, rate, weight] per input."""
    return [[messages.render(f"assess_{name}", lang), _percent(sheet["inputs"].get(name)),
             f"{sheet['weights'].get(name, 0):g}"] for name in ASSESSMENT_INPUTS]


def lines(sheet: dict, lang: str | None = None) -> list[str]:
    """The sheet as lines of text (the station CLI's `assess show`)."""
    r = lambda code, **kw: messages.render(code, lang, **kw)     # noqa: E731
    out = [r("assess_title", period=sheet["period"]),
           r("assess_worker", worker=sheet["worker"], grids=", ".join(sheet["grids"]), start=sheet["start"],
             end=sheet["end"])]
    out += ["\t".join(row) for row in rows(sheet, lang)]
    out.append(_score_line(sheet, lang))
    out.append(_final_line(sheet, lang))
    return out


def _score_line(sheet: dict, lang: str | None) -> str:
    suggested = messages.value_label(sheet["suggested"], lang) if sheet["suggested"] else "—"
    score = "—" if sheet["score"] is None else f"{sheet['score']:.1f}"
    return messages.render("assess_score", lang, score=score, suggested=suggested)


def _final_line(sheet: dict, lang: str | None) -> str:
    final = sheet.get("final")
    if not final:
        return messages.render("assess_pending", lang)
    return messages.render("assess_final", lang, grade=messages.value_label(final["grade"], lang),
                           reason=final["reason"], by=final["graded_by"], at=str(final["graded_at"])[:10])


def sheet_html(sheets: list[dict], lang: str | None = None) -> str:
    """Printable sheets, one worker per page."""
    esc = html.escape
    pages: list[str] = []
    for sheet in sheets:
        head = "".join(f"<th>{esc(messages.render(c, lang))}</th>" for c in ("assess_input", "assess_rate",
                                                                              "assess_weight"))
        body = "".join("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in row) + "</tr>" for row in rows(sheet, lang))
        style = " style='page-break-before: always'" if pages else ""
        pages.append(f"<h2 align='center'{style}>{esc(messages.render('assess_title', lang, period=sheet['period']))}"
                     f"</h2><p>{esc(lines(sheet, lang)[1])}</p>"
                     f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>{head}</tr>{body}</table>"
                     f"<p><b>{esc(_score_line(sheet, lang))}</b></p><p>{esc(_final_line(sheet, lang))}</p>"
                     f"<p>{esc(messages.render('assess_signature', lang))}</p>")
    return "<html><body>" + "".join(pages) + "</body></html>"
