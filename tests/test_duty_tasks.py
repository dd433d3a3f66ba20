"""The task list end to end: a township's ledger imported at the station (again: nothing changes) or published
from its laptop, synced down to the grids it applies to, marked done by workers, overdue on the workbench,
completion rates in the station's and the desktop's reports; only townships publish."""
import datetime as dt
import json

import pytest

from desktop.services.reports import Reports
from desktop.services.tasks import Tasks
from sync import tasks
from sync.validation import ValidationError
from tests.station_support import new_account, running_station, station_backends
from tests.support.clients import GRID, TOWNSHIP, VILLAGE, Client, local_grids, new_user

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture(scope="module", params=station_backends())
def sync_station(request, tmp_path_factory):
    """A real station per module, on SQLite and (with GRIDBOOK_TEST_PG) on PostgreSQL."""
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))
CHINA = dt.timezone(dt.timedelta(hours=8))


def ledger_file(tmp_path, today: dt.date):
    path = tmp_path / "事务清单.csv"
    yesterday = dt.datetime.combine(today - dt.timedelta(days=1), dt.time(17), CHINA).isoformat()
    path.write_text("\ufeff事项,完成标准,责任人,频次,截止时间,起始日期\n"
                    f"安全隐患日排查,巡查记录上传,网格员,每日,,{(today - dt.timedelta(days=10)).isoformat()}\n"
                    f"春节前消防检查,每户签字,网格员,一次性,{yesterday},\n"
                    "季度矛盾纠纷排查,形成台账,村,每季度,,\n", encoding="utf-8")
    return path


@pytest.fixture
def worker(sync_station, tmp_path):
    laptop = Client(tmp_path / "laptop")
    local_grids(laptop)
    laptop.login(sync_station.url, new_user(sync_station))
    yield laptop
    laptop.close()


def test_a_ledger_imported_at_the_station_reaches_the_grid_is_done_there_and_counts_in_the_reports(
        sync_station, worker, tmp_path):
    today = dt.datetime.now(CHINA).date()
    unit = "420704100202"                # another village of the township: its own items, none of ours
    path = ledger_file(tmp_path, today)
    done = sync_station.cli("task", "import", str(path), "--unit", VILLAGE)
    assert done.returncode == 0 and "3" in done.stdout, done.stderr
    assert "0 项" in sync_station.cli("task", "import", str(path), "--unit", VILLAGE).stdout     # again: no change
    assert sync_station.cli("task", "add", "--unit", unit, "--title", "和平村自有事项", "--deadline",
                            "2030-01-01T00:00:00+08:00").returncode == 0
    sheet = tmp_path / "清单.xlsx"
    assert sync_station.cli("task", "list", "--unit", VILLAGE, "--out", str(sheet)).returncode == 0
    assert "0 项" in sync_station.cli("task", "import", str(sheet), "--unit", VILLAGE).stdout      # round trip

    worker.sync()
    service = Tasks(worker.store)
    board = {s.item["title"]: s for s in service.board(GRID)}
    assert set(board) == {"安全隐患日排查", "春节前消防检查", "季度矛盾纠纷排查"}
    assert board["安全隐患日排查"].status == "overdue" and board["春节前消防检查"].status == "overdue"
    assert board["季度矛盾纠纷排查"].status == "open"
    daily, once = board["安全隐患日排查"].item["id"], board["春节前消防检查"].item["id"]
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    service.mark_done(daily, GRID, "已上传巡查记录", period=yesterday)
    service.mark_done(once, GRID, "全组签字")
    service.mark_done(once, GRID, "全组签字（补充）")          # the same record again, never a second one
    assert len(worker.store.list("task_done")) == 2
    assert [s.item["title"] for s in service.overdue(GRID)] == []
    assert worker.sync().set_aside == 0

    start = (today - dt.timedelta(days=10)).isoformat()
    report = json.loads(sync_station.cli("report", "--from", start, "--to", today.isoformat(), "--unit", GRID,
                                         "--format", "json").stdout)["tasks"]
    assert report == [{"grid_code": GRID, "items": 3, "due": 11, "done": 2, "completion_rate": round(2 / 11, 4),
                       "overdue": 0}]
    assert Reports(worker.store).compute(start, today.isoformat(), GRID)["tasks"] == report
    note = next(d for d in worker.store.list("task_done") if d["task_id"] == once)
    assert note["note"] == "全组签字（补充）" and note["period"] == "once"


