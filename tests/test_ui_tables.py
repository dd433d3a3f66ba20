"""Table models over the store: 200,000 residents open without loading them all; sort, filter, fetch."""
import orjson
import pytest
from PySide6.QtCore import Qt

from desktop.services import Ledger
from desktop.store import open_store
from desktop.store.queries import Filter
from desktop.ui.app import create_application
from desktop.ui.pages import RecordPage
from desktop.ui.table_model import PAGE_SIZE, RecordTableModel
from desktop.ui.tasks import TaskRunner
from tests.conftest import GRID

ROWS = 200_000


@pytest.fixture(scope="module")
def big_ledger(tmp_path_factory):
    """200,000 residents in 40,000 households, written with one bulk insert (fast, no FTS)."""
    store = open_store(tmp_path_factory.mktemp("big"))
    ledger = Ledger(store)
    store.put("grid", {"code": "420704100201", "name": "幸福村", "level": "village"})
    store.put("grid", {"code": GRID, "name": "幸福村第三网格", "level": "grid", "parent_code": "420704100201"})
    households = [(f"00000000-0000-7000-8000-{i:012d}", GRID if i % 2 else "420704100201-04", f"幸福村{i}号",
                   f"户主{i}", "[]", "{}", 0) for i in range(ROWS // 5)]
    tags = orjson.dumps(["elderly_alone"]).decode()
    people = [(f"00000000-0000-7000-9000-{i:012d}", households[i // 5][0], f"居民{i:06d}",
               "registered", tags if i % 100 == 0 else "[]", "{}", 0) for i in range(ROWS)]
    ledger.store.put("grid", {"code": "420704100201-04", "name": "幸福村第四网格", "level": "grid",
                              "parent_code": "420704100201"})
    with ledger.store.atomic() as conn:
        conn.exec_driver_sql("INSERT INTO household (id, grid_code, address, head_name, tags, clocks, deleted) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", households)
        conn.exec_driver_sql("INSERT INTO person (id, household_id, name, residence, tags, clocks, deleted) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?)", people)
    yield ledger
    store.engine.dispose()


def test_residents_page_over_200000_rows_loads_one_page(qtbot, big_ledger):
    create_application(lang="zh_CN")
    runner = TaskRunner()
    page = RecordPage(big_ledger, "person", runner)         # pages are read on a worker thread
    qtbot.addWidget(page)
    page.show()
    model = page.model
    assert model.is_loading() and not model.canFetchMore()  # one page at a time
    qtbot.waitUntil(lambda: model.rowCount() == PAGE_SIZE)
    assert model.canFetchMore()
    qtbot.waitUntil(lambda: page.count_label.text() != "")
    assert "200,000" in page.count_label.text()
    page.view.scrollToBottom()                      # the view asks for the next page itself
    qtbot.waitUntil(lambda: model.rowCount() >= 2 * PAGE_SIZE)
    assert model.rowCount() < 10 * PAGE_SIZE
    runner.shutdown()


def test_sorting_and_filters_requery_the_store(big_ledger):
    model = RecordTableModel(big_ledger, "person", page_size=800)    # fewer round trips over 200,000 rows
    name = model.columns.index("name")
    model.sort(name, Qt.SortOrder.DescendingOrder)
    assert model.record(0)["name"] == f"居民{ROWS - 1:06d}"
    tagged = Filter(grid="420704100201-04", tag="elderly_alone")     # every 100th resident, all in grid 04
    model.set_filter(tagged)
    assert model.rowCount() == 800 and model.canFetchMore()
    assert big_ledger.count_matching("person", tagged) == ROWS // 100
    while model.canFetchMore():
        model.fetchMore()
    rows = [model.record(i) for i in range(model.rowCount())]
    assert len(rows) == ROWS // 100 and all(r["tags"] == ["elderly_alone"] for r in rows)
    assert [r["name"] for r in rows] == sorted((r["name"] for r in rows), reverse=True)
    model.set_filter(Filter(grid=GRID, tag="elderly_alone"))
    assert model.rowCount() == 0 and not model.canFetchMore()
    model.set_filter(Filter(grid="420704100201"))   # a village: every grid under it
    assert model.rowCount() == 800 and model.canFetchMore()


def test_deleting_a_household_asks_then_takes_its_members_along(qtbot, ledger):
    from PySide6.QtWidgets import QMessageBox

    from desktop.store import replication
    from desktop.ui.pages import make_page
    from tests.conftest import GRID
    home = ledger.save_household({"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三"},
                                 [{"name": "张三", "relation_to_head": "户主"}, {"name": "李四"}])
    page = make_page(ledger, "household")
    qtbot.addWidget(page)
    page.view.selectRow(page.model.row_of(home))
    pending = replication.pending_count(ledger.store)
    page.delete_current()
    box = page.findChild(QMessageBox, "confirm_delete")
    assert "2" in box.text()                                   # says how many members go with it
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.No), Qt.MouseButton.LeftButton)
    assert ledger.get("household", home) is not None           # "Keep" keeps it
    page.delete_current()
    box = next(b for b in page.findChildren(QMessageBox, "confirm_delete") if b.isVisible())
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    assert ledger.get("household", home) is None and ledger.members(home) == []
    assert replication.pending_count(ledger.store) == pending + 3      # three tombstones to sync
    assert page.model.row_of(home) < 0
