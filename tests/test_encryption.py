"""A stolen laptop reveals nothing: the data file, its WAL, backups, photos and token file are noise without
the key; the key comes from the keyring or the recovery passphrase; an old plain folder is encrypted whole."""
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from desktop import paths
from desktop.services.incident_photos import CasePhotos
from desktop.services.incidents import Incidents
from desktop.store import encrypting, engine, keys, open_store, photo_blobs, sealed, search, unlock
from desktop.store.keys import KeyUnavailable
from desktop.syncing.credentials import TokenStore
from tests.conftest import GRID, VILLAGE
from tests.support import keyed, legacy

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = os.environ["GRIDBOOK_PASSPHRASE"]
PEOPLE = [("张秀英", "420704196503120012", "13871234567"), ("欧阳建国", "420704197807220025", "15907112345"),
          ("李梓涵", "42070420100101001X", "18671234560")]
SECRETS = [part for person in PEOPLE for part in person] + ["幸福村3组12号"]
CASE = {"grid_code": GRID, "category": "safety_hazard", "title": "楼道堆放杂物", "location": "幸福村3组"}


class MemoryKeyring(KeyringBackend):
    """Stands in for Windows Credential Manager, which this headless machine lacks."""
    priority = 1

    def __init__(self):
        super().__init__()
        self.secrets = {}

    def set_password(self, service, username, password):
        self.secrets[(service, username)] = password

    def get_password(self, service, username):
        return self.secrets.get((service, username))

    def delete_password(self, service, username):
        self.secrets.pop((service, username), None)


@pytest.fixture
def no_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring():
    previous, backend = keyring.get_keyring(), MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def fill(store, old: bool = False) -> None:
    """The same family in any store; `old`: written as the older build that made the file would."""
    def put(record_type, values):
        return legacy.put(store, record_type, values) if old else store.put(record_type, values)

    put("grid", {"code": VILLAGE, "name": "幸福村", "level": "village"})
    put("grid", {"code": GRID, "name": "幸福村第三网格", "level": "grid", "parent_code": VILLAGE})
    (name, number, phone), *members = PEOPLE
    home = put("household", {"grid_code": GRID, "address": "幸福村3组12号", "head_name": name,
                             "head_id_number": number, "phone": phone, "tags": ["low_income"]})
    for member in PEOPLE:
        put("person", {"household_id": home, "name": member[0], "id_number": member[1], "phone": member[2],
                       "tags": ["community_correction"] if member in members else []})


def shows_any_secret(path: Path) -> list[str]:
    content = path.read_bytes()
    return [s for s in SECRETS if s.encode() in content]


def every_row(path: Path, folder: Path) -> dict:
    with keyed.connect(path, folder) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                             "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}


def locked(folder: Path, monkeypatch) -> None:
    """As a fresh process would start: no key in memory, no passphrase in the environment."""
    keys.forget(folder)
    monkeypatch.delenv(keys.PASSPHRASE_ENV, raising=False)


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_data_file_wal_backups_photos_and_token_show_no_name_id_or_phone(data_dir, no_keyring):
    old = open_store(data_dir, revision="0003")
    fill(old, old=True)
    old.engine.dispose()
    store = open_store(data_dir)                           # 0003 -> head: the usual backup first
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        store.put("person", {"household_id": store.list("household")[0]["id"], "name": "王小明",
                             "id_number": "420704200502020019"})
    with store.atomic() as conn:                           # the old rows were written without search terms
        search.rebuild(conn)
    assert [hit["label"] for hit in store.search("zxy")] == ["张秀英", "张秀英"]       # FTS5 in the cipher
    case_id = Incidents(store).report(CASE)
    photo = b"\xff\xd8\xff\xe0 JFIF " + "张秀英家门口".encode() * 50
    CasePhotos(Incidents(store)).add(case_id, photo)
    TokenStore(data_dir, store.device_id).save("the-station-token-123")
    wal = store.path.with_name(store.path.name + "-wal")
    [backup] = paths.backup_dir(data_dir).glob("*.sqlite3")
    [photo_file] = (data_dir / "photos").iterdir()
    files = [store.path, wal, backup, photo_file, data_dir / "token", data_dir / keys.KEY_FILE]
    assert all(f.exists() for f in files) and wal.stat().st_size > 0
    for path in files:
        assert shows_any_secret(path) == [], path.name
    assert b"the-station-token" not in (data_dir / "token").read_bytes() and photo not in photo_file.read_bytes()
    assert "王小明".encode() not in wal.read_bytes() + store.path.read_bytes()
    for path in (store.path, backup):
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    # with the key it is all there: the backup holds what schema 0003 held
    assert len(every_row(backup, data_dir)["person"]) == 3
    assert photo_blobs.read(store, hashlib.sha256(photo).hexdigest()) == photo
    assert TokenStore(data_dir, store.device_id).load() == "the-station-token-123"
    store.engine.dispose()


