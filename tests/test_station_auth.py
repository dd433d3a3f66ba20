"""Station security over real HTTP: login, throttling and lockout, revoked devices, versions, health."""
import uuid

import pytest
import requests

from sync import protocol
from tests.station_support import PASSWORD, HttpDevice, new_account, running_station, station_backends


@pytest.fixture(scope="module", params=station_backends())
def st(request, tmp_path_factory):
    yield from running_station(request.param, tmp_path_factory.mktemp("station"))


def login(st, user, password, device_id=None, lang=None, secret=None):
    headers = {**protocol.version_headers(), **({"Accept-Language": lang} if lang else {})}
    return requests.post(st.url + "/v1/login", headers=headers, timeout=10,
                         json={"user": user, "password": password, "device_id": device_id or str(uuid.uuid4()),
                               "device_secret": secret})


def test_health_names_versions_clock_and_station(st):
    reply = requests.get(st.url + "/health", timeout=5)
    assert reply.status_code == 200
    health = protocol.Health.model_validate(reply.json())
    assert (health.status, health.protocol, health.schema_version) == ("ok", protocol.PROTOCOL_VERSION,
                                                                        protocol.SCHEMA_VERSION)
    assert len(health.station_id) == 36 and health.time_ms > 1_600_000_000_000
    assert requests.get(st.url + "/docs", timeout=5).status_code == 200
    assert "/v1/push" in requests.get(st.url + "/openapi.json", timeout=5).json()["paths"]


def test_login_registers_the_device_and_returns_a_token(st):
    st.add_user("wang", PASSWORD, grids=("420704100201-03",))
    device_id = str(uuid.uuid4())
    reply = login(st, "wang", PASSWORD, device_id)
    assert reply.status_code == 200, reply.text
    body = protocol.LoginReply.model_validate(reply.json())
    assert (body.user, body.role, body.grids) == ("wang", "worker", ["420704100201-03"])
    with st.engine().connect() as conn:
        from sqlalchemy import text
        stored = conn.execute(text("SELECT user_name, token_hash FROM station_device WHERE id = :d"),
                              {"d": device_id}).one()
    assert stored[0] == "wang"
    assert body.token not in stored[1] and len(stored[1]) == 64      # only a SHA-256 of it is kept


def test_wrong_password_and_unknown_user_get_the_same_401(st):
    st.add_user("li", PASSWORD)
    wrong = login(st, "li", "not-the-password")
    nobody = login(st, "nobody-" + uuid.uuid4().hex[:6], PASSWORD)
    assert wrong.status_code == nobody.status_code == 401
    assert wrong.json()["code"] == nobody.json()["code"] == "bad_login"
    assert wrong.json()["message"] == "用户名或密码错误。"
    assert login(st, "li", PASSWORD).status_code == 200        # one failure does not lock anyone out


def test_repeated_failures_are_slowed_then_locked(st):
    st.add_user("zhao", PASSWORD)
    statuses, waits = [], []
    for _ in range(12):
        reply = login(st, "zhao", "guess", lang="en")
        statuses.append(reply.status_code)
        waits.append(int(reply.headers.get("Retry-After", "0")))
    assert statuses[:3] == [401, 401, 401]
    assert 429 in statuses and statuses[-1] == 423
    slowed = [w for s, w in zip(statuses, waits, strict=True) if s == 429]
    assert slowed == sorted(slowed) and slowed[-1] > slowed[0]        # the wait grows
    locked = login(st, "zhao", PASSWORD, lang="en")                   # even the right password now
    assert locked.status_code == 423 and "15 minutes" in locked.json()["message"]
    assert int(locked.headers["Retry-After"]) > 800


def test_a_stranger_guessing_cannot_lock_the_workers_own_laptop_out(st):
    st.add_user("sun", PASSWORD)
    laptop = str(uuid.uuid4())
    registered = login(st, "sun", PASSWORD, laptop)                        # the worker's laptop, registered
    assert registered.status_code == 200
    secret = registered.json()["device_secret"]
    guesses = [login(st, "sun", "guess").status_code for _ in range(12)]   # a new device id each time
    assert guesses[-1] == 423
    assert login(st, "sun", PASSWORD).status_code == 423                   # any other device: locked with them
    assert login(st, "sun", PASSWORD, laptop).status_code == 423           # its id without its secret: a stranger
    renewed = login(st, "sun", PASSWORD, laptop, secret=secret)            # its own laptop: not locked
    assert renewed.status_code == 200
    secret = renewed.json()["device_secret"]                               # a new secret at every login
    typos = [login(st, "sun", "typo", laptop, secret=secret).status_code for _ in range(12)]
    assert typos[:3] == [401, 401, 401] and typos[-1] == 423
    assert login(st, "sun", PASSWORD, laptop, secret=secret).status_code == 423   # its own failures lock it


