"""Deadlines and the five-colour lights at their boundaries, injected clocks; a wrong laptop clock changes nothing."""
import pytest

from desktop.services.incidents import Incidents
from desktop.syncing import station_clock
from sync import clock, incidents
from sync import incident_warnings as warnings
from sync.incident_warnings import DAY_MS, HOUR_MS
from tests.support.clients import GRID, Client, local_grids, new_user

T0 = incidents.iso_ms("2026-03-02T09:00:00+08:00")


def event(n: int, step: str, at_ms: int, **fields) -> dict:
    stamp = clock.stamp(clock.pack(T0 + n), "d" * 36)
    return {"id": f"e{n}", "incident_id": "c", "grid_code": GRID, "step": step, "actor": "网格员",
            "actor_level": fields.pop("actor_level", "village"), "at": incidents.ms_iso(at_ms),
            "clocks": {"id": stamp}, **fields}


def state(*events, category="dispute"):
    return incidents.state_of({"id": "c", "grid_code": GRID, "category": category}, list(events))


DUE = T0 + 3 * DAY_MS                     # a dispute has 3 days at village level by default


@pytest.mark.parametrize("now, light", [
    (DUE - 24 * HOUR_MS - 1, None),        # more than a day left
    (DUE - 24 * HOUR_MS, "yellow"),        # due within 24 hours
    (DUE - 1, "yellow"),
    (DUE, "light_red"),                    # overdue from the deadline on
    (DUE + DAY_MS, "light_red"),           # up to one day
    (DUE + DAY_MS + 1, "purple"),
    (DUE + 3 * DAY_MS, "purple"),          # up to three days
    (DUE + 3 * DAY_MS + 1, "red"),
])
def test_colours_at_their_boundaries(now, light):
    reported = state(event(1, "report", T0))
    assert warnings.deadline_ms(reported) == DUE
    assert warnings.colour(reported, now) == light


def test_each_level_has_its_own_deadline_counted_from_the_escalation():
    escalated = state(event(1, "report", T0), event(2, "escalate", T0 + DAY_MS))
    assert warnings.deadline_ms(escalated) == T0 + DAY_MS + 7 * DAY_MS     # township: 7 days for a dispute
    hazard = state(event(1, "report", T0), category="safety_hazard")
    assert warnings.deadline_ms(hazard) == T0 + DAY_MS
    direct = state(event(1, "report", T0, target_level="county"))
    assert (direct.level, warnings.deadline_ms(direct)) == ("county", T0 + 15 * DAY_MS)


def test_supervised_and_returned_cases_are_blue_and_closed_ones_dark():
    late = DUE + 10 * DAY_MS
    supervised = state(event(1, "report", T0), event(2, "supervise", T0 + 1, actor_level="township"))
    assert warnings.colour(supervised, late) == "blue"
    returned = state(event(1, "report", T0), event(2, "escalate", T0 + 1),
                     event(3, "return", T0 + 2, actor_level="township", notes="请先行调解"))
    assert (returned.status, returned.level, warnings.colour(returned, T0)) == ("returned", "village", "blue")
    closed = state(event(1, "report", T0), event(2, "handle", T0 + 1), event(3, "feedback", T0 + 2),
                   event(4, "close", T0 + 3))
    assert warnings.colour(closed, late) is None and warnings.deadline_ms(closed) is None


def test_station_settings_change_the_thresholds():
    settings = warnings.settings_from_rows([
        {"name": warnings.COLOURS_SETTING, "value": '{"yellow_within_hours": 48, "blue_when": []}'},
        {"name": warnings.DEADLINES_SETTING, "value": '{"dispute": {"village": 1}}'}])
    reported = state(event(1, "report", T0), event(2, "supervise", T0 + 1, actor_level="township"))
    due = T0 + DAY_MS
    assert warnings.deadline_ms(reported, settings) == due
    assert warnings.colour(reported, due - 48 * HOUR_MS, settings) == "yellow"
    assert warnings.colour(reported, due - 48 * HOUR_MS - 1, settings) is None
    broken = warnings.settings_from_rows([{"name": warnings.COLOURS_SETTING, "value": "not json"}])
    assert broken == warnings.DEFAULTS


@pytest.mark.usefixtures("file_tokens")
def test_a_laptop_clock_a_year_wrong_colours_cases_as_the_station_does(sync_station, tmp_path):
    laptop = Client(tmp_path / "laptop")
    try:
        local_grids(laptop)
        laptop.login(sync_station.url, new_user(sync_station))
        year = 365 * DAY_MS
        for wrong in (+year, -year):
            def laptop_clock(shift=0, wrong=wrong):
                return station_clock.local_ms() + wrong + shift
            offset = station_clock.record_offset(laptop.engine, clock=laptop_clock)
            assert abs(offset + wrong) < 60_000                       # it saw the year
            # a dispute reported 2.5 days ago by the station's clock: due in 12 hours, yellow
            back = Incidents(laptop.store, clock=lambda: laptop_clock(-int(2.5 * DAY_MS)))
            case_id = back.report({"grid_code": GRID, "category": "dispute", "title": f"纠纷{wrong}"})
            service = Incidents(laptop.store, clock=laptop_clock)
            row = next(r for r in service.cases() if r.incident["id"] == case_id)
            assert row.colour == "yellow"
            assert abs(row.deadline_ms - (station_clock.local_ms() + 12 * HOUR_MS)) < 60_000
            uncorrected = warnings.colour(row.state, laptop_clock())
            assert uncorrected == ("red" if wrong > 0 else None)       # what the wrong clock alone would say
    finally:
        laptop.close()