def test_without_the_key_the_ledger_does_not_open_says_why_and_nothing_changes(data_dir, no_keyring, monkeypatch):
    store = open_store(data_dir)
    fill(store)
    store.engine.dispose()
    before = snapshot(data_dir)
    locked(data_dir, monkeypatch)
    with pytest.raises(KeyUnavailable) as caught:
        open_store(data_dir)
    assert caught.value.code == "store_locked"
    assert "台账已加密" in caught.value.message() and "恢复口令" in caught.value.message()
    assert "recovery passphrase" in caught.value.message("en")
    with pytest.raises(KeyUnavailable) as caught:
        open_store(data_dir, passphrase="不是这个口令 2026")
    assert caught.value.code == "store_wrong_passphrase"
    assert caught.value.message() == "恢复口令不对，台账没有打开，什么也没有改动。请再试一次，注意大小写和输入法。"
    assert snapshot(data_dir) == before
    # the right one, typed with the Chinese input method's full-width digits, opens it
    reopened = open_store(data_dir, passphrase=PASSPHRASE.replace("2026", "２０２６"))
    assert {p["name"] for p in reopened.list("person")} == {p[0] for p in PEOPLE}
    reopened.engine.dispose()


def test_a_missing_key_file_or_another_folders_key_is_said_plainly(data_dir, tmp_path, no_keyring, monkeypatch):
    store = open_store(data_dir)
    fill(store)
    store.engine.dispose()
    other = tmp_path / "other"
    open_store(other).engine.dispose()
    (data_dir / keys.KEY_FILE).replace(tmp_path / "saved.key")
    locked(data_dir, monkeypatch)
    with pytest.raises(KeyUnavailable) as caught:
        open_store(data_dir, passphrase=PASSPHRASE)
    assert caught.value.code == "store_key_file_missing" and "gridbook.key" in caught.value.message()
    assert not (data_dir / keys.KEY_FILE).exists()          # no new key was made over the old data
    (other / keys.KEY_FILE).replace(data_dir / keys.KEY_FILE)   # a key file from another laptop
    with pytest.raises(KeyUnavailable) as caught:
        open_store(data_dir, passphrase=PASSPHRASE)
    assert caught.value.code == "store_unreadable" and "无法用这个文件夹的密钥打开" in caught.value.message()


def test_a_new_folder_needs_a_passphrase_of_eight_characters(data_dir, no_keyring, monkeypatch):
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    for passphrase, code in ((None, "store_passphrase_needed"), ("1234567", "store_short_passphrase"),
                             ("   七个字的口令   ", "store_short_passphrase")):
        with pytest.raises(KeyUnavailable) as caught:
            open_store(data_dir, passphrase=passphrase)
        assert caught.value.code == code
    assert list(data_dir.iterdir()) == []                   # refused: nothing written
    open_store(data_dir, passphrase="八个字的恢复口令").engine.dispose()
    assert (data_dir / keys.KEY_FILE).exists()


def test_the_keyring_keeps_the_key_and_the_passphrase_brings_it_back(data_dir, memory_keyring, monkeypatch):
    store = open_store(data_dir)
    fill(store)
    store.engine.dispose()
    [(service, entry)] = memory_keyring.secrets
    assert service == "Gridbook" and entry.startswith("data-key:")
    locked(data_dir, monkeypatch)
    again = open_store(data_dir)                            # an everyday start: the keyring has it
    assert again.count("person") == 3
    again.engine.dispose()
    memory_keyring.secrets = {(service, entry): memory_keyring.secrets[(service, entry)][::-1]}   # not this key
    keys.forget(data_dir)
    with pytest.raises(KeyUnavailable) as caught:
        open_store(data_dir)
    assert caught.value.code == "store_locked"
    memory_keyring.secrets = {}                             # another Windows account, a restored laptop
    restored = open_store(data_dir, passphrase=PASSPHRASE)
    assert restored.count("person") == 3 and list(memory_keyring.secrets) == [(service, entry)]
    restored.engine.dispose()