def test_a_township_publishes_from_its_laptop_and_only_townships_may(sync_station, worker, tmp_path):
    office = Client(tmp_path / "office")
    try:
        office.login(sync_station.url, new_user(sync_station, "township", (TOWNSHIP,)))
        office.sync()
        township = Tasks(office.store)
        item = township.publish(TOWNSHIP, "每月出租房屋核查", frequency="monthly", done_when="核查表上传")
        assert office.sync().set_aside == 0
        worker.sync()
        mine = Tasks(worker.store)
        assert [s.item["id"] for s in mine.board(GRID) if s.item["id"] == item] == [item]
        with pytest.raises(ValidationError) as refused:
            mine.publish(GRID, "网格员自己发布")
        assert "只有乡镇" in refused.value.message()
        mine.mark_done(item, GRID, "本月已核查")
        worker.sync()
        office.sync()
        assert [d["note"] for d in office.store.list("task_done") if d["task_id"] == item] == ["本月已核查"]
    finally:
        office.close()


def test_the_station_refuses_a_workers_item_a_workers_withdrawal_and_a_done_item_that_is_not_the_grids(
        sync_station):
    sync_station.cli("task", "add", "--unit", "420704101", "--title", "碧石渡镇事项", "--deadline",
                     "2030-01-01T00:00:00+08:00")
    theirs = tasks.item_id("420704101", "碧石渡镇事项")
    sync_station.cli("task", "add", "--unit", TOWNSHIP, "--title", "汀祖镇事项", "--deadline",
                     "2030-01-01T00:00:00+08:00")
    ours = tasks.item_id(TOWNSHIP, "汀祖镇事项")
    device = new_account(sync_station, grids=(GRID,))
    assert ("task_item", ours) in device.pull_all() and ("task_item", theirs) not in device.pull_all()
    item = "0190c000-0000-7000-8000-00000000a001"
    publish = device.push([device.change("task_item", item, {"id": item, "grid_code": GRID, "title": "自定事项",
                                                             "owner_role": "worker", "frequency": "daily"})])
    assert publish.status_code == 422 and "只有乡镇" in publish.json()["rejected"][0]["message"]
    device.seq = 0
    withdraw = device.push([device.change("task_item", ours, {"deleted": True}, op="delete")])
    assert withdraw.status_code == 422 and "只有乡镇" in withdraw.json()["rejected"][0]["message"]
    device.seq = 0
    done_id = tasks.done_id(theirs, GRID, "once")
    elsewhere = device.push([device.change("task_done", done_id, {
        "id": done_id, "task_id": theirs, "grid_code": GRID, "period": "once", "done_by": device.user,
        "done_at": "2026-03-01T10:00:00+08:00"})])
    assert elsewhere.status_code == 422 and "不适用于该网格" in elsewhere.json()["rejected"][0]["message"]
    device.seq = 0
    bad_period = tasks.done_id(ours, GRID, "下周")
    period = device.push([device.change("task_done", bad_period, {
        "id": bad_period, "task_id": ours, "grid_code": GRID, "period": "下周", "done_by": device.user,
        "done_at": "2026-03-01T10:00:00+08:00"})])
    assert period.status_code == 422 and "2026-W11" in period.json()["rejected"][0]["message"]


def test_the_cli_lists_and_marks_items(sync_station, worker):
    sync_station.cli("task", "add", "--unit", GRID, "--title", "门前三包检查", "--frequency", "weekly")
    worker.sync()
    code, out, _ = worker.cli("task", "list", "--grid", GRID, "--json")
    row = next(json.loads(line) for line in out.splitlines() if "门前三包检查" in line)
    assert code == 0 and row["status"] == "open" and row["period"].startswith(str(dt.date.today().year))
    assert worker.cli("task", "done", row["id"], "--grid", GRID, "--note", "已检查")[0] == 0
    code, out, _ = worker.cli("task", "list", "--grid", GRID)
    assert any(line.startswith("已完成") and "门前三包检查" in line for line in out.splitlines())
    refused = worker.cli("task", "add", "--unit", GRID, "--title", "x")
    assert refused[0] == 2 and "只有乡镇" in refused[2]
