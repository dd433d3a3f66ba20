"""A station report reads only the period asked for, through indexes, and counts what reading all history counts."""
import datetime as dt
import os
import random

import pytest
from sqlalchemy import select

from sync import clock, records
from sync import reports as shared
from sync.ids import new_id
from sync.station import admin, auth, db, duty_rows, push, reports
from sync.station.demo import DEMO_GRIDS
from sync.station.incidents import load_rows, load_settings
from sync.station.push_wire import WireBatch, WireChange
from tests.station_support import PG_ENV, station_backends, station_database

GRID = "420704100201-03"
CHINA = dt.timezone(dt.timedelta(hours=8))
PERIOD = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


@pytest.fixture(params=station_backends())
def engine(request, tmp_path):
    with station_database(request.param, tmp_path) as url:
        made = db.make_engine(url)
        db.migrate(made)
        with made.begin() as conn:
            admin.import_grids(conn, "test", DEMO_GRIDS)
            admin.add_user(conn, "test", "wang", "worker", [GRID], "secret-123")
        yield made
        made.dispose()


def cases(rng: random.Random) -> list[tuple[str, dict]]:
    """Cases reported from January to May, some whose report step is dated apart from the record
    (across the period's edges), with offsets and forms of ISO time, and patrols around the period."""
    out = []
    start = dt.datetime(2026, 1, 15, tzinfo=CHINA)
    for n in range(120):
        when = start + dt.timedelta(hours=rng.randint(0, 24 * 120))
        text = when.astimezone(dt.UTC).isoformat() if n % 3 == 0 else when.isoformat()
        if n % 7 == 0:
            text = when.strftime("%Y%m%dT%H%M%S")                  # basic form: stored in the extended one
        case = new_id()
        out.append(("incident", {"id": case, "grid_code": GRID, "category": "dispute", "title": f"纠纷{n}",
                                 "reported_at": text}))
        step_at = when + dt.timedelta(days=rng.choice((0, 0, 3, -3, 20)))    # the step may say otherwise
        report = new_id()
        out.append(("incident_event", {"id": report, "incident_id": case, "grid_code": GRID, "step": "report",
                                       "actor": "wang", "actor_level": "village", "at": step_at.isoformat()}))
        prior = [report]
        for hours, step in enumerate(("handle", "feedback", "close") if n % 2 else (), start=1):
            extra = {"outcome": "success"} if step == "handle" else {}
            out.append(("incident_event", {"id": new_id(), "incident_id": case, "grid_code": GRID, "step": step,
                                           "actor": "wang", "actor_level": "village", "prior": list(prior),
                                           "at": (step_at + dt.timedelta(hours=hours * 9)).isoformat(), **extra}))
            prior.append(out[-1][1]["id"])
        began = start + dt.timedelta(hours=rng.randint(0, 24 * 120))
        out.append(("patrol", {"id": new_id(), "grid_code": GRID, "worker": "wang", "started_at": began.isoformat(),
                               "ended_at": (began + dt.timedelta(hours=3)).isoformat()}))
    return out


def push_all(engine, rows: list[tuple[str, dict]]) -> None:
    device = "d0d0d0d0-0000-7000-8000-000000000001"
    with engine.begin() as conn:
        token = auth.login(conn, "wang", "secret-123", device, "laptop").token
        caller = auth.authenticate(conn, f"Bearer {token}")
    hlc = clock.HybridClock()
    changes = [WireChange(seq=n + 1, type=t, id=f["id"], op="put", hlc=hlc.now(), f=f, b={})
               for n, (t, f) in enumerate(rows)]
    with engine.begin() as conn:
        reply = push.apply_batch(conn, caller, WireBatch(device, 1, len(changes), changes))
    assert reply.applied == len(changes)


def test_a_report_of_a_period_counts_what_all_history_counts(engine):
    push_all(engine, cases(random.Random(7)))
    span = shared.Period(*PERIOD)
    with db.reading(engine) as conn:
        by_period = reports.report(conn, [GRID], GRID, *(d.isoformat() for d in PERIOD))
        found, events = load_rows(conn, [GRID])
        patrol = records.record_table("patrol")
        patrols = [dict(r) for r in conn.execute(select(patrol)).mappings()]
        grids = [dict(r) for r in conn.execute(select(records.record_table("grid"))).mappings()]
        everything = shared.compute(span, GRID, found, events, patrols, grids, load_settings(conn), db.now_ms(),
                                    duty_rows.load(conn, [GRID]))
        read, _events, read_patrols = reports.load_period(conn, [GRID], span)
    assert by_period == everything and everything["reported"] > 10
    assert len(read) < len(found) / 2 and len(read_patrols) < len(patrols) / 2      # not all history


def test_times_in_other_iso_forms_are_stored_in_the_extended_form(engine):
    case = new_id()
    push_all(engine, [("incident", {"id": case, "grid_code": GRID, "category": "dispute", "title": "纠纷",
                                    "reported_at": "20260310T083000+0800"})])
    with db.reading(engine) as conn:
        inc = records.record_table("incident")
        stored = conn.execute(select(inc.c.reported_at).where(inc.c.id == case)).scalar_one()
    assert stored == "2026-03-10T08:30:00+08:00"


def test_the_period_queries_are_index_range_scans_on_sqlite(tmp_path):
    made = db.make_engine(f"sqlite:///{tmp_path / 'plan.sqlite3'}")
    db.migrate(made)
    low, high = reports.text_window(shared.Period(*PERIOD))
    with db.reading(made) as conn:
        for sql, index in (
                ("SELECT id FROM incident WHERE grid_code >= '420704100201-' AND grid_code < '420704100201.' "
                 f"AND reported_at >= '{low}' AND reported_at < '{high}'", "ix_incident_grid_reported"),
                (f"SELECT id FROM patrol WHERE grid_code = '{GRID}' AND started_at >= '{low}' "
                 f"AND started_at < '{high}'", "ix_patrol_grid_started"),
                (f"SELECT incident_id FROM incident_event WHERE grid_code = '{GRID}' AND at >= '{low}' "
                 f"AND at < '{high}' AND step = 'report'", "ix_incident_event_grid_at")):
            plan = " ".join(str(r[-1]) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
            assert f"USING INDEX {index}" in plan or f"USING COVERING INDEX {index}" in plan, plan
    made.dispose()


@pytest.mark.skipif(not os.environ.get(PG_ENV), reason="needs PostgreSQL (GRIDBOOK_TEST_PG)")
def test_reads_on_postgresql_are_planned_for_their_own_values_however_often_they_run(tmp_path):
    # psycopg prepares a statement after five runs and PostgreSQL then plans it once for any values:
    # a report's cases by id within a county took the county's grid index that way (40x slower at
    # 64 townships, bench_scale). A read is planned with its values: its plan names them, not $1.
    with station_database("pg", tmp_path) as url:
        made = db.make_engine(url)
        db.migrate(made)
        with db.reading(made) as conn:
            conn.exec_driver_sql("PREPARE cases_by_id(text[], text, text) AS SELECT * FROM incident "
                                 "WHERE id = ANY($1) AND grid_code >= $2 AND grid_code < $3 AND NOT deleted")
            run = "(ARRAY['01a20009-3cb1-7bd2-a99e-aca0551ed5ac'], '420704', '420704:')"
            for _ in range(8):
                conn.exec_driver_sql(f"EXECUTE cases_by_id{run}").all()
            plan = " ".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN EXECUTE cases_by_id{run}"))
        made.dispose()
    assert "$1" not in plan and "01a20009-3cb1-7bd2-a99e-aca0551ed5ac" in plan, plan
