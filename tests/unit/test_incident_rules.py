"""The transition rules and the derivation, without a store: order by creation stamp, superseded steps, labels."""
import pytest

from sync import clock, incidents, messages
from sync import incident_rules as rules

GRID = "420704100201-03"


def event(hlc: int, step: str, device: str = "a", **fields) -> dict:
    return {"id": f"{device}{hlc}", "incident_id": "c", "grid_code": GRID, "step": step, "actor": "x",
            "actor_level": fields.pop("actor_level", "village"), "at": "2026-03-01T08:00:00+08:00",
            "clocks": {"id": clock.stamp(hlc, device * 36)}, **fields}


def test_the_order_is_the_creation_stamp_not_the_list_or_the_wall_clock():
    steps = [event(3, "handle"), event(1, "report"), event(2, "register", at="2030-01-01T00:00:00+08:00")]
    case = incidents.derive({"id": "c", "grid_code": GRID}, steps)
    assert [s.event["step"] for s in case.steps] == ["report", "register", "handle"]
    assert case.state.status == "handling" and all(s.applied for s in case.steps)
    assert incidents.derive(None, list(reversed(steps))).state == case.state


def test_escalation_levels_holders_and_returns():
    history = [event(1, "report"), event(2, "escalate"),
               event(3, "escalate", actor_level="township", target_level="city")]
    state = incidents.state_of(None, history)
    assert (state.level, state.holder, state.levels) == ("city", "4207", ["village", "township"])
    back = incidents.state_of(None, [*history, event(4, "return", actor_level="city", notes="由区县处理")])
    assert back.status == "returned" and back.level == "township" and back.holder == "420704100"
    dispatched = incidents.state_of(None, [*history[:2],
                                           event(5, "dispatch", actor_level="township", assignee="综治办")])
    assert (dispatched.status, dispatched.level, dispatched.holder) == ("dispatched", "township", "综治办")


def test_illegal_steps_are_superseded_with_their_reason():
    case = incidents.derive(None, [event(1, "report"), event(2, "close"), event(3, "report", "b"),
                                   event(4, "escalate", actor_level="village"), event(5, "dispatch",
                                                                                      actor_level="village",
                                                                                      assignee="x")])
    assert [(s.event["step"], s.applied) for s in case.steps] == [
        ("report", True), ("close", False), ("report", False), ("escalate", True), ("dispatch", False)]
    assert case.steps[1].reason.message("zh_CN") == "事件当前为“已上报”，不能进行“销号”。"
    assert case.steps[2].reason.code == "step_reported_twice"
    assert case.steps[4].reason.message("en") == "'dispatch' must be done at township level or above."


def test_field_rules():
    reported = incidents.state_of(None, [event(1, "report")])
    for step, fields, code in [("handle", {"agreement": "协议"}, "step_outcome"),
                               ("escalate", {"target_level": "village"}, "step_bad_target"),
                               ("first", {}, "step_not_allowed")]:
        with pytest.raises(rules.StepRefused) as refused:
            rules.check(reported, {"step": step, "actor_level": "village", **fields})
        assert refused.value.code == code, step
    top = incidents.state_of(None, [event(1, "report", target_level="city")])
    assert top.level == "city"
    with pytest.raises(rules.StepRefused) as refused:
        rules.check(top, {"step": "escalate", "actor_level": "city"})
    assert refused.value.code == "step_top_level"


def test_value_labels_know_their_field():
    assert messages.value_label("registered") == "户籍人口"
    assert messages.value_label("registered", field="status", record_type="incident") == "已登记"
    assert messages.value_label("registered", field="residence", record_type="person") == "户籍人口"
    assert messages.value_label("registered", "en", field="status") == "registered"
    assert messages.value_label("close", field="step", record_type="incident_event") == "销号"
    assert messages.value_label("registered_case") == "已登记"          # the old key still works


