"""Ten-household joint defence end to end: a group with its leader and members made on a laptop, its watches and
an alert that becomes a linked case, seen at the township and in both reports with coverage per grid; the
printable contact sheet; members of another grid refused on the laptop and at the station."""
import datetime as dt
import json

import pytest
from pypdf import PdfReader

from desktop.services.defence import Defence
from desktop.services.reports import Reports
from sync.validation import ValidationError
from tests.station_support import household as station_household
from tests.station_support import new_account, running_station, station_backends
from tests.support.clients import GRID, OTHER_GRID, TOWNSHIP, Client, household, local_grids, new_user

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture(scope="module", params=station_backends())
def sync_station(request, tmp_path_factory):
    """A real station per module, on SQLite and (with GRIDBOOK_TEST_PG) on PostgreSQL."""
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))
CHINA = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def laptop(sync_station, tmp_path):
    client = Client(tmp_path / "laptop")
    local_grids(client, GRID, OTHER_GRID)
    client.login(sync_station.url, new_user(sync_station))
    yield client
    client.close()


def test_a_group_its_watch_and_an_alert_reach_the_township_and_the_reports(sync_station, laptop, tmp_path):
    homes = [laptop.put("household", household(n, phone=f"1380013800{n}")) for n in range(1, 4)]
    service = Defence(laptop.store)
    group = service.save_group({"grid_code": GRID, "name": "幸福村3组第一联防组", "leader_name": "户主1",
                                "phone": "13800138001", "household_ids": homes[:2]})
    service.join(group, [homes[0]])                       # already a member: once
    assert [m["id"] for m in service.members(group)] == homes[:2]
    service.record(group, "watch", participants="户主1、户主2", notes="夜间巡防")
    activity, case = service.alert(group, "fire", "柴草堆起火", notes="已扑灭，需排查")
    assert laptop.sync().set_aside == 0

    office = Client(tmp_path / "office")
    try:
        office.login(sync_station.url, new_user(sync_station, "township", (TOWNSHIP,)))
        office.sync()
        township = Defence(office.store)
        assert [g["leader_name"] for g in township.groups(GRID)] == ["户主1"]
        history = township.activities(group)
        assert [(a["activity"], (a["case"] or {}).get("id")) for a in history] == [("alert", case), ("watch", None)]
        raised = office.store.get("incident", case)
        assert (raised["source_type"], raised["source_id"], raised["category"]) == \
            ("defence_activity", activity, "safety_hazard")
        today = dt.datetime.now(CHINA).date().isoformat()
        report = json.loads(sync_station.cli("report", "--from", today, "--to", today, "--unit", GRID,
                                             "--format", "json").stdout)["defence"]
        assert report == [{"grid_code": GRID, "groups": 1, "households": 3, "covered": 2, "watch": 1, "drill": 0,
                           "alert": 1, "coverage": 0.6667}]
        assert Reports(office.store).compute(today, today, GRID)["defence"] == report
        assert township.coverage(GRID)[0]["coverage"] == 0.6667
    finally:
        office.close()


def test_members_of_another_grid_are_refused_on_the_laptop(laptop):
    mine = laptop.put("household", household(1))
    theirs = laptop.put("household", household(2, grid=OTHER_GRID))
    with pytest.raises(ValidationError) as refused:
        Defence(laptop.store).save_group({"grid_code": GRID, "name": "联防组", "leader_name": "甲",
                                          "household_ids": [mine, theirs]})
    assert "不在联防组所在的网格" in refused.value.message()
    too_many = [f"0190d000-0000-7000-8000-{n:012d}" for n in range(31)]
    with pytest.raises(ValidationError) as crowded:
        laptop.store.put("defence_group", {"grid_code": GRID, "name": "联防组", "leader_name": "甲",
                                           "household_ids": too_many})
    assert crowded.value.fields() == ["household_ids"]


