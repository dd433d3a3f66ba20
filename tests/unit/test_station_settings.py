"""The station's settings come from the environment once, into one object that is passed, not read at import."""
import pytest
from pydantic import ValidationError

from sync.station import auth, db
from sync.station.settings import StationSettings
from sync.station.test_pause import PushPause


def test_settings_read_the_environment_when_made(monkeypatch, tmp_path):
    monkeypatch.setenv("GRIDBOOK_STATION_DB", "sqlite:///elsewhere.sqlite3")
    monkeypatch.setenv("GRIDBOOK_STATION_LOCK_AFTER", "3")
    monkeypatch.setenv("GRIDBOOK_STATION_HASH", "fast")
    settings = StationSettings()
    assert (settings.db, settings.lock_after, settings.hash, settings.test_push_pause) == \
        ("sqlite:///elsewhere.sqlite3", 3, "fast", None)
    passwords = auth.Passwords.from_settings(settings)
    assert passwords.lock_after == 3 and passwords.hasher.time_cost == 1
    assert passwords.hasher.verify(auth.hash_password("secret-123", passwords), "secret-123")
    # nothing else picked the environment up on its own
    assert auth.DEFAULT_PASSWORDS.lock_after == 10 and auth.DEFAULT_PASSWORDS.hasher.time_cost > 1
    assert db.default_url() != "sqlite:///elsewhere.sqlite3"


def test_bad_settings_are_refused_by_name(monkeypatch):
    monkeypatch.setenv("GRIDBOOK_STATION_LOCK_AFTER", "0")
    with pytest.raises(ValidationError, match="lock_after"):
        StationSettings()
    monkeypatch.setenv("GRIDBOOK_STATION_LOCK_AFTER", "5")
    monkeypatch.setenv("GRIDBOOK_STATION_HASH", "quick")
    with pytest.raises(ValidationError, match="hash"):
        StationSettings()


def test_the_push_pause_counts_down_then_holds_until_disarmed(tmp_path):
    pause = PushPause(tmp_path)
    pause.hold()                                        # not armed: returns at once
    pause.armed.write_text("1")
    pause.hold()                                        # lets one through
    assert pause.armed.read_text() == "0" and not pause.signal.exists()
    pause.hold(limit_s=0.05)                            # holds (until the limit, here)
    assert pause.signal.exists()
