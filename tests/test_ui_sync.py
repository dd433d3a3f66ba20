"""The sync status bar against a real station, and a slow station that must not freeze the window."""
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTableWidget

from desktop.store import replication
from desktop.syncing import SyncEngine
from desktop.ui.app import create_application
from desktop.ui.first_run import LoginDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.sync_status import SetAsideDialog
from sync import protocol
from tests.conftest import GRID
from tests.station_support import PASSWORD

HOUSEHOLD = {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三"}


def make_window(qtbot, ledger, engine, poll_ms=100):
    create_application(lang="zh_CN")
    window = MainWindow(ledger, engine, poll_ms=poll_ms)
    window.sync.max_poll_ms = 400               # back off, but not for minutes in a test
    qtbot.addWidget(window)
    window.show()
    return window


def test_status_goes_offline_then_online_then_synced(qtbot, ledger, station):
    station.add_user("wang", PASSWORD, grids=(GRID,))
    engine = SyncEngine(ledger.store, timeout=(1, 5), retries=0)
    create_application(lang="zh_CN")
    dialog = LoginDialog(engine, first_run=True)              # the first-run dialog logs in
    qtbot.addWidget(dialog)
    dialog.station.setText(station.url)
    dialog.password.setText("wrong")
    qtbot.keyClicks(dialog.user, "wang")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled() and dialog.message.text() != "正在连接…")
    assert dialog.logged_in is None and "拒绝" in dialog.message.text()
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.login_button.click()
    assert engine.station_url == station.url
    station.stop()
    ledger.put("household", HOUSEHOLD)
    window = make_window(qtbot, ledger, engine)
    bar, controller = window.sync_bar, window.sync
    qtbot.waitUntil(lambda: controller.online is False and controller.pending == 2)    # household and head
    assert "离线" in bar.online_label.text() and "2" in bar.pending_label.text()

    station.start()                                                  # the connection comes back
    qtbot.waitUntil(lambda: controller.online is True, timeout=10_000)
    qtbot.waitUntil(lambda: controller.last_sync is not None and not controller.syncing, timeout=15_000)
    assert controller.last_error is None, controller.last_error
    assert controller.pending == 0 and replication.pending_count(ledger.store) == 0
    assert "在线" in bar.online_label.text() and "从未" not in bar.last_label.text()
    window.close()