def test_a_case_without_steps_reads_its_record_and_takes_its_report_first(store):
    from desktop.services.incidents import Incidents
    case_id = store.put("incident", {"grid_code": GRID, "category": "dispute", "title": "导入的事件",
                                     "reported_at": "2026-03-01T08:00:00+08:00", "level": "township",
                                     "status": "escalated"})
    service = Incidents(store)
    assert (service.case(case_id).state.status, service.case(case_id).state.level) == ("escalated", "township")
    service.record(case_id, "register")
    case = service.case(case_id)
    assert [s.event["step"] for s in case.steps] == ["report", "register"]
    assert case.steps[0].event["at"] == "2026-03-01T08:00:00+08:00" and case.state.status == "registered"
    service.ensure_reported(case_id)
    assert len(service.case(case_id).steps) == 2


@pytest.mark.parametrize(("history", "step", "fields", "code"), [
    ([], "register", {}, "step_first"),                                             # a case starts with its report
    ([], "report", {"target_level": "township"}, "step_report_level"),              # 大事直报: county or city only
    ([event(1, "report"), event(2, "register")], "dispatch", {"actor_level": "village", "assignee": " "},
     "step_assignee"),
    ([event(1, "report"), event(2, "escalate")], "return", {"actor_level": "township", "notes": ""},
     "step_instruction"),
    ([event(1, "report"), event(2, "escalate"), event(3, "return", actor_level="township", notes="村里处理")],
     "return", {"actor_level": "township", "notes": "再退"}, "step_not_allowed"),
    ([event(1, "report", target_level="city")], "escalate", {"actor_level": "city"}, "step_top_level"),
    ([event(1, "report"), event(2, "escalate")], "dispatch", {"actor_level": "village", "assignee": "综治办"},
     "step_level"),
    ([event(1, "report")], "supervise", {"actor_level": "village"}, "step_level"),
])
def test_each_refusal_guard_refuses_with_its_own_message(history, step, fields, code):
    state = incidents.state_of(None, history)
    with pytest.raises(rules.StepRefused) as refused:
        rules.check(state, {"step": step, **fields})
    assert refused.value.code == code
    assert refused.value.message("en") and refused.value.message("zh_CN") != refused.value.message("en")


def test_a_return_from_village_level_has_nowhere_to_go():
    # Only a village-level case can take no return; the table allows `return` after an escalation,
    # so the guard is reached by a case escalated and brought back to village level.
    state = incidents.state_of(None, [event(1, "report")])
    escalated = incidents.CaseState(**{**state.__dict__, "status": "escalated"})
    with pytest.raises(rules.StepRefused) as refused:
        rules.check(escalated, {"step": "return", "actor_level": "county", "notes": "退回"})
    assert refused.value.code == "step_bottom_level"
    assert refused.value.message("en") == "The case is at village level: there is nowhere to return it."


def test_the_station_refuses_a_step_claiming_a_level_above_the_account():
    rules.check_actor("township", {"actor_level": "township"})
    with pytest.raises(rules.StepRefused) as refused:
        rules.check_actor("worker", {"actor_level": "county"})
    assert refused.value.message("en") == "Your account is at village level: it cannot act at county level."


def test_the_service_refuses_a_guarded_step_and_writes_nothing(store):
    from desktop.services.incidents import Incidents, StepRefused
    from desktop.store import replication

    service = Incidents(store)
    case_id = service.report({"grid_code": GRID, "category": "dispute", "title": "邻里纠纷"})
    service.record(case_id, "register")
    before = replication.pending_count(store)
    for step, fields, text in [("dispatch", {}, "分办须写明承办单位或人员。"),
                               ("return", {"notes": "补充材料"}, "事件当前为“已登记”，不能进行“退回”。"),
                               ("handle", {"agreement": "赔偿500元"}, "调解须注明是否成功。")]:
        with pytest.raises(StepRefused) as refused:
            service.record(case_id, step, **fields)
        assert refused.value.message("zh_CN") == text
    assert replication.pending_count(store) == before
    assert [s.event["step"] for s in service.case(case_id).steps] == ["report", "register"]
