"""Assessments at the station: each worker account's measured inputs over a period (sync.assessment), the
suggested grade by the township's weights and thresholds, and the supervisor's final grade with its reason."""
from __future__ import annotations

import orjson
from sqlalchemy import Connection, select

from sync import assessment, grid_scope, incidents, messages, records

from . import db, tables
from .duty_rows import _live, people
from .errors import StationError
from .incidents import _scope_clause, load_rows, load_settings
from .station_records import cleaned, write

messages.register({
    "assess_period_bad": ("考核周期应如 2026、2026-H1、2026-Q1 或 2026-03：{value}",
                          "An assessment period looks like 2026, 2026-H1, 2026-Q1 or 2026-03: {value}"),
    "assess_no_worker": ("没有网格员账号“{worker}”，或不在您的管辖范围内。",
                         "No worker account '{worker}' in your scope."),
})


def period(key: str):
    try:
        return assessment.period_of(key)
    except ValueError as exc:
        raise StationError(422, "assess_period_bad", value=key) from exc


def workers(conn: Connection, prefixes: list[str] | None, only: str | None = None) -> list[tuple[str, list[str]]]:
    """(name, grid-level codes) of the worker accounts whose codes lie in `prefixes` (None: all)."""
    grid = records.record_table("grid")
    levels = [g for g, level in conn.execute(select(grid.c.code, grid.c.level).where(grid.c.deleted.is_(False)))
              if level == "grid"]
    out = []
    for name, codes in conn.execute(select(tables.user.c.name, tables.user.c.grids)
                                    .where(tables.user.c.role == "worker").order_by(tables.user.c.name)):
        if (only and name != only) or (prefixes is not None and not all(grid_scope.in_scope(prefixes, c)
                                                                         for c in codes or [])):
            continue
        out.append((name, sorted(g for g in levels if grid_scope.in_scope(codes or [], g))))
    if only and not out:
        raise StationError(404, "assess_no_worker", worker=only)
    return out


def _rows(conn: Connection, grids: list[str]) -> dict[str, list[dict]]:
    found, events = load_rows(conn, grids)
    patrol, household, person = (records.record_table(t) for t in ("patrol", "household", "person"))
    homes = [dict(r) for r in conn.execute(select(household.c.id, household.c.grid_code, household.c.phone,
                                                  household.c.building_id)
                                           .where(_scope_clause(household, grids), household.c.deleted.is_(False)))
             .mappings()]
    residents = [dict(r) for r in conn.execute(
        select(person.c.id, person.c.id_number, household.c.grid_code)
        .join(household, household.c.id == person.c.household_id)
        .where(_scope_clause(household, grids), household.c.deleted.is_(False), person.c.deleted.is_(False)))
        .mappings()]
    return {"incidents": found, "events": events, "households": homes, "persons": residents,
            "patrols": [dict(r) for r in conn.execute(select(patrol).where(_scope_clause(patrol, grids),
                                                                           patrol.c.deleted.is_(False))).mappings()],
            "people": people(conn, grids), "visits": _live(conn, "visit", grids)}


def sheets(conn: Connection, prefixes: list[str] | None, key: str, worker: str | None = None) -> list[dict]:
    """One sheet per worker in scope: inputs, weights, score, suggested grade, and the final grade if recorded."""
    span = period(key)
    settings, now = load_settings(conn), db.now_ms()
    grid_rows = [dict(r) for r in conn.execute(select(records.record_table("grid"))).mappings()]
    finals = {r["worker"]: r for r in _live(conn, "assessment", prefixes) if r["period"] == key}
    out = []
    for name, grids in workers(conn, prefixes, worker):
        view = settings.for_grid(grids[0] if grids else None)
        values = assessment.inputs(span, name, grids, _rows(conn, grids) if grids else {}, settings, now,
                                   grid_rows)
        points = assessment.score(values, view)
        final = finals.get(name)
        out.append({"worker": name, "grids": grids, "period": key, "start": span.start.isoformat(),
                    "end": span.end.isoformat(), "inputs": values, "weights": view["assessment"]["weights"],
                    "score": points, "suggested": assessment.suggested_grade(points, view),
                    "final": {k: final[k] for k in ("grade", "reason", "graded_by", "graded_at")} if final else None})
    return out


def grade(conn: Connection, actor: str, prefixes: list[str] | None, worker: str, key: str, chosen: str,
          reason: str, lang: str | None = None) -> dict:
    """Record a worker's final grade for a period, with the inputs as measured now; the sheet after."""
    sheet = sheets(conn, prefixes, key, worker)[0]
    if not sheet["grids"]:
        raise StationError(404, "assess_no_worker", worker=worker)
    row = {"id": assessment.record_id(worker, key), "worker": worker, "grid_code": sheet["grids"][0],
           "period": key, "grade": chosen, "reason": reason, "graded_by": actor,
           "graded_at": incidents.ms_iso(db.now_ms()), "score": sheet["score"],
           "inputs": orjson.dumps(sheet["inputs"]).decode()}
    write(conn, actor, "assessment", cleaned(conn, "assessment", [row], lang), "assessment_grade")
    return sheets(conn, prefixes, key, worker)[0]