class SlowStation(BaseHTTPRequestHandler):
    """Answers /health and /v1/pull correctly, but only after a long pause; with `endless`
    every pull page says there is more."""
    delay = 1.5
    endless = False
    pulls = 0

    def do_GET(self):
        time.sleep(self.delay)
        if self.path.startswith("/health"):
            body = {"status": "ok", "protocol": protocol.PROTOCOL_VERSION, "schema": protocol.SCHEMA_VERSION,
                    "time_ms": int(time.time() * 1000), "station_id": "slow"}
        else:
            type(self).pulls += 1
            body = {"rows": [], "cursor": self.pulls if self.endless else 0, "more": self.endless}
        data = json.dumps(body).encode()
        self.send_response(200)
        for key, value in protocol.version_headers().items():
            self.send_header(key, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_station(request):
    handler = type("Handler", (SlowStation,), {"endless": getattr(request, "param", False), "pulls": 0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_slow_station_does_not_freeze_the_window(qtbot, ledger, slow_station):
    engine = SyncEngine(ledger.store, timeout=(2, 10), retries=0)
    ledger.store.set_meta(station_url=slow_station, user="wang")
    engine.tokens.save("a-token")
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    window = make_window(qtbot, ledger, engine, poll_ms=60_000)
    controller = window.sync
    # The health check is still waiting for its answer, yet the event loop runs on.
    qtbot.waitUntil(lambda: len(ticks) >= 20 and controller.online is None, timeout=1_400)
    qtbot.waitUntil(lambda: controller.syncing, timeout=5_000)       # online -> first sync (pull)
    started = len(ticks)
    assert "正在同步" in window.sync_bar.online_label.text()
    window.show_page("person")                                       # the window still answers
    assert window.tabs.currentWidget() is window.pages["person"]
    qtbot.waitUntil(lambda: len(ticks) >= started + 20 and controller.syncing, timeout=1_400)
    qtbot.waitUntil(lambda: not controller.syncing and controller.last_sync is not None, timeout=10_000)
    assert controller.last_error is None
    timer.stop()
    window.close()


@pytest.mark.parametrize("slow_station", [True], indirect=True)
def test_a_long_sync_shows_progress_and_can_be_cancelled(qtbot, ledger, slow_station):
    SlowStation.delay = 0.3
    try:
        engine = SyncEngine(ledger.store, timeout=(2, 10), retries=0)
        ledger.store.set_meta(station_url=slow_station, user="wang")
        engine.tokens.save("a-token")
        window = make_window(qtbot, ledger, engine, poll_ms=60_000)
        bar, controller = window.sync_bar, window.sync
        qtbot.waitUntil(lambda: controller.syncing and bar.progress.isVisible(), timeout=5_000)
        assert bar.cancel_button.isVisible() and not bar.sync_button.isEnabled()
        qtbot.waitUntil(lambda: "正在下载" in bar.progress.format(), timeout=5_000)
        bar.cancel_button.click()
        qtbot.waitUntil(lambda: not controller.syncing, timeout=5_000)
        assert "已取消" in controller.last_error
        assert not bar.progress.isVisible() and "已取消" in window.statusBar().currentMessage()
        window.close()
    finally:
        SlowStation.delay = 1.5


def test_the_set_aside_panel_lists_refused_changes_with_their_reasons(qtbot, ledger):
    ledger.put("household", HOUSEHOLD)
    seq = replication.next_batch(ledger.store)[0]["seq"]
    replication.set_aside(ledger.store, {seq: "户主身份证号校验位不符"})
    window = make_window(qtbot, ledger, None)
    bar = window.sync_bar
    qtbot.waitUntil(lambda: bar.set_aside_button.isEnabled())
    assert "1" in bar.set_aside_button.text() and "未登录" in bar.online_label.text()
    bar.set_aside_button.click()
    dialog = window.findChild(SetAsideDialog)
    table = dialog.findChild(QTableWidget, "set_aside_table")
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == "户" and table.item(0, 2).text() == "户主身份证号校验位不符"
    dialog.close()
    window.close()


@pytest.mark.usefixtures("file_tokens")
def test_a_saved_record_counts_at_once_and_reaches_a_reachable_station_within_seconds(qtbot, ledger, station):
    from tests.support.clients import station_records
    from tests.test_ui_forms import open_new_form, type_text
    station.add_user("li", PASSWORD, grids=(GRID,))
    engine = SyncEngine(ledger.store, timeout=(1, 5), retries=0)
    engine.login(station.url, "li", PASSWORD)
    window = make_window(qtbot, ledger, engine)
    bar, controller = window.sync_bar, window.sync
    qtbot.waitUntil(lambda: bool(controller.online and controller.last_sync) and not controller.syncing, timeout=15_000)
    assert controller.pending == 0
    synced = []
    controller.finished.connect(lambda result, error: synced.append((result, error)))

    form = open_new_form(qtbot, window, "household")             # the worker saves a household
    type_text(qtbot, form.editors["address"].widget, "幸福村3组12号")
    type_text(qtbot, form.editors["head_name"].widget, "张三")
    assert form.save()
    qtbot.waitUntil(lambda: "1" in bar.pending_label.text(), timeout=3_000)       # counted at once
    qtbot.waitUntil(lambda: bool(synced) and controller.pending == 0, timeout=10_000)  # and sent, not in 10 minutes
    assert synced[0][1] is None and synced[0][0].pushed == 1
    assert form.saved_id in station_records(station, "household", [form.saved_id])
    assert "0" in bar.pending_label.text()
    window.close()


def test_the_pending_count_follows_writes_made_off_the_gui_thread(qtbot, ledger):
    """An import runs on a worker thread; the count still follows, with no station at all."""
    window = make_window(qtbot, ledger, None)
    controller = window.sync
    qtbot.waitUntil(lambda: controller.pending == 0 and window.sync_bar.pending_label.text() != "")
    done = []
    window.runner.run(lambda: ledger.put_many("household", [dict(HOUSEHOLD, address=f"幸福村3组{n}号")
                                                             for n in range(5)]), done.append)
    qtbot.waitUntil(lambda: bool(done) and controller.pending == 5, timeout=5_000)
    assert "5" in window.sync_bar.pending_label.text()
    window.close()