def test_the_station_refuses_a_member_or_a_record_of_another_grid(sync_station):
    device = new_account(sync_station, grids=(GRID, OTHER_GRID))
    home, fields = station_household(OTHER_GRID)
    assert device.push([device.change("household", home, fields)]).status_code == 200
    group = "0190d000-0000-7000-8000-00000000a001"
    wrong = device.push([device.change("defence_group", group, {
        "id": group, "grid_code": GRID, "name": "跨网格组", "leader_name": "甲", "household_ids": [home]})])
    assert wrong.status_code == 422 and home in wrong.json()["rejected"][0]["message"]
    device.seq = 1
    ok = device.push([device.change("defence_group", group, {
        "id": group, "grid_code": OTHER_GRID, "name": "本网格组", "leader_name": "甲", "household_ids": [home]})])
    assert ok.status_code == 200, ok.text
    record = "0190d000-0000-7000-8000-00000000b001"
    elsewhere = device.push([device.change("defence_activity", record, {
        "id": record, "group_id": group, "grid_code": GRID, "activity": "drill", "at": "2026-03-01T20:00:00+08:00",
        "recorded_by": device.user})])
    assert elsewhere.status_code == 422 and "联防组不存在" in elsewhere.json()["rejected"][0]["message"]
    device.seq = 2
    no_type = device.push([device.change("defence_activity", record, {
        "id": record, "group_id": group, "grid_code": OTHER_GRID, "activity": "alert",
        "at": "2026-03-01T20:00:00+08:00", "recorded_by": device.user})])
    assert no_type.status_code == 422 and "警情类别" in no_type.json()["rejected"][0]["message"]


def test_the_cli_makes_a_group_and_prints_its_contact_sheet(laptop, tmp_path):
    homes = [laptop.put("household", household(n, phone=f"1390013900{n}")) for n in range(1, 3)]
    code, group, err = laptop.cli("defence", "add", "--grid", GRID, "--name", "二组联防", "--leader", "户主1",
                                  "--phone", "13900139001", "--households", homes[0])
    assert code == 0, err
    assert laptop.cli("defence", "join", group.strip(), "--households", homes[1])[0] == 0
    code, out, _ = laptop.cli("defence", "alert", group.strip(), "--type", "theft", "--title", "电动车被盗")
    assert code == 0 and laptop.store.get("incident", json.loads(out)["case"])["category"] == "public_security"
    page = tmp_path / "联系表.html"
    assert laptop.cli("defence", "sheet", group.strip(), "--out", str(page))[0] == 0
    text = page.read_text(encoding="utf-8")
    assert "十户联防组联系表" in text and "13900139001" in text and "幸福村3组2号" in text
    pdf = tmp_path / "联系表.pdf"
    assert laptop.cli("defence", "sheet", group.strip(), group.strip(), "--out", str(pdf))[0] == 0
    assert len(PdfReader(pdf).pages) == 2
    coverage = json.loads(laptop.cli("defence", "coverage", "--grid", GRID)[1])
    assert (coverage["covered"], coverage["households"], coverage["coverage"]) == (2, 2, 1.0)


def test_groups_visits_and_the_task_list_export_as_spreadsheets(tmp_path):
    from openpyxl import load_workbook

    laptop = Client(tmp_path / "laptop")
    try:
        local_grids(laptop)
        homes = [laptop.put("household", household(n)) for n in range(1, 3)]
        Defence(laptop.store).save_group({"grid_code": GRID, "name": "东片联防组", "leader_name": "户主1",
                                          "household_ids": homes})
        for record_type in ("defence_group", "visit", "task_item"):
            out = tmp_path / f"{record_type}.xlsx"
            code, _, err = laptop.cli("export", "--format", "xlsx", "--type", record_type, "--out", str(out))
            assert code == 0, err
        rows = list(load_workbook(tmp_path / "defence_group.xlsx").active.iter_rows(values_only=True))
        assert rows[0][:3] == ("编号", "所属网格", "名称") and rows[1][6] == ",".join(homes)
    finally:
        laptop.close()
