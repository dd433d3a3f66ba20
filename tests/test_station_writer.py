"""The station's one writer: first come first served, jobs committed together, a refusal or a failure
stays with its own job, an answer only after the commit; and many laptops pushing at once over HTTP."""
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text

from sync import records
from sync.station import db
from sync.station.errors import StationError
from sync.station.write_queue import WriteQueue
from tests.station_support import PASSWORD, household, new_account, running_station, station_backends, station_database


@pytest.fixture(params=station_backends())
def queue(request, tmp_path):
    with station_database(request.param, tmp_path) as url:
        engine = db.make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE written (name VARCHAR(20) PRIMARY KEY)"))
        writes = WriteQueue(engine)
        try:
            yield writes
        finally:
            writes.close()
            engine.dispose()


def names(queue: WriteQueue) -> list[str]:
    with db.reading(queue.engine) as conn:
        return sorted(conn.execute(text("SELECT name FROM written")).scalars())


def insert(name: str, then=None):
    def job(conn):
        conn.execute(text("INSERT INTO written (name) VALUES (:n)"), {"n": name})
        if then is not None:
            then(conn)
        return name
    return job


def hold(queue: WriteQueue) -> threading.Event:
    """Keep the writer busy with one job until the returned event is set, so the next jobs queue up."""
    started, release = threading.Event(), threading.Event()

    def job(conn):
        started.set()
        release.wait(30)
    queue.submit(job)
    assert started.wait(30)
    return release


def test_jobs_waiting_together_commit_in_one_transaction_in_arrival_order(queue):
    release = hold(queue)
    order = []
    futures = [queue.submit(lambda conn, n=n: order.append(n) or n) for n in range(6)]
    release.set()
    assert [f.result(30) for f in futures] == list(range(6))
    assert order == list(range(6))
    assert queue.grouped_jobs >= 6          # the six went in together, after the one that held the writer


def test_a_refused_job_is_rolled_back_alone_and_its_neighbours_commit(queue):
    release = hold(queue)

    def refuse(_conn):
        raise StationError(422, "invalid", count=1)
    first, refused, last = queue.submit(insert("a")), queue.submit(insert("b", refuse)), queue.submit(insert("c"))
    release.set()
    assert first.result(30) == "a" and last.result(30) == "c"
    with pytest.raises(StationError):
        refused.result(30)
    assert names(queue) == ["a", "c"]


def test_a_job_failing_unexpectedly_fails_alone_the_others_run_again_on_their_own(queue):
    release = hold(queue)

    def broken(conn):
        conn.execute(text("INSERT INTO no_such_table VALUES (1)"))
    first, failing, last = queue.submit(insert("a")), queue.submit(insert("b", broken)), queue.submit(insert("c"))
    release.set()
    assert first.result(30) == "a" and last.result(30) == "c"
    with pytest.raises(Exception, match="no_such_table"):
        failing.result(30)
    assert names(queue) == ["a", "c"]
    assert queue.call(insert("d")) == "d"                # the writer goes on


def test_an_urgent_job_goes_before_the_line(queue):
    release = hold(queue)
    order = []
    line = [queue.submit(lambda conn, n=n: order.append(n)) for n in ("push1", "push2")]
    urgent = queue.submit(lambda conn: order.append("login"), urgent=True)
    release.set()
    for f in [*line, urgent]:
        f.result(30)
    assert order == ["login", "push1", "push2"]


def test_an_answer_comes_only_once_its_transaction_is_committed(queue):
    seen, looked = [], threading.Event()

    def at_the_answer(_future):            # another connection, the moment the answer is given
        seen.append(names(queue))
        looked.set()
    future = queue.submit(insert("visible"))
    future.add_done_callback(at_the_answer)
    assert future.result(30) == "visible" and looked.wait(30)
    assert seen == [["visible"]]


def test_laptops_pushing_at_once_are_all_applied_and_a_refused_batch_among_them_changes_nothing(station):
    batches = []
    for n in range(20):
        device = new_account(station)
        changes = [device.change("household", *household()) for _ in range(4)]
        if n == 7:                                  # another township's grid: out of this account's scope
            changes.append(device.change("household", *household(grid="420704101201-01")))
        batches.append((device, changes))
    barrier = threading.Barrier(len(batches))

    def send(item):
        device, changes = item
        barrier.wait()
        return device.push(changes)
    with ThreadPoolExecutor(len(batches)) as pool:
        replies = list(pool.map(send, batches))
    statuses = [r.status_code for r in replies]
    assert statuses[7] == 403 and statuses[:7] + statuses[8:] == [200] * 19
    table = records.record_table("household")
    engine = station.engine()
    with engine.connect() as conn:
        stored = set(conn.execute(select(table.c.id)).scalars())
    engine.dispose()
    for n, (_device, changes) in enumerate(batches):
        ids = {c["id"] for c in changes}
        assert (ids <= stored) if n != 7 else not (ids & stored)


