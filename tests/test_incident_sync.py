"""Cases end to end: a village laptop and a township office sync one case's steps through a real station."""
import pytest

from desktop.services.incidents import Incidents, StepRefused
from desktop.store import replication
from sync import incident_warnings as warnings
from sync import incidents, messages
from sync.ids import new_id
from tests.station_support import running_station, station_backends
from tests.support.clients import GRID, TOWNSHIP, Client, local_grids, new_user, station_records

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture(scope="module", params=station_backends())
def sync_station(request, tmp_path_factory):
    """A real station per module, on SQLite and (with GRIDBOOK_TEST_PG) on PostgreSQL."""
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))

CASE = {"grid_code": GRID, "category": "dispute", "title": "宅基地边界纠纷", "parties": "张三、李四"}


@pytest.fixture
def pair(sync_station, tmp_path):
    """A village worker's laptop and a township office, both logged in."""
    worker, township = new_user(sync_station), new_user(sync_station, "township", (TOWNSHIP,))
    laptop, office = Client(tmp_path / "laptop"), Client(tmp_path / "office")
    local_grids(laptop)
    laptop.login(sync_station.url, worker)
    office.login(sync_station.url, township)
    yield laptop, office
    laptop.close()
    office.close()


def history(client: Client, case_id: str) -> list[tuple[str, str, bool]]:
    case = Incidents(client.store).case(case_id)
    return [(s.event["id"], s.event["step"], s.applied) for s in case.steps]


def test_a_case_reported_offline_escalated_dispatched_handled_and_closed(pair, sync_station):
    laptop, office = pair
    village, township = Incidents(laptop.store), Incidents(office.store)
    case_id = village.report(CASE)                      # offline: nothing synced yet
    village.record(case_id, "register")
    village.record(case_id, "handle", mediation_parties="张三、李四", agreement="双方各退半米", outcome="failure")
    village.record(case_id, "escalate", notes="调解未果，提请乡镇处理")
    assert village.case(case_id).state.status == "escalated" and village.case(case_id).state.level == "township"
    assert laptop.sync().set_aside == 0

    office.sync()
    inbox = township.inbox()
    assert [r.incident["id"] for r in inbox] == [case_id] and inbox[0].state.holder == TOWNSHIP
    township.record(case_id, "dispatch", assignee="司法所 王明")
    township.record(case_id, "handle", mediation_parties="张三、李四", agreement="重新测量，按界桩为准",
                    outcome="success")
    office.sync()
    laptop.sync()
    village.record(case_id, "feedback", result="当事人满意")
    laptop.sync()
    office.sync()
    township.record(case_id, "close")
    office.sync()
    laptop.sync()

    mine, theirs = village.case(case_id), township.case(case_id)
    assert [s.event["step"] for s in mine.steps] == ["report", "register", "handle", "escalate", "dispatch",
                                                      "handle", "feedback", "close"]
    assert history(laptop, case_id) == history(office, case_id)
    assert all(s.applied for s in mine.steps)
    for state in (mine.state, theirs.state):
        assert (state.status, state.level, state.mediation, state.assignee) == \
            ("closed", "township", "success", "司法所 王明")
    at_station = station_records(sync_station, "incident_event", [s.event["id"] for s in mine.steps])
    assert incidents.derive(None, list(_with_clocks(sync_station, at_station))).state.status == "closed"


def _with_clocks(station, rows: dict):
    """The station's rows with their stamps (station_records leaves the stamps out)."""
    from sqlalchemy import select

    from sync import records
    table = records.record_table("incident_event")
    engine = station.engine()
    try:
        with engine.connect() as conn:
            yield from (dict(r) for r in conn.execute(select(table).where(table.c.id.in_(list(rows)))).mappings())
    finally:
        engine.dispose()


def test_two_devices_add_steps_offline_and_both_keep_them(pair, sync_station, tmp_path):
    laptop, office = pair
    village, township = Incidents(laptop.store), Incidents(office.store)
    case_id = village.report(CASE)
    village.record(case_id, "escalate")
    laptop.sync()
    office.sync()
    # both offline now: the village adds a note-taking step, the township dispatches and supervises
    village.record(case_id, "classify", category="safety_hazard", notes="发现墙体开裂")
    township.record(case_id, "dispatch", assignee="安监站")
    township.record(case_id, "supervise", notes="三日内办结")
    laptop.sync()
    office.sync()
    laptop.sync()
    mine, theirs = history(laptop, case_id), history(office, case_id)
    assert mine == theirs and len(mine) == 5
    assert sorted(step for _id, step, _applied in mine) == ["classify", "dispatch", "escalate", "report",
                                                             "supervise"]
    state = village.case(case_id).state
    assert (state.category, state.assignee, state.supervised) == ("safety_hazard", "安监站", True)


