"""The local store: every write commits with its change-log entry, or not at all."""
import contextlib
import json

import pytest
from sqlalchemy import text

from desktop.store import replication
from desktop.store.repository import NotFound, StorageFullError, TransactionLost
from sync import clock
from sync.validation import ValidationError
from tests.conftest import GRID
from tests.support import keyed

HEAD = {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三", "head_id_number": "11010519491231002X"}


def log_rows(store):
    with store.reading() as conn:
        return [dict(r._mapping) for r in conn.execute(text("SELECT * FROM change_log ORDER BY seq"))]


def test_create_logs_the_fields_with_clock_device_and_sequence(store):
    household = store.put("household", HEAD)
    [entry] = log_rows(store)
    assert entry["record_type"] == "household" and entry["record_id"] == household
    assert entry["device_id"] == store.device_id and entry["seq"] == 1 and entry["hlc"] > 0
    assert json.loads(entry["fields"])["head_name"] == "张三"
    assert store.get("household", household)["head_id_number"] == "11010519491231002X"


def test_update_changes_only_the_named_fields_and_logs_only_them(store):
    household = store.put("household", HEAD)
    store.put("household", {"id": household, "phone": "13900139000"})
    row = store.get("household", household)
    assert row["phone"] == "13900139000" and row["head_name"] == "张三"
    second = log_rows(store)[1]
    assert json.loads(second["fields"]) == {"phone": "13900139000"}
    assert second["hlc"] > log_rows(store)[0]["hlc"]


def test_saving_unchanged_values_logs_nothing(store):
    household = store.put("household", HEAD)
    store.put("household", {"id": household, "head_name": " 张三 "})
    assert len(log_rows(store)) == 1


def test_delete_is_a_logged_tombstone(store):
    household = store.put("household", HEAD)
    store.delete("household", household)
    assert store.get("household", household) is None
    assert store.get("household", household, include_deleted=True)["deleted"]
    assert log_rows(store)[-1]["op"] == "delete"
    with pytest.raises(NotFound):
        store.delete("household", household)


def test_grids_are_local_reference_data_not_logged(store):
    assert store.grid_exists(GRID)
    assert log_rows(store) == []


def test_invalid_record_changes_nothing(store):
    with pytest.raises(ValidationError):
        store.put("household", {**HEAD, "head_id_number": "110105194912310021"})
    assert store.count("household") == 0 and log_rows(store) == []


def test_a_write_whose_change_log_insert_fails_leaves_neither_behind(store):
    with store.atomic() as conn:
        conn.execute(text("CREATE TRIGGER refuse_log BEFORE INSERT ON change_log "
                          "BEGIN SELECT RAISE(ABORT, 'change log refused'); END"))
    with pytest.raises(Exception, match="change log refused"):
        store.put("household", HEAD)
    assert store.count("household") == 0
    assert log_rows(store) == []
    assert store.search("zs") == []


def test_a_failed_bulk_write_leaves_nothing(store):
    rows = [dict(HEAD, head_name=f"户主{i}") for i in range(5)] + [dict(HEAD, grid_code="420704100201-99")]
    with pytest.raises(ValidationError) as caught:
        store.put_many("household", rows)
    assert caught.value.errors[0].params["row"] == 5
    assert store.count("household") == 0 and log_rows(store) == []


def test_bulk_write_logs_every_record(store):
    ids = store.put_many("household", [dict(HEAD, head_name=f"户主{i}") for i in range(50)])
    assert store.count("household") == 50 == len(set(ids))
    assert replication.pending_count(store) == 50
    assert [r["seq"] for r in log_rows(store)] == list(range(1, 51))


def test_person_must_belong_to_an_existing_household(store):
    with pytest.raises(ValidationError) as caught:
        store.put("person", {"name": "李四", "household_id": "01a20009-3cb1-7bd2-a99e-aca0551ed5ac"})
    assert caught.value.errors[0].code == "record_missing"


def test_acknowledged_changes_leave_the_pending_count(store):
    for i in range(3):
        store.put("household", dict(HEAD, head_name=f"户主{i}"))
    batch = replication.next_batch(store, limit=2)
    assert [c["seq"] for c in batch] == [1, 2]
    replication.acknowledge(store, 2)
    assert replication.pending_count(store) == 1
    assert [c["seq"] for c in replication.next_batch(store)] == [3]
    replication.acknowledge(store, 1)            # a stale acknowledgement changes nothing
    assert replication.acked_seq(store) == 2


def test_device_id_and_clock_survive_reopening(data_dir, store):
    store.put("household", HEAD)
    device, last = store.device_id, store.clock.last
    store.engine.dispose()
    from desktop.store import open_store
    again = open_store(data_dir)
    assert again.device_id == device and again.clock.last >= last
    assert again.clock.now() > last


def test_a_full_disk_is_a_clear_error_and_the_file_stays_sound(store):
    store.put("household", HEAD)
    with store.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    big = dict(HEAD, notes="备" * 1900)

    def cap(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 2}")
    from sqlalchemy import event
    store.engine.dispose()
    event.listen(store.engine, "connect", cap)
    with pytest.raises(StorageFullError):
        for i in range(200):
            store.put("household", dict(big, head_name=f"户主{i}"))
    saved = store.count("household")
    assert replication.pending_count(store) == saved      # every saved record has its change
    with keyed.connect(store.path) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_bulk_write_failing_inside_the_database_rolls_back_the_whole_transaction(store):
    # The bulk path joins an import's transaction without a savepoint and inserts OR ROLLBACK:
    # a row the database refuses (here a repeated id) must take the import's earlier writes with it.
    kept = store.put("household", HEAD)
    first = {**HEAD, "id": "01a20009-3cb1-7bd2-a99e-aca0551ed5ac", "head_name": "户主甲"}
    with pytest.raises(Exception, match="UNIQUE"), store.atomic():
        store.put("household", dict(HEAD, head_name="李四"))
        store.put_many("household", [first, {**first, "head_name": "户主乙"}])
    assert [r["id"] for r in store.list("household")] == [kept]
    assert [r["record_id"] for r in log_rows(store)] == [kept]
    assert store.search("户主") == [] and store.search("李四") == []
    assert store.put_many("household", [first]) == [first["id"]]      # the store goes on working


def test_a_write_after_a_swallowed_bulk_failure_is_refused_not_autocommitted(store):
    first = {**HEAD, "id": "01a20009-3cb1-7bd2-a99e-aca0551ed5ac"}
    with pytest.raises(TransactionLost), store.atomic():
        with contextlib.suppress(Exception):      # a caller that swallows the error must not write on
            store.put_many("household", [first, first])
        store.put("household", dict(HEAD, head_name="李四"))
    assert store.count("household") == 0 and log_rows(store) == []


def test_a_pulled_page_the_database_refuses_leaves_nothing_and_the_cursor_where_it_was(store):
    # Pulled rows are inserted OR ROLLBACK: one refused row takes the whole page (records, search
    # terms, cursor) back, and the same page pulled again goes in whole.
    stamp = clock.stamp(clock.HybridClock().now(), "dddddddd-0000-7000-8000-00000000000d")
    home = "01a20009-3cb1-7bd2-a99e-aca0551ed5ac"
    page = [{"type": "household", "id": home, "f": dict(HEAD), "c": dict.fromkeys(HEAD, stamp)}] + [
        {"type": "person", "id": f"01a20009-3cb1-7bd2-a99e-aca0551ed5b{i}",
         "f": {"household_id": home, "name": name, "residence": "户籍"},
         "c": dict.fromkeys(("household_id", "name", "residence"), stamp)} for i, name in enumerate(("王五", "赵六"))]
    with store.atomic() as conn:
        conn.execute(text("CREATE TRIGGER refuse_one BEFORE INSERT ON person WHEN NEW.name = '赵六' "
                          "BEGIN SELECT RAISE(ABORT, 'refused here'); END"))
    with pytest.raises(Exception, match="refused here"):
        replication.apply_remote(store, page, "pull_cursor", 41)
    assert store.count("household") == 0 and store.count("person") == 0
    assert store.get_meta("pull_cursor") is None and store.search("王五") == []
    with store.atomic() as conn:
        conn.execute(text("DROP TRIGGER refuse_one"))
    assert replication.apply_remote(store, page, "pull_cursor", 41) == 3
    assert store.count("person") == 2 and store.get_meta("pull_cursor") == "41"
    assert [(r["type"], r["id"]) for r in store.search("王五")] == [("person", page[1]["id"])]
