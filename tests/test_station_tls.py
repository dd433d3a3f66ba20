"""The station over HTTPS with a township's own certificate authority: trusted when named, refused otherwise."""
import argparse

import pytest
import trustme

from desktop.store import replication
from desktop.syncing import StationUntrusted, SyncEngine
from desktop.ui.app import create_application
from desktop.ui.first_run import LoginDialog
from sync.station import cli as station_cli
from sync.station.demo import DEMO_GRIDS
from tests.conftest import GRID
from tests.station_support import PASSWORD, start_station


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    """(certificate, key, CA) for 127.0.0.1, issued by a throwaway township CA."""
    folder = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1", "localhost")
    cert, key, ca_pem = folder / "station.pem", folder / "station.key", folder / "township-ca.pem"
    issued.cert_chain_pems[0].write_to_path(str(cert))
    issued.private_key_pem.write_to_path(str(key))
    ca.cert_pem.write_to_path(str(ca_pem))
    return cert, key, ca_pem


@pytest.fixture(scope="module")
def tls_station(tls_files, tmp_path_factory):
    station = start_station(tmp_path_factory.mktemp("tls-station"), tls=tls_files)
    station.import_grids(DEMO_GRIDS)
    station.add_user("wang", PASSWORD, grids=(GRID,))
    yield station
    station.stop()


def test_a_device_that_trusts_the_township_ca_syncs_over_https(tls_station, tls_files, ledger):
    assert tls_station.url.startswith("https://")
    engine = SyncEngine(ledger.store, retries=0)
    engine.login(tls_station.url, "wang", PASSWORD, ca_bundle=str(tls_files[2]))
    assert engine.ca_bundle == str(tls_files[2])
    hid = ledger.put("household", {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三"})
    result = engine.sync()
    assert result.pushed == 2 and replication.pending_count(ledger.store) == 0      # the household and its 户主
    with tls_station.engine().connect() as conn:
        from sqlalchemy import text
        assert conn.execute(text("SELECT head_name FROM household WHERE id = :id"), {"id": hid}).scalar() == "张三"


def test_a_station_certificate_this_computer_does_not_trust_is_named_and_nothing_is_kept(tls_station, ledger):
    engine = SyncEngine(ledger.store, retries=0)
    with pytest.raises(StationUntrusted) as caught:
        engine.login(tls_station.url, "wang", PASSWORD)
    message = caught.value.message("zh_CN")
    assert "证书" in message and "--ca-bundle" in message and "Traceback" not in message
    assert "self-signed" in caught.value.detail or "issuer" in caught.value.detail
    assert engine.station_url is None                     # the failed login stored no station


def test_the_login_dialog_takes_the_township_certificate_file(qtbot, tls_station, tls_files, ledger):
    engine = SyncEngine(ledger.store, retries=0)
    create_application(lang="zh_CN")
    dialog = LoginDialog(engine, first_run=True)
    qtbot.addWidget(dialog)
    dialog.station.setText(tls_station.url)
    dialog.user.setText("wang")
    dialog.password.setText(PASSWORD)
    dialog.login_button.click()                           # no certificate file yet: refused, and said why
    qtbot.waitUntil(lambda: dialog.login_button.isEnabled() and "证书" in dialog.message.text(), timeout=10_000)
    assert dialog.logged_in is None
    qtbot.keyClicks(dialog.ca_bundle, str(tls_files[2]))
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        dialog.login_button.click()
    assert engine.station_url == tls_station.url and engine.ca_bundle == str(tls_files[2])


def test_serve_refuses_half_a_tls_pair_or_unreadable_files(tls_station, tls_files, tmp_path):
    cert, key, _ca = tls_files
    half = tls_station.cli("--lang", "en", "serve", "--tls-cert", str(cert))
    assert half.returncode == 2 and "--tls-key" in half.stderr
    missing = tls_station.cli("--lang", "en", "serve", "--tls-cert", str(cert), "--tls-key", str(tmp_path / "nope.key"))
    assert missing.returncode == 2 and "nope.key" in missing.stderr and "Traceback" not in missing.stderr
    swapped = tls_station.cli("serve", "--tls-cert", str(key), "--tls-key", str(cert))
    assert swapped.returncode == 2 and "证书" in swapped.stderr


def test_plain_http_beyond_this_computer_is_said_once(capsys):
    plain = argparse.Namespace(tls_cert=None, tls_key=None, host="0.0.0.0")
    assert station_cli._tls_options(plain) == {}
    assert "--tls-cert" in capsys.readouterr().err
    assert station_cli._tls_options(argparse.Namespace(tls_cert=None, tls_key=None, host="127.0.0.1")) == {}
    assert capsys.readouterr().err == ""