def test_revoked_device_gets_401_and_cannot_log_in_again(st):
    device = new_account(st)
    assert device.pull()["rows"]
    result = st.cli("device", "revoke", device.device_id)
    assert result.returncode == 0, result.stderr
    reply = requests.get(st.url + "/v1/pull", headers=device.headers(), timeout=5)
    assert reply.status_code == 401 and reply.json()["code"] == "revoked"
    again = login(st, device.user, PASSWORD, device.device_id, secret=device.secret)
    assert again.status_code == 401 and again.json()["code"] == "revoked"
    assert st.cli("device", "revoke", str(uuid.uuid4())).returncode == 2


def test_disabled_account_is_refused(st):
    device = new_account(st)
    assert st.cli("user", "disable", device.user).returncode == 0
    assert requests.get(st.url + "/v1/pull", headers=device.headers(), timeout=5).status_code == 401
    assert login(st, device.user, PASSWORD).json()["code"] == "user_disabled"


def test_missing_or_bad_token_is_401(st):
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic abc"}):
        reply = requests.get(st.url + "/v1/pull", headers={**protocol.version_headers(), **headers}, timeout=5)
        assert reply.status_code == 401 and reply.json()["code"] == "unauthorized"


def versions(protocol_version, schema_version) -> dict:
    return {protocol.PROTOCOL_HEADER: str(protocol_version), protocol.SCHEMA_HEADER: str(schema_version)}


@pytest.mark.parametrize(("headers", "code", "advice"), [
    ({}, "version", "update Gridbook"),
    (versions(protocol.MIN_PROTOCOL - 1, protocol.SCHEMA_VERSION), "version", "update Gridbook"),
    (versions(protocol.PROTOCOL_VERSION, protocol.MIN_SCHEMA - 1), "version", "update Gridbook"),
    (versions(protocol.PROTOCOL_VERSION, protocol.SCHEMA_VERSION + 1), "station_old", "update the station"),
    (versions(protocol.PROTOCOL_VERSION + 1, protocol.SCHEMA_VERSION), "station_old", "update the station")])
def test_a_version_outside_the_window_gets_426_saying_what_to_update(st, headers, code, advice):
    device = new_account(st)
    auth = {"Authorization": f"Bearer {device.token}"}
    reply = requests.get(st.url + "/v1/pull", headers={**headers, **auth}, timeout=5)
    assert reply.status_code == 426
    assert reply.json()["code"] == code and "升级" in reply.json()["message"]
    english = requests.get(st.url + "/v1/pull", headers={**headers, **auth, "Accept-Language": "en-US,en;q=0.9"},
                           timeout=5)
    assert advice in english.json()["message"]
    push = device.push([device.change("household", str(uuid.uuid4()), {"name": "x"})], **headers) \
        if headers else None
    assert push is None or push.status_code == 426


def test_unknown_address_is_json_not_html(st):
    reply = requests.get(st.url + "/v1/nothing-here", timeout=5)
    assert reply.status_code == 404 and reply.json()["code"] == "not_found_path"


def test_stats_are_scoped_to_the_account(st):
    new_account(st, grids=("420704101201-01",))           # an account of another township
    worker = new_account(st, grids=("420704100201-01",))
    reply = requests.get(st.url + "/v1/stats", headers=worker.headers(), timeout=5)
    assert reply.status_code == 200
    assert reply.json()["records"]["grid"] == 5           # its grid and the four levels above it
    # the accounts and laptops of its own grid only, and nothing of the station's activity
    everyone = st.cli("stats", "--json")
    station_wide = __import__("json").loads(everyone.stdout)
    assert reply.json()["users"] < station_wide["users"] and reply.json()["sequence"] is None
    assert reply.json()["devices"] == 1
    other = HttpDevice(st, worker.user, PASSWORD)          # a second laptop of the same worker
    assert other.device_id != worker.device_id and other.pull()["rows"]
