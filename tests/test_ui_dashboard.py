"""The dashboard figures (Qt-free service) and the demo village they are usually shown on."""
import datetime as dt

from desktop.services import dashboard
from desktop.services.demo import create_demo, is_empty
from sync import records
from sync.validation import is_valid_id_number
from tests.conftest import GRID

CHINA = dashboard.CHINA
NOW = dt.datetime(2024, 3, 6, 15, 0, tzinfo=CHINA)          # a Wednesday
URBAN = "420704001003-01"                                  # 003: a residents' committee (社区)


def iso(days=0, hours=0) -> str:
    return (NOW + dt.timedelta(days=days, hours=hours)).isoformat()


def test_figures_per_grid_count_people_cases_patrols_and_the_quota(ledger):
    store = ledger.store
    store.put("grid", {"code": "420704001003", "name": "新华社区", "level": "village"})
    store.put("grid", {"code": URBAN, "name": "新华社区第一网格", "level": "grid", "parent_code": "420704001003"})
    home = ledger.save_household({"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三"},
                                 [{"name": "张三", "residence": "registered", "tags": ["elderly_alone"]},
                                  {"name": "张小三", "residence": "left", "tags": ["left_behind_child", "disabled"]}])
    assert home
    incident = {"category": "dispute", "title": "邻里纠纷"}
    # a safety hazard is due within a day at village level (the station's default deadlines)
    store.put("incident", {**incident, "category": "safety_hazard", "grid_code": GRID, "reported_at": iso(-1.5)})
    store.put("incident", {**incident, "grid_code": GRID, "reported_at": iso(-9), "status": "closed"})
    store.put("incident", {**incident, "grid_code": URBAN, "reported_at": iso(-1)})
    store.put("patrol", {"grid_code": GRID, "worker": "王", "started_at": iso(-1), "ended_at": iso(-1, 2.5)})
    store.put("patrol", {"grid_code": GRID, "worker": "王", "started_at": iso(-8), "ended_at": iso(-8, 3)})
    rural, urban = sorted(dashboard.figures(store, now=NOW), key=lambda g: not g.code.startswith("420704100"))
    assert (rural.code, rural.urban, urban.urban) == (GRID, False, True)
    assert rural.households == 1 and rural.residents == {"registered": 1, "left": 1}
    assert rural.key_groups == {"elderly_alone": 1, "left_behind_child": 1, "disabled": 1}
    assert (rural.open_incidents, rural.overdue_incidents) == (1, 1)
    assert rural.patrol_hours_week == 2.5                      # last week's patrol does not count
    assert rural.quota_met                                     # rural: one report this week is enough
    assert (urban.open_incidents, urban.overdue_incidents) == (1, 0)
    assert not urban.quota_met                                 # urban: nothing reported today
    village = dashboard.figures(store, "420704100201", now=NOW)
    assert [g.code for g in village] == [GRID]
    summed = dashboard.total([rural, urban], "合计")
    assert summed.open_incidents == 2 and summed.quota == 2


def test_the_demo_village_is_realistic_and_valid(store):
    now = dt.datetime(2024, 3, 6, 15, 0, tzinfo=CHINA)
    counts = create_demo(store, now=now)
    assert not is_empty(store)
    assert counts["household"] == 300 and 900 <= counts["person"] <= 1300
    assert counts["building"] > 50 and counts["organisation"] >= 5 and counts["patrol"] > 20
    people = store.list("person")
    assert all(is_valid_id_number(p["id_number"]) for p in people)
    statuses = {i["status"] for i in store.list("incident")}
    assert statuses == set(records.INCIDENT_STATUSES)
    assert any(p["tags"] for p in people)
    assert store.search("wang") and all(g.households for g in dashboard.figures(store, "420704100201", now=now))
