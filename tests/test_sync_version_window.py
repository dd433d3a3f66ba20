"""Upgrades without a flag day: a laptop still running the previous release syncs with the new station.

The previous release is the real program, taken from this repository's history (git archive)
and run in its own process, not this code with a version number patched.
"""
import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.station_support import ROOT
from tests.support.clients import PASSWORD, Client, household, new_user, station_records

pytestmark = pytest.mark.usefixtures("file_tokens")
# The last commit speaking protocol 1 (before device secrets and forks): what laptops in the
# villages run while their station has been upgraded.
PREVIOUS_RELEASE = "d590f8f270bb44a10d84ac0133da97927739e345"


def release_from_history(tmp_path_factory, commit: str, name: str):
    """The program as it was at `commit`, unpacked from this repository's history (skipped where the clone
    has no history: CI clones whole, so there it always runs)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip(f"needs the repository's history (git) to run the {name}")
    folder = tmp_path_factory.mktemp(name.replace(" ", "-"))
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "desktop", "sync", "resources"],
                             capture_output=True, check=False)
    if archive.returncode != 0:
        pytest.skip(f"the {name} is not in this clone's history: {archive.stderr.decode()[:200]}")
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


@pytest.fixture(scope="module")
def previous_release(tmp_path_factory):
    return release_from_history(tmp_path_factory, PREVIOUS_RELEASE, "previous release")


class OldLaptop:
    """gridbook-cli of the previous release on its own data folder, in its own process."""

    def __init__(self, program, folder):
        self.program, self.folder = program, folder
        self.env = {**os.environ, "PYTHONPATH": str(program), "GRIDBOOK_LANG": "zh_CN",
                    "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "desktop.cli", "--data", str(self.folder), *args],
                              cwd=self.program, env=self.env, input=stdin, capture_output=True, text=True,
                              timeout=120, check=False)

    def ok(self, *args: str, stdin: str | None = None) -> str:
        done = self.cli(*args, stdin=stdin)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout


def test_the_previous_release_keeps_syncing_with_the_new_station(previous_release, sync_station, tmp_path):
    worker = new_user(sync_station)
    old = OldLaptop(previous_release, tmp_path / "old-laptop")
    assert "PROTOCOL_VERSION = 1" in (previous_release / "sync" / "protocol.py").read_text()
    old.ok("login", "--station", sync_station.url, "--user", worker, "--password-stdin", stdin=PASSWORD + "\n")
    old.ok("sync")
    made_old = old.ok("put", "household", "--json", json.dumps(household(1), ensure_ascii=False)).strip()
    old.ok("sync")

    new = Client(tmp_path / "new-laptop")
    try:
        new.login(sync_station.url, worker)
        new.sync()
        assert new.store.get("household", made_old)["head_name"] == "户主1"
        new.put("household", {"id": made_old, "phone": "13800138000"})
        made_new = new.put("household", household(2))
        # a field the previous release does not know (wire schema 3): 民族
        resident = new.put("person", {"household_id": made_new, "name": "王秀英", "ethnicity": "土家族"})
        new.sync()
    finally:
        new.close()

    old.ok("sync")
    assert json.loads(old.ok("get", "household", made_old))["phone"] == "13800138000"
    assert json.loads(old.ok("get", "household", made_new))["head_name"] == "户主2"
    assert json.loads(old.ok("get", "person", resident))["name"] == "王秀英"       # the rest of it arrived
    old.ok("put", "person", "--json", json.dumps({"id": resident, "phone": "13900139000"}))
    old.ok("sync")
    kept = station_records(sync_station, "person", [resident])[resident]
    assert (kept["phone"], kept["ethnicity"]) == ("13900139000", "15")          # its edit lost nothing
    # a second login from the old program renews its own device (it keeps no device secret)
    old.ok("login", "--station", sync_station.url, "--user", worker, "--password-stdin", stdin=PASSWORD + "\n")
    old.ok("put", "household", "--json", json.dumps({"id": made_old, "notes": "旧版本修改"}, ensure_ascii=False))
    old.ok("sync")
    status = json.loads(old.ok("status", "--json"))
    assert status["pending"] == 0 and status["set_aside"] == 0


def test_the_previous_release_skips_the_duty_records_and_keeps_a_case_raised_from_a_visit(
        previous_release, sync_station, tmp_path):
    """Schema 3 is additive: visits are a type the old program does not know, a case's source fields
    are fields it does not know; it syncs past both and its edit of the case keeps them."""
    from desktop.services.visits import Visits

    worker = new_user(sync_station)
    new = Client(tmp_path / "new-laptop")
    old = OldLaptop(previous_release, tmp_path / "old-laptop")
    try:
        new.login(sync_station.url, worker)
        new.sync()
        home = new.put("household", household(3))
        elder = new.put("person", {"name": "独居老人甲", "household_id": home, "tags": ["elderly_alone"]})
        visits = Visits(new.store)
        case = visits.raise_case(visits.record(elder, needs="请求送餐"), "送餐服务")
        assert new.sync().set_aside == 0

        old.ok("login", "--station", sync_station.url, "--user", worker, "--password-stdin", stdin=PASSWORD + "\n")
        old.ok("sync")
        assert json.loads(old.ok("get", "incident", case))["title"] == "送餐服务"
        old.ok("put", "incident", "--json", json.dumps({"id": case, "description": "旧版本补充"}, ensure_ascii=False))
        old.ok("sync")
        assert json.loads(old.ok("status", "--json"))["set_aside"] == 0

        new.sync()
        kept = new.store.get("incident", case)
        assert (kept["description"], kept["source_type"]) == ("旧版本补充", "visit")
        assert visits.history(elder)[0]["cases"][0]["id"] == case
    finally:
        new.close()


BRANCH_POINT = "8ca0c88"          # the release before the duty cycle: protocol 2, schema 2, foreign fields kept


@pytest.fixture(scope="module")
def schema2_release(tmp_path_factory):
    return release_from_history(tmp_path_factory, BRANCH_POINT, "schema-2 release")


def test_a_schema_2_laptop_keeps_the_duty_records_aside_and_merges_them_once_upgraded(
        schema2_release, sync_station, tmp_path):
    """What the schema-2 release pulls and does not know (visits, a case's source) it keeps in foreign_field;
    opened by this release, the folder is migrated and those records appear whole at its next sync, though the
    station has nothing new for it."""
    from desktop.services.visits import Visits

    worker = new_user(sync_station)
    new = Client(tmp_path / "new-laptop")
    try:
        new.login(sync_station.url, worker)
        new.sync()
        home = new.put("household", household(4))
        elder = new.put("person", {"name": "留守老人乙", "household_id": home, "tags": ["elderly_alone"]})
        visits = Visits(new.store)
        visit = visits.record(elder, method="video", needs="想装助听器")
        case = visits.raise_case(visit, "助听器申请")
        assert new.sync().set_aside == 0
    finally:
        new.close()
    folder = tmp_path / "schema2-laptop"
    old = OldLaptop(schema2_release, folder)
    old.ok("login", "--station", sync_station.url, "--user", worker, "--password-stdin", stdin=PASSWORD + "\n")
    old.ok("sync")
    assert json.loads(old.ok("get", "incident", case))["title"] == "助听器申请"
    assert json.loads(old.ok("status", "--json"))["set_aside"] == 0

    upgraded = Client(folder)                       # the same folder, opened by this release
    try:
        assert upgraded.store.get("visit", visit) is None       # kept aside until the next page is applied
        assert upgraded.engine.sync().pulled == 0
        merged = upgraded.store.get("visit", visit)
        assert (merged["method"], merged["needs"], merged["person_id"]) == ("video", "想装助听器", elder)
        assert upgraded.store.get("incident", case)["source_id"] == visit
        assert Visits(upgraded.store).history(elder)[0]["cases"][0]["id"] == case
    finally:
        upgraded.close()
