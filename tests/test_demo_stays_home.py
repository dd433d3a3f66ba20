"""A demo village never leaves its laptop: its folder is marked, cannot log in, sync or export
a sync file, and the first-run dialog does not offer it ticked once a station is named."""
import pytest

from desktop.services.demo import DemoRefused, create_demo
from desktop.syncing import SyncError
from desktop.ui.app import create_application
from desktop.ui.first_run import LoginDialog
from tests.support.clients import (
    PASSWORD,
    Client,
    new_user,
    station_records,
)

pytestmark = pytest.mark.usefixtures("file_tokens")


@pytest.fixture
def demo_laptop(tmp_path):
    laptop = Client(tmp_path / "demo")
    create_demo(laptop.store, households=6)
    yield laptop
    laptop.close()


def test_a_demo_folder_cannot_log_in_through_the_cli_and_says_why(sync_station, demo_laptop):
    user = new_user(sync_station)
    code, _out, err = demo_laptop.cli("login", "--station", sync_station.url, "--user", user, "--password-stdin",
                                      stdin=PASSWORD + "\n")
    assert code == 1 and "演示" in err and "--data" in err
    assert demo_laptop.store.get_meta("station_url") is None
    code, _out, err = demo_laptop.cli("--lang", "en", "login", "--station", sync_station.url, "--user", user,
                                      "--password-stdin", stdin=PASSWORD + "\n")
    assert code == 1 and "demo" in err


def test_a_demo_folder_never_sends_even_with_a_login_left_in_it(sync_station, demo_laptop):
    user = new_user(sync_station)
    real = Client(demo_laptop.folder.parent / "real")
    try:
        real.login(sync_station.url, user)
        # the station's address and a token copied in by hand: still nothing leaves
        demo_laptop.store.set_meta(station_url=sync_station.url, user=user)
        demo_laptop.engine.tokens.save(real.engine.tokens.load())
        with pytest.raises(SyncError) as caught:
            demo_laptop.sync()
        assert "演示" in caught.value.message("zh_CN")
        with pytest.raises(SyncError):
            demo_laptop.engine.export_file(demo_laptop.folder / "push.gbsync")
        ids = [h["id"] for h in demo_laptop.store.list("household")]
        assert station_records(sync_station, "household", ids) == {}
    finally:
        real.close()


def test_a_logged_in_folder_gets_no_demo_village(sync_station, tmp_path):
    laptop = Client(tmp_path / "real")
    try:
        laptop.login(sync_station.url, new_user(sync_station))
        with pytest.raises(DemoRefused):
            create_demo(laptop.store, households=3)
        assert laptop.store.count("household") == 0 and laptop.pending() == 0
    finally:
        laptop.close()


def test_the_first_run_dialog_unticks_the_demo_once_a_station_is_named(qtbot, tmp_path):
    create_application(lang="zh_CN")
    laptop = Client(tmp_path / "new")
    try:
        dialog = LoginDialog(laptop.engine, offer_demo=True, first_run=True)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.demo.isChecked()               # an empty ledger with no station: try the demo
        qtbot.keyClicks(dialog.station, "http://192.168.1.10:8470")
        assert not dialog.demo.isChecked()
        # ticked again by hand, then a login: the dialog says the demo stays here, and logs nothing in
        dialog.demo.setChecked(True)
        qtbot.keyClicks(dialog.user, "wang")
        qtbot.keyClicks(dialog.password, "secret")
        dialog.login_button.click()
        assert "演示" in dialog.message.text() and dialog.logged_in is None
        assert laptop.store.get_meta("station_url") is None
    finally:
        laptop.close()


def test_the_dialog_in_a_demo_folder_says_it_cannot_log_in(qtbot, sync_station, demo_laptop):
    create_application(lang="zh_CN")
    user = new_user(sync_station)
    dialog = LoginDialog(demo_laptop.engine)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "演示" in dialog.message.text()           # said before anything is typed
    dialog.station.setText(sync_station.url)
    dialog.user.setText(user)
    dialog.password.setText(PASSWORD)
    dialog.login_button.click()
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled(), timeout=10_000)
    assert dialog.logged_in is None and "演示" in dialog.message.text()
    assert demo_laptop.store.get_meta("station_url") is None


def test_a_preset_station_leaves_the_demo_unticked(qtbot, tmp_path):
    create_application(lang="zh_CN")
    laptop = Client(tmp_path / "new")
    try:
        laptop.store.set_meta(station_url="http://192.168.1.10:8470")
        dialog = LoginDialog(laptop.engine, offer_demo=True, first_run=True)
        qtbot.addWidget(dialog)
        assert not dialog.demo.isChecked()
    finally:
        laptop.close()
