"""Key-group visits end to end: recorded on a village laptop, synced through a real station, seen by the
township's laptop and in both reports; visit rules per unit; the sensitive key groups masked and kept."""
import datetime as dt
import json

import pytest

from desktop.services import Ledger
from desktop.services.reports import Reports
from desktop.services.visits import Visits
from sync import incidents
from sync.validation import ValidationError
from tests.station_support import household as station_household
from tests.station_support import new_account, running_station, station_backends
from tests.support.clients import GRID, OTHER_GRID, TOWNSHIP, Client, household, local_grids, new_user

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture(scope="module", params=station_backends())
def sync_station(request, tmp_path_factory):
    """A real station per module, on SQLite and (with GRIDBOOK_TEST_PG) on PostgreSQL."""
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))
ELDER = {"name": "王奶奶", "id_number": "11010519491231002X", "relation_to_head": "户主", "tags": ["elderly_alone"]}
PATIENT = {"name": "王二", "relation_to_head": "子", "tags": ["severe_mental_illness", "disabled"]}


@pytest.fixture
def pair(sync_station, tmp_path):
    """A village worker's laptop holding a household with two key-group residents, and a township office."""
    laptop, office = Client(tmp_path / "laptop"), Client(tmp_path / "office")
    local_grids(laptop)
    laptop.login(sync_station.url, new_user(sync_station))
    office.login(sync_station.url, new_user(sync_station, "township", (TOWNSHIP,)))
    home = laptop.put("household", household(1))
    elder = laptop.put("person", {**ELDER, "household_id": home})
    patient = laptop.put("person", {**PATIENT, "household_id": home})
    yield laptop, office, home, elder, patient
    laptop.close()
    office.close()


def test_a_visit_and_the_case_its_need_raises_reach_the_township_and_both_reports(pair, sync_station):
    laptop, office, home, elder, patient = pair
    village = Visits(laptop.store)
    assert {d.person["id"]: d.status for d in village.due(GRID)} == {elder: "overdue", patient: "overdue"}
    visit = village.record(elder, method="home", findings="独居，身体尚可", needs="屋顶漏雨，请求修缮")
    case = village.raise_case(visit, "王奶奶家屋顶漏雨")
    assert [d.person["id"] for d in village.due(GRID)] == [patient]      # the elder is visited for a week
    assert laptop.sync().set_aside == 0

    office.sync()
    township = Visits(office.store)
    history = township.history(elder)
    assert [(v["id"], v["method"], v["needs"], v["grid_code"], v["household_id"]) for v in history] == \
        [(visit, "home", "屋顶漏雨，请求修缮", GRID, home)]
    assert history[0]["cases"] == [{"id": case, "title": "王奶奶家屋顶漏雨"}]
    raised = office.store.get("incident", case)
    assert (raised["source_type"], raised["source_id"], raised["category"]) == ("visit", visit, "livelihood")

    today = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()
    start = today.replace(day=1)
    done = sync_station.cli("report", "--from", start.isoformat(), "--to", today.isoformat(), "--unit", GRID,
                            "--format", "json")
    assert done.returncode == 0, done.stderr
    station = json.loads(done.stdout)["visits"]
    assert [(v["grid_code"], v["key_people"], v["visits"], v["overdue"]) for v in station] == [(GRID, 2, 1, 1)]
    desktop = Reports(office.store).compute(start, today, GRID)["visits"]
    assert desktop == station
    text = sync_station.cli("report", "--unit", GRID).stdout
    assert "重点人群走访" in text and "按时走访率" in text


def test_the_station_refuses_a_visit_filed_in_another_grid_than_its_household(sync_station):
    worker = new_account(sync_station, grids=(GRID, OTHER_GRID))
    home, fields = station_household(OTHER_GRID)
    person = "0190a000-0000-7000-8000-00000000b001"
    visit = "0190a000-0000-7000-8000-00000000c001"
    base = worker.push([worker.change("household", home, fields),
                        worker.change("person", person, {"id": person, "name": "李四", "household_id": home})])
    assert base.status_code == 200, base.text
    wrong = worker.push([worker.change("visit", visit, {
        "id": visit, "grid_code": GRID, "person_id": person, "household_id": home, "visitor": worker.user,
        "visited_at": "2026-03-01T09:00:00+08:00", "method": "home"})])
    assert wrong.status_code == 422
    assert "走访只能记在本网格的户上" in wrong.json()["rejected"][0]["message"]
    stranger = "0190a000-0000-7000-8000-00000000b002"
    other_home, other_fields = station_household(OTHER_GRID, head_name="赵六")
    worker.seq = 2                                       # the refused change was never applied
    not_member = worker.push([worker.change("household", other_home, other_fields),
                              worker.change("person", stranger, {"id": stranger, "name": "钱七",
                                                                 "household_id": other_home}),
                              worker.change("visit", visit, {
                                  "id": visit, "grid_code": OTHER_GRID, "person_id": stranger, "household_id": home,
                                  "visitor": worker.user, "visited_at": "2026-03-01T09:00:00+08:00",
                                  "method": "phone"})])
    assert not_member.status_code == 422 and "不是该户的成员" in not_member.json()["rejected"][0]["message"]
    outsider = new_account(sync_station, grids=(GRID,))
    elsewhere = outsider.push([outsider.change("visit", visit, {
        "id": visit, "grid_code": OTHER_GRID, "person_id": person, "household_id": home, "visitor": outsider.user,
        "visited_at": "2026-03-01T09:00:00+08:00", "method": "home"})])
    assert elsewhere.status_code == 403                  # a grid not the worker's: out of scope


