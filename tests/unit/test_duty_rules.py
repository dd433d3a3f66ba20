"""The duty cycle's pure rules: visit intervals and figures, the sensitive key groups, the settings' checks."""
import datetime as dt

import pytest

from sync import incident_warnings as warnings
from sync import incidents, reports, sensitive, visits
from sync.duty_settings import bound_problems, problems

DAY = 86_400_000
START = dt.date(2026, 3, 1)
MARCH = reports.Period(START, dt.date(2026, 3, 28))                # four weeks


def at(day: int, hour: int = 10) -> str:
    return incidents.ms_iso(MARCH.start_ms + day * DAY + hour * 3_600_000)


def person(pid: str, *tags: str, grid: str = "420704100201-03") -> dict:
    return {"id": pid, "name": pid, "tags": list(tags), "household_id": "h", "grid_code": grid}


def visit(pid: str, when: str, grid: str = "420704100201-03") -> dict:
    return {"id": f"v-{pid}-{when}", "person_id": pid, "grid_code": grid, "visited_at": when, "deleted": False}


def test_the_shortest_rule_among_a_residents_tags_sets_the_interval():
    rules = warnings.DEFAULTS["visit_rules"]
    assert visits.interval(["low_income", "elderly_alone", "veteran"], rules) == (7, ["low_income", "elderly_alone"])
    assert visits.interval(["veteran", "floating"], rules) == (None, [])


def test_due_overdue_and_never_visited():
    now = MARCH.start_ms + 20 * DAY
    people = [person("a", "elderly_alone"), person("b", "elderly_alone"), person("c", "low_income"),
              person("d", "veteran")]
    seen = [visit("a", at(15)), visit("b", at(11)), visit("b", at(2)), visit("c", at(19))]
    due = visits.due_list(people, seen, None, now)
    assert [(d.person["id"], d.status) for d in due] == [("b", "overdue"), ("a", "due")]
    assert due[0].last_ms == incidents.iso_ms(at(11))
    everyone = visits.due_list([*people, person("e", "disabled")], seen, None, now, include_ok=True)
    assert [(d.person["id"], d.status) for d in everyone] == [("e", "overdue"), ("b", "overdue"), ("a", "due"),
                                                               ("c", "ok")]
    assert everyone[0].due_ms is None


def test_figures_count_interval_windows_covered_like_the_reporting_quota():
    people = [person("a", "elderly_alone"), person("b", "left_behind_child"), person("x", "elderly_alone",
                                                                                      grid="420704100201-01")]
    seen = [visit("a", at(0)), visit("a", at(3)), visit("a", at(15)), visit("b", at(27)),
            visit("x", at(1), grid="420704100201-01"), {**visit("a", at(22)), "deleted": True}]
    now = MARCH.end_ms + DAY
    rows = visits.figures(MARCH, "420704100201-03", people, seen, None, now)
    assert rows == [{"grid_code": "420704100201-03", "key_people": 2, "required": 4 + 1, "covered": 2 + 1,
                     "overdue": 1, "visits": 4, "on_time_rate": 0.6}]
    everywhere = visits.figures(MARCH, None, people, seen, None, now)
    assert [r["grid_code"] for r in everywhere] == ["420704100201-01", "420704100201-03"]


def test_a_townships_rules_override_the_defaults_for_its_grids_only():
    rows = [{"name": "visit_rules@420704100", "value": '{"elderly_alone": 3}'}]
    settings = warnings.settings_from_rows(rows)
    assert visits.rules_of(settings, "420704100201-03")["elderly_alone"] == 3
    assert visits.rules_of(settings, "420704101201-01")["elderly_alone"] == 7


@pytest.mark.parametrize("name, value, code", [
    ("visit_rules", {"lonely": 3}, "setting_key"),
    ("visit_rules", {"elderly_alone": 400}, "setting_days"),
    ("visit_rules", {"elderly_alone": 2.5}, "setting_days"),
    ("sensitive_access", {"roles": ["police"]}, "setting_key"),
    ("sensitive_access", {"who": []}, "setting_key"),
    ("assessment", {"weights": {"patrol": 1}}, "setting_weights"),
    ("assessment", {"weights": {"patrol": 0.5, "reporting": 0.5, "cases": 0.5, "visits": 0, "completeness": 0}},
     "setting_weights_sum"),
    ("assessment", {"grades": {"excellent": 80, "good": 90, "competent": 60}}, "setting_grades"),
    ("assessment", {"patrol_hours_per_day": 0}, "setting_hours"),
])
def test_bad_duty_settings_are_named(name, value, code):
    assert [c for c, _ in warnings.setting_problems(name, value)] == [code]


def test_good_duty_settings_pass_and_a_township_may_only_be_stricter():
    assert warnings.setting_problems("visit_rules", {"elderly_alone": 3, "veteran": 0}) == []
    assert warnings.setting_problems("sensitive_access", {"roles": ["worker", "township"]}) == []
    county = warnings.DEFAULTS["visit_rules"]
    assert bound_problems("visit_rules", county, {"elderly_alone": 3}) == []
    assert [c for c, _ in bound_problems("visit_rules", county, {"elderly_alone": 8})] == ["setting_bound"]
    assert [c for c, _ in bound_problems("visit_rules", county, {"elderly_alone": 0})] == ["setting_bound"]
    assert problems("assessment", {}) == []


