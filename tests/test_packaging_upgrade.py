"""Upgrades keep data: a file written by the first released schema (0001, frozen in tests/data, plain SQLite)
is opened by today's code, backed up (encrypted), encrypted, migrated to the newest schema, and keeps every row."""
import hashlib
import shutil
import sqlite3
from pathlib import Path

from desktop import paths
from desktop.services import Ledger
from desktop.store import open_store
from desktop.store.engine import current_revision, head_revision
from tests.support import keyed

FROZEN = Path(__file__).parent / "data" / "gridbook-schema0001.sqlite3"
# The file is a record of what the first release wrote: regenerating it would test nothing.
FROZEN_SHA256 = "65bc8d39c6bf448837c62d2289b6bb0fd8b4ade55ee452eb51627108d45ce35d"
TABLES = ("grid", "household", "person", "building", "organisation", "incident", "patrol", "change_log", "meta")


def rows(path: Path, table: str, folder: Path | None = None) -> dict:
    """Every row of a table as {primary key: {column: value}}; `folder`: the data folder of an encrypted file."""
    with (keyed.connect(path, folder) if folder else sqlite3.connect(path)) as raw:
        raw.row_factory = lambda cursor, row: {d[0]: v for d, v in zip(cursor.description, row, strict=True)}
        key = {"grid": "code", "change_log": "seq", "meta": "key"}.get(table, "id")
        return {r[key]: dict(r) for r in raw.execute(f"SELECT * FROM {table}")}


def test_the_frozen_file_is_the_one_the_first_release_wrote():
    assert hashlib.sha256(FROZEN.read_bytes()).hexdigest() == FROZEN_SHA256
    with sqlite3.connect(FROZEN) as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)


def test_the_first_schema_file_is_backed_up_migrated_and_keeps_every_row(data_dir):
    shutil.copy(FROZEN, paths.data_file(data_dir))
    before = {table: rows(FROZEN, table) for table in TABLES}

    store = open_store(data_dir)
    try:
        assert current_revision(store.engine) == head_revision() != "0001"
        for table in TABLES:
            after = rows(store.path, table, data_dir)
            if table == "meta":
                # Newer code may add settings; the old ones stay as they were.
                assert {k: after[k] for k in before[table]} == before[table]
                continue
            assert set(after) == set(before[table]), table
            for key, old in before[table].items():
                assert {c: after[key][c] for c in old} == old, (table, key)

        ledger = Ledger(store)
        assert ledger.get("household", "0190a1b2-0000-7000-8000-000000000001")["head_name"] == "张三"
        assert store.get_meta("station_url") == "http://192.0.2.1:8470"
        # The search index that came after schema 0001 was filled from the old rows.
        assert "李秀英" in [hit["label"] for hit in store.search("lxy")]
        # The migrated file still takes new records and logs them.
        new_id = ledger.put("household", {"grid_code": "420704100201-03", "address": "幸福村3组20号",
                                          "head_name": "周八"})
        assert ledger.get("household", new_id)["head_name"] == "周八"
    finally:
        store.engine.dispose()

    backups = list(paths.backup_dir(data_dir).glob("*.sqlite3"))
    assert len(backups) == 1, backups
    for table in TABLES:
        assert rows(backups[0], table, data_dir) == before[table], table
    for path in (store.path, backups[0]):         # both encrypted: not one name or ID number of the old file
        content = path.read_bytes()
        assert not content.startswith(b"SQLite format 3")
        for secret in ("张三", "李秀英", "王小明", "420704196503120012", "420704197807220025", "13871234567"):
            assert secret.encode() not in content, (path.name, secret)


def test_a_migrated_file_opens_again_without_another_backup(data_dir):
    shutil.copy(FROZEN, paths.data_file(data_dir))
    open_store(data_dir).engine.dispose()
    open_store(data_dir).engine.dispose()
    assert len(list(paths.backup_dir(data_dir).glob("*.sqlite3"))) == 1