def test_the_recovery_passphrase_uses_argon2id_at_rfc_9106_cost():
    assert keys.RECOMMENDED_COST == {"time_cost": 3, "memory_kib": 65536, "parallelism": 4}
    key = keys.new_key()
    header = keys.wrap(key, "幸福村第三网格 2026", keys.RECOMMENDED_COST)
    assert header["kdf"]["name"] == "argon2id" and header["kdf"]["memory_kib"] == 65536
    assert key.secret.hex() not in str(header) and keys.unwrap(header, "幸福村第三网格 2026") == key
    with pytest.raises(KeyUnavailable):
        keys.unwrap(header, "幸福村第三网格 2025")


def plain_folder(folder: Path, tmp_path: Path) -> dict:
    """A data folder as an older build left it: plain SQLite data file and backup, plain photo and token files."""
    store = open_store(tmp_path / "made")
    fill(store)
    case_id = Incidents(store).report(CASE)
    CasePhotos(Incidents(store)).add(case_id, b"\xff\xd8 photo of " + "张秀英".encode())
    store.engine.dispose()
    folder.mkdir(exist_ok=True)
    conn = keyed.connect(store.path)
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(paths.data_file(folder)),))
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute("DETACH DATABASE plain")
    conn.close()
    rows = every_row(store.path, store.path.parent)
    (folder / "photos").mkdir()
    sha = photo_blobs.pending(store)[0]["sha256"]
    (folder / "photos" / sha).write_bytes(photo_blobs.read(store, sha))
    (folder / "token").write_text("old-plain-token", encoding="utf-8")
    paths.backup_dir(folder)
    source, copy = sqlite3.connect(paths.data_file(folder)), sqlite3.connect(folder / "backups" / "old.sqlite3")
    source.backup(copy)
    source.close()
    copy.close()
    return {"rows": rows, "sha": sha}


def test_an_old_plain_folder_is_encrypted_on_open_and_keeps_every_record(data_dir, tmp_path, no_keyring):
    made = plain_folder(data_dir, tmp_path)
    assert unlock.is_plain_sqlite(paths.data_file(data_dir)) and shows_any_secret(paths.data_file(data_dir))
    store = open_store(data_dir)
    assert every_row(store.path, data_dir) == made["rows"]                     # every record, every change
    assert [h["label"] for h in store.search("张秀英")][:1] == ["张秀英"]
    assert photo_blobs.read(store, made["sha"]).endswith("张秀英".encode())
    assert TokenStore(data_dir, store.device_id).load() == "old-plain-token"
    backups = sorted(p.name for p in paths.backup_dir(data_dir).iterdir())
    assert len(backups) == 2 and any("before-encryption" in name for name in backups)
    for backup in paths.backup_dir(data_dir).iterdir():
        assert every_row(backup, data_dir) == made["rows"]
    store.engine.dispose()
    leftovers = [p for p in data_dir.rglob("*") if p.is_file() and p.suffix != ".ini"]
    assert [p.name for p in leftovers if shows_any_secret(p) or unlock.is_plain_sqlite(p)] == []
    assert not list(data_dir.rglob("*.encrypting")) and not list(data_dir.rglob("*.part"))


def test_encryption_cut_short_is_finished_at_the_next_open(data_dir, tmp_path, no_keyring):
    made = plain_folder(data_dir, tmp_path)
    key = unlock.unlock(data_dir, paths.data_file(data_dir))   # the key file is written first ...
    encrypting.encrypt_photos(data_dir, key)                    # ... the photos were sealed, then the power went
    (data_dir / "gridbook.sqlite3.encrypting").write_bytes(b"half an export")
    store = open_store(data_dir)
    assert every_row(store.path, data_dir) == made["rows"]
    assert photo_blobs.read(store, made["sha"]).startswith(b"\xff\xd8")        # sealed once, not twice
    assert sealed.is_sealed(data_dir / "token") and not (data_dir / "gridbook.sqlite3.encrypting").exists()
    store.engine.dispose()