@pytest.fixture
def real_hash_station(tmp_path):
    """A SQLite station hashing with the real argon2 parameters (~0.3 s a login here)."""
    yield from running_station("sqlite", tmp_path, env={"GRIDBOOK_STATION_HASH": "default"})


def test_a_login_holds_no_write_lock_while_its_password_is_hashed(real_hash_station):
    import sqlite3
    import time

    from sync.station import admin, auth
    from sync.station.settings import StationSettings

    engine = real_hash_station.engine()
    with engine.begin() as conn:
        admin.add_user(conn, "test", "slow", "worker", ["420704100201-03"], PASSWORD,
                       auth.Passwords.from_settings(StationSettings(hash="default")))
    engine.dispose()
    done = threading.Event()

    def log_in_three_times():
        try:
            for _ in range(3):
                real_hash_station.login("slow", PASSWORD)
        finally:
            done.set()
    logins = threading.Thread(target=log_in_three_times)
    writer = sqlite3.connect(real_hash_station.db_url.removeprefix("sqlite:///"), isolation_level=None, timeout=0.1)
    logins.start()
    attempts = blocked = 0
    while not done.is_set():                     # another writer, all through three logins' hashing
        attempts += 1
        try:
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("ROLLBACK")
        except sqlite3.OperationalError:
            blocked += 1
        time.sleep(0.01)
    logins.join()
    writer.close()
    assert blocked == 0 and attempts > 5


def test_a_batch_that_overtook_the_one_it_was_sent_behind_waits_for_it(station):
    import time

    from sync import protocol

    device = new_account(station)
    first = [device.change("household", *household()) for _ in range(3)]
    second = [device.change("household", *household()) for _ in range(3)]
    with ThreadPoolExecutor(1) as pool:
        overtaking = pool.submit(device.push, second, **{protocol.BEHIND_HEADER: "3"})
        time.sleep(0.3)                                  # the batch before it arrives later
        assert device.push(first).status_code == 200
        answer = overtaking.result(30)
    assert answer.status_code == 200 and answer.json()["acked"] == 6
    later = [device.change("household", *household()) for _ in range(2)]
    ahead = [device.change("household", *household()) for _ in range(2)]
    started = time.monotonic()
    gap = device.push(ahead)                             # no batch sent before it: the gap at once
    assert gap.status_code == 409 and gap.json()["code"] == "gap" and time.monotonic() - started < 1.5
    assert device.push(later).status_code == 200 and device.push(ahead).status_code == 200


AWKWARD_IDS = ['plain-1', 'a"quote', 'back\\slash', 'comma,brace{}', ' spaced ', 'NULL', '网格-一']


@pytest.mark.parametrize("backend", station_backends())
def test_bulk_statements_keep_any_record_id_as_it_is(backend, tmp_path):
    """The push's bulk reads and sequence writes (IN lists; arrays on PostgreSQL) take ids with quotes,
    backslashes, commas, braces and spaces as they are."""
    from sync.station.writer import bump_versions, fetch_rows, write_values

    with station_database(backend, tmp_path) as url:
        engine = db.make_engine(url)
        db.migrate(engine)
        try:
            with engine.begin() as conn:
                conn.execute(records.record_table("grid").insert().values(
                    code="420704100201-03", name="幸福村第三网格", level="grid", clocks={}, deleted=False))
                rows = [{"id": i, "grid_code": "420704100201-03", "address": f"{n}号", "head_name": "王伟",
                         "clocks": {}, "deleted": False} for n, i in enumerate(AWKWARD_IDS)]
                from sync.station.writer import row_values
                write_values(conn, "household", [row_values("household", r, r) for r in rows], [])
                last = bump_versions(conn, [("household", i, None if n % 2 else "420704100201-03")
                                            for n, i in enumerate(AWKWARD_IDS)])
                again = bump_versions(conn, [("household", AWKWARD_IDS[1], "420704100201-03")])
            with db.reading(engine) as conn:
                found = fetch_rows(conn, "household", [*AWKWARD_IDS, "missing"])
                versions = dict(conn.execute(text("SELECT record_id, grid_code FROM record_version")).all())
                seqs = dict(conn.execute(text("SELECT record_id, seq FROM record_version")).all())
        finally:
            engine.dispose()
    assert sorted(found) == sorted(AWKWARD_IDS)
    assert sorted(versions) == sorted(AWKWARD_IDS)
    assert versions[AWKWARD_IDS[1]] == "420704100201-03" and versions[AWKWARD_IDS[3]] is None
    assert seqs[AWKWARD_IDS[1]] == again == last + 1