def test_visit_rules_are_a_unit_setting_checked_at_the_station_and_pulled(pair, sync_station):
    laptop, _office, _home, elder, _patient = pair
    village = Visits(laptop.store)
    village.record(elder, visited_at=incidents.ms_iso(village.cases.now_ms() - 84 * 3_600_000))
    assert elder not in {d.person["id"] for d in village.due(GRID)}          # weekly: 3.5 days left, not yet due
    laxer = sync_station.cli("setting", "set", "visit_rules", '{"elderly_alone": 30}', "--unit", TOWNSHIP)
    assert laxer.returncode == 2 and "乡镇只能定得更严" in laxer.stderr
    unknown = sync_station.cli("setting", "set", "visit_rules", '{"lonely": 3}', "--unit", TOWNSHIP)
    assert unknown.returncode == 2 and "lonely" in unknown.stderr
    assert sync_station.cli("setting", "set", "visit_rules", '{"elderly_alone": 3}', "--unit", TOWNSHIP).returncode == 0
    laptop.sync()
    due = {d.person["id"]: d for d in village.due(GRID)}
    assert due[elder].status == "overdue" and due[elder].interval_days == 3
    shown = sync_station.cli("setting", "show", "visit_rules", "--unit", TOWNSHIP)
    assert json.loads(shown.stdout)["elderly_alone"] == 3
    sync_station.cli("setting", "set", "visit_rules", "{}", "--unit", TOWNSHIP)       # as it was, for the others


def test_the_sensitive_groups_are_masked_left_out_of_exports_and_shown_to_roles_the_township_allows(
        pair, sync_station, tmp_path):
    laptop, _office, _home, _elder, patient = pair
    code, out, _ = laptop.cli("list", "person")
    listed = {row["id"]: row for row in map(json.loads, out.splitlines())}
    assert code == 0 and listed[patient]["tags"] == ["disabled", "protected"]
    assert json.loads(laptop.cli("get", "person", patient)[1])["tags"] == ["disabled", "protected"]
    sheet = tmp_path / "人口.xlsx"
    assert laptop.cli("export", "--format", "xlsx", "--type", "person", "--out", str(sheet))[0] == 0
    from openpyxl import load_workbook
    cells = [c.value for row in load_workbook(sheet).active.iter_rows() for c in row]
    assert "残疾人" in cells and not any("精神" in str(c) for c in cells if c)
    refused = laptop.cli("export", "--format", "json", "--type", "person", "--include-sensitive")
    assert refused[0] == 2 and "敏感" in refused[2]
    # the sheet imported back (merged by ID number) keeps what it left out
    code, _, err = laptop.cli("import", str(sheet), "--type", "person", "--grid", GRID)
    assert code == 0, err
    assert laptop.store.get("person", patient)["tags"] == ["severe_mental_illness", "disabled"]

    assert sync_station.cli("setting", "set", "sensitive_access", '{"roles": ["worker", "township"]}', "--unit",
                            TOWNSHIP).returncode == 0
    laptop.sync()
    try:
        assert Ledger(laptop.store).full_view(GRID)
        assert json.loads(laptop.cli("get", "person", patient)[1])["tags"] == ["severe_mental_illness", "disabled"]
        code, out, _ = laptop.cli("export", "--format", "json", "--type", "person", "--include-sensitive")
        assert code == 0 and "severe_mental_illness" in out
        assert json.loads(laptop.cli("list", "person")[1].splitlines()[-1])["tags"][-1] == "protected"
    finally:
        sync_station.cli("setting", "set", "sensitive_access", '{"roles": ["township", "county"]}', "--unit",
                         TOWNSHIP)


def test_the_cli_records_a_visit_lists_due_and_raises_a_case(pair):
    laptop, _office, _home, elder, patient = pair
    code, out, err = laptop.cli("visit", "due", "--grid", GRID, "--json")
    due = [json.loads(line) for line in out.splitlines()]
    assert code == 0, err
    assert {d["person_id"]: d["tags"] for d in due} == {elder: ["elderly_alone"], patient: ["disabled", "protected"]}
    code, visit, err = laptop.cli("visit", "add", "--person", elder, "--method", "phone", "--needs", "想办理高龄补贴")
    assert code == 0, err
    code, case, _ = laptop.cli("visit", "case", visit.strip(), "--title", "高龄补贴申请")
    assert code == 0 and laptop.store.get("incident", case.strip())["source_id"] == visit.strip()
    history = [json.loads(line) for line in laptop.cli("visit", "list", "--person", elder)[1].splitlines()]
    assert history[0]["method"] == "phone" and history[0]["cases"][0]["title"] == "高龄补贴申请"
    assert "王奶奶" not in laptop.cli("visit", "due", "--grid", GRID)[1]
    bad = laptop.cli("visit", "add", "--person", elder, "--at", "昨天")
    assert bad[0] == 2 and "走访时间" in bad[2]



def test_a_visits_photo_goes_up_after_the_records_and_the_township_can_fetch_it(pair):
    from desktop.services.incident_photos import photo_bytes

    laptop, office, _home, elder, _patient = pair
    picture = b"\xff\xd8\xff\xe0 visit photo " + bytes(range(256)) * 40
    service = Visits(laptop.store)
    visit = service.record(elder, findings="屋内整洁", photo=picture)
    assert service.photo_path(laptop.store.get("visit", visit)) is not None
    assert laptop.sync().set_aside == 0
    office.sync()
    seen = office.store.get("visit", visit)
    assert seen["photo_size"] == len(picture) and Visits(office.store).photo_path(seen) is None
    fetched = office.engine.fetch_photo(seen["photo_sha256"])
    assert photo_bytes(fetched) == picture
    with pytest.raises(ValidationError) as half:            # a checksum without its size is no photo
        laptop.store.put("visit", {"id": visit, "photo_size": None})
    assert half.value.fields() == ["photo_size"]