def test_the_sensitive_groups_are_masked_and_never_lost_by_one_who_cannot_see_them():
    tags = ["severe_mental_illness", "disabled", "drug_user"]
    assert sensitive.masked(tags) == ["disabled", "protected"]
    assert sensitive.visible(tags, True) == tags
    assert sensitive.keep_hidden(["low_income", "protected"], tags, allowed=False) == \
        ["low_income", "severe_mental_illness", "drug_user"]
    assert sensitive.keep_hidden(["released_prisoner"], [], allowed=False) == []          # cannot add either
    assert sensitive.keep_hidden(["disabled"], tags, allowed=True) == ["disabled"]
    assert sensitive.keep_hidden(["disabled"], tags, allowed=True, may_remove=False) == tags    # as stored
    assert sensitive.keep_hidden(["low_income"], tags, allowed=True, may_remove=False) == \
        ["low_income", "severe_mental_illness", "drug_user"]
    assert sensitive.strip({"tags": tags}) == {"tags": ["disabled"]}
    assert not sensitive.full_view("worker", None) and sensitive.full_view("township", None)
    assert sensitive.full_view("worker", {"sensitive_access": {"roles": ["worker"]}})


def test_patrol_figures_count_hours_days_on_target_and_hazards_per_worker():
    from sync import patrols

    def patrol(pid, worker, day_, start_hour, hours, grid="420704100201-03"):
        start = MARCH.start_ms + day_ * DAY + start_hour * 3_600_000
        return {"id": pid, "worker": worker, "grid_code": grid, "started_at": incidents.ms_iso(start),
                "ended_at": incidents.ms_iso(start + int(hours * 3_600_000)), "deleted": False}

    rows = [patrol("p1", "王", 0, 8, 2), patrol("p2", "王", 0, 14, 1.5), patrol("p3", "王", 1, 9, 1),
            patrol("p4", "李", 2, 9, 3, grid="420704100201-01"), {**patrol("p5", "王", 3, 9, 8), "deleted": True},
            {**patrol("p6", "王", 4, 9, 0), "ended_at": None}, patrol("p7", "王", 40, 9, 5)]
    cases = [{"id": "c1", "source_type": "patrol", "source_id": "p2"}, {"id": "c2", "source_type": "visit",
                                                                         "source_id": "p1"}]
    now = MARCH.start_ms + 4 * DAY + 11 * 3_600_000           # p6 running for two hours
    got = patrols.figures(MARCH, "420704100201-03", rows, cases, None, now)
    assert got == [{"worker": "王", "grid_code": "420704100201-03", "hours": 6.5, "hazards": 1, "target": 3.0,
                    "days_patrolled": 3, "days_met": 1, "days": 28}]
    assert patrols.hours_on(rows, "王", dt.date(2026, 3, 1), now) == 3.5


@pytest.mark.parametrize("ended, refused", [("2026-03-01T09:59:00+08:00", True), ("2026-03-01T10:00:00+08:00", False),
                                            ("2026-03-01T02:59:00+01:00", True), ("2026-03-01T11:00:00", False)])
def test_a_patrol_cannot_end_before_it_starts(ended, refused):
    from sync.validation import ValidationError, clean_record

    values = {"id": "0190b000-0000-7000-8000-00000000a001", "grid_code": "420704100201-03", "worker": "王",
              "started_at": "2026-03-01T10:00:00+08:00", "ended_at": ended}
    if refused:
        with pytest.raises(ValidationError) as caught:
            clean_record("patrol", values)
        assert caught.value.fields() == ["ended_at"]
    else:
        assert clean_record("patrol", values)["ended_at"] == ended


@pytest.mark.parametrize("key, first, last", [
    ("2026", "2026-01-01", "2026-12-31"), ("2026-H2", "2026-07-01", "2026-12-31"),
    ("2026-Q1", "2026-01-01", "2026-03-31"), ("2024-02", "2024-02-01", "2024-02-29"),
    ("2026-12", "2026-12-01", "2026-12-31")])
def test_assessment_periods(key, first, last):
    from sync import assessment

    span = assessment.period_of(key)
    assert (span.start.isoformat(), span.end.isoformat()) == (first, last)


@pytest.mark.parametrize("key", ["2026-Q5", "2026-13", "26", "2026-H3", "2026Q1"])
def test_bad_assessment_periods(key):
    from sync import assessment

    with pytest.raises(ValueError):
        assessment.period_of(key)


def test_the_score_leaves_out_what_could_not_be_measured_and_suggests_a_grade():
    from sync import assessment

    view = warnings.DEFAULTS
    values = {"patrol": 1.0, "reporting": 0.5, "cases": None, "visits": 1.0, "completeness": 0.8}
    assert assessment.score(values, view) == round(100 * (0.25 + 0.1 + 0.2 + 0.12) / 0.8, 1)
    assert assessment.suggested_grade(83.8, view) == "good"
    assert assessment.suggested_grade(59.9, view) == "not_competent"
    assert assessment.score(dict.fromkeys(values), view) is None and assessment.suggested_grade(None, view) is None