def test_concurrent_steps_illegal_once_ordered_are_kept_as_superseded(pair, sync_station):
    laptop, office = pair
    village, township = Incidents(laptop.store), Incidents(office.store)
    case_id = village.report(CASE)
    for step in ("register", "handle", "feedback"):
        village.record(case_id, step)
    laptop.sync()
    office.sync()
    village.record(case_id, "close")                    # offline, both legal where they were recorded
    township.record(case_id, "handle", notes="当事人又来反映")
    laptop.sync()
    office.sync()
    laptop.sync()
    mine, theirs = history(laptop, case_id), history(office, case_id)
    assert mine == theirs and len(mine) == 6            # every step kept, in the same order
    case = village.case(case_id)
    superseded = [s for s in case.steps if not s.applied]
    assert len(superseded) == 1 and superseded[0].event["step"] in ("close", "handle")
    assert superseded[0].reason.code == "step_not_allowed"
    assert case.state == township.case(case_id).state


def test_an_illegal_step_is_refused_on_the_device_and_at_the_station(pair, sync_station):
    laptop, _office = pair
    village = Incidents(laptop.store)
    case_id = village.report(CASE)
    with pytest.raises(StepRefused) as refused:
        village.record(case_id, "close")
    assert refused.value.message("zh_CN") == "事件当前为“已上报”，不能进行“销号”。"
    assert refused.value.message("en") == "The case is reported: it cannot take the step 'close' now."
    # pushed anyway, around the service: the station refuses it and the laptop sets it aside with the reason
    laptop.put("incident_event", {"incident_id": case_id, "grid_code": GRID, "step": "close", "actor": "x",
                                  "actor_level": "village", "at": "2026-01-01T08:00:00+08:00",
                                  "prior": [s.event["id"] for s in village.case(case_id).steps]})
    result = laptop.sync()
    assert result.set_aside == 1
    aside = laptop.cli("status", "--json")[1]
    assert "不能进行“销号”" in aside
    case = village.case(case_id)
    assert case.state.status == "reported"                  # the refused step counts nowhere
    assert [(s.event["step"], s.applied) for s in case.steps] == [("report", True), ("close", False)]
    assert case.steps[1].reason.message().startswith("乡镇站未接受：")
    # a worker's device cannot claim township level either
    laptop.put("incident_event", {"incident_id": case_id, "grid_code": GRID, "step": "escalate", "actor": "x",
                                  "actor_level": "township", "at": "2026-01-01T08:00:00+08:00", "prior": []})
    assert laptop.sync().set_aside == 1
    assert messages.render("step_actor_level", "en", actual="village", claimed="township")


def test_the_station_refuses_edited_steps_steps_of_no_case_and_device_settings(pair, sync_station):
    """The station's own guards (sync/station/incident_check.py), each set aside with its reason."""
    laptop, _office = pair
    village = Incidents(laptop.store)
    case_id = village.report(CASE)
    laptop.sync()
    [report] = village.case(case_id).steps
    laptop.put("incident_event", {"id": report.event["id"], "notes": "改写已上报的环节"})      # steps are append-only
    laptop.put("incident_event", {"incident_id": new_id(), "grid_code": GRID, "step": "report", "actor": "x",
                                  "actor_level": "village", "at": "2026-01-01T08:00:00+08:00", "prior": []})
    laptop.put("setting", {"id": warnings.setting_id(warnings.DEADLINES_SETTING), "name": warnings.DEADLINES_SETTING,
                           "value": "{}"})
    assert laptop.sync().set_aside == 3
    reasons = [c["reason"] for c in replication.set_aside_changes(laptop.store)]
    assert len(reasons) == 3
    assert "办理环节只能追加，不能修改或删除。" in reasons[0]
    assert "该环节所属事件或网格与事件不符。" in reasons[1]
    assert "设置由乡镇站统一管理" in reasons[2]
    station_case = station_records(sync_station, "incident_event", [report.event["id"]])[report.event["id"]]
    assert not station_case.get("notes")                   # the edit never reached the station's copy