def cli(folder: Path, *args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != keys.PASSPHRASE_ENV}
    environment.update(PYTHONPATH=str(ROOT), PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", **(env or {}))
    return subprocess.run([sys.executable, "-m", "desktop.cli", "--data", str(folder), *args], input=stdin,
                          capture_output=True, text=True, env=environment, cwd=ROOT, timeout=120)


def test_the_cli_unlocks_with_the_passphrase_from_stdin_or_the_environment(tmp_path):
    folder = tmp_path / "cli"
    household = '{"grid_code": "420704100201-03", "address": "幸福村3组12号", "head_name": "张秀英"}'
    refused = cli(folder, "put", "household", "--json", household)
    assert refused.returncode == 2 and "还没有恢复口令" in refused.stderr and "--passphrase-stdin" in refused.stderr
    made = cli(folder, "--passphrase-stdin", "grid", "add", "--code", GRID, "--name", "第三网格", "--level", "grid",
               stdin="村里的恢复口令 2026\n")
    assert made.returncode == 0, made.stderr
    put = cli(folder, "--passphrase-stdin", "put", "household", "--json", household, stdin="村里的恢复口令 2026\n")
    assert put.returncode == 0, put.stderr
    locked_out = cli(folder, "status")
    assert locked_out.returncode == 2 and "台账已加密" in locked_out.stderr and "Traceback" not in locked_out.stderr
    wrong = cli(folder, "--passphrase-stdin", "search", "zxy", stdin="别的口令 2026\n")
    assert wrong.returncode == 2 and "恢复口令不对" in wrong.stderr and wrong.stdout == ""
    found = cli(folder, "search", "zxy", env={keys.PASSPHRASE_ENV: "村里的恢复口令 2026"})
    assert found.returncode == 0 and "张秀英" in found.stdout
    changed = cli(folder, "--passphrase-stdin", "passphrase", "--new-stdin",
                  stdin="村里的恢复口令 2026\n新的恢复口令 2027\n")
    assert changed.returncode == 0 and "恢复口令已更改" in changed.stdout
    assert cli(folder, "--passphrase-stdin", "status", stdin="村里的恢复口令 2026\n").returncode == 2
    assert cli(folder, "--passphrase-stdin", "status", stdin="新的恢复口令 2027\n").returncode == 0
    assert shows_any_secret(folder / "gridbook.sqlite3") == []


def test_each_connection_is_keyed_before_sqlalchemy_reads(data_dir):
    store = open_store(data_dir)
    fill(store)
    store.engine.dispose()                       # new connections from the pool: each must be keyed
    assert store.count("person") == 3
    raw = engine.connect(store.path, store.key)
    assert raw.execute("PRAGMA cipher_version").fetchone()[0].startswith("4.")
    raw.close()
    store.engine.dispose()


def test_a_new_folders_key_is_made_once_even_by_two_programs_at_once(data_dir, no_keyring):
    first = unlock.create(data_dir, "第一个程序的口令 2026")
    with pytest.raises(FileExistsError):
        unlock.create(data_dir, "第二个程序的口令 2026")
    assert keys.unwrap(keys.read_header(data_dir), "第一个程序的口令 2026") == first
    assert list(data_dir.iterdir()) == [data_dir / keys.KEY_FILE]          # no temp file left behind


@pytest.mark.parametrize("content", ["", "{", '{"format": "gridbook-key/1"}', '["not", "a", "key"]'])
def test_a_damaged_key_file_is_said_plainly_and_nothing_is_overwritten(data_dir, no_keyring, content):
    store = open_store(data_dir)
    store.engine.dispose()
    (data_dir / keys.KEY_FILE).write_text(content, encoding="utf-8")
    keys.forget(data_dir)
    before = snapshot(data_dir)
    with pytest.raises(KeyUnavailable) as caught:
        open_store(data_dir)
    assert caught.value.code == "store_key_file_damaged" and "已损坏" in caught.value.message()
    assert snapshot(data_dir) == before


def test_a_folder_written_by_the_previous_sqlcipher_opens_and_takes_new_records(data_dir, tmp_path, no_keyring):
    """tests/data/sqlcipher-4.12-folder was written by sqlcipher3-binary 0.6.0 (SQLCipher 4.12), the binding
    of earlier releases: a laptop that upgrades keeps its ledger under the current one."""
    shutil.copytree(ROOT / "tests" / "data" / "sqlcipher-4.12-folder", data_dir, dirs_exist_ok=True)
    store = open_store(data_dir)
    assert [(h["head_name"], h["head_id_number"]) for h in store.list("household")] == \
        [("张秀英", "420704196503120012")]
    assert [(p["name"], p["relation_to_head"]) for p in store.list("person")] == [("张秀英", "户主")]
    assert [h["label"] for h in store.search("张秀英")][:1] == ["张秀英"]
    store.put("household", {"grid_code": GRID, "address": "幸福村3组13号", "head_name": "欧阳建国"})
    store.engine.dispose()
    again = open_store(data_dir)
    assert sorted(h["head_name"] for h in again.list("household")) == ["张秀英", "欧阳建国"]
    again.engine.dispose()
