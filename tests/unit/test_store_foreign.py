"""A newer station's fields and record types are kept, never dropped, and merged once this release knows them."""
from sqlalchemy import select

from desktop.store import replication
from desktop.store.foreign import keep
from desktop.store.schema import foreign_field
from sync import clock
from tests.conftest import GRID

DEVICE = "0" * 8 + "-0000-7000-8000-" + "0" * 12


def stamp(ms: int) -> str:
    return clock.stamp(ms << 16, DEVICE)


def kept(store) -> dict:
    with store.reading() as conn:
        return {(t, i, f): (v, s) for t, i, f, v, s in conn.execute(select(foreign_field))}


def test_an_unknown_field_and_type_are_kept_with_their_stamps(store):
    hid = "01a23100-0000-7000-8000-000000000001"
    row = {"type": "household", "id": hid,
           "f": {"id": hid, "grid_code": GRID, "address": "幸福村1号", "head_name": "张三", "ethnicity": "汉族"},
           "c": {f: stamp(1000) for f in ("id", "grid_code", "address", "head_name", "ethnicity")}}
    # a record type of a release after this one (schema 3 made "visit" a known one)
    visit = {"type": "opinion_poll", "id": "v1", "f": {"id": "v1", "how": "入户"},
             "c": {"id": stamp(1000), "how": stamp(1000)}}
    replication.apply_remote(store, [row, visit])
    household = store.get("household", hid)
    assert household["head_name"] == "张三" and "ethnicity" not in household["clocks"]
    assert kept(store) == {("household", hid, "ethnicity"): ("汉族", stamp(1000)),
                           ("opinion_poll", "v1", "id"): ("v1", stamp(1000)),
                           ("opinion_poll", "v1", "how"): ("入户", stamp(1000))}
    later = {**row, "f": {"ethnicity": "回族"}, "c": {"ethnicity": stamp(2000)}}
    earlier = {**row, "f": {"ethnicity": "满族"}, "c": {"ethnicity": stamp(500)}}
    replication.apply_remote(store, [later])
    replication.apply_remote(store, [earlier])          # the later stamp wins, as for any field
    assert kept(store)[("household", hid, "ethnicity")] == ("回族", stamp(2000))


def test_what_an_older_release_kept_is_merged_by_the_release_that_knows_it(store):
    """As the next release finds it: `phone` kept aside by a release that did not know it."""
    hid = store.put("household", {"grid_code": GRID, "address": "幸福村2号", "head_name": "李四"})
    with store.atomic() as conn:
        keep(conn, [("household", hid, "phone", "13800138000", stamp(1 << 40))])
    replication.apply_remote(store, [])                 # the next pull page, even an empty one
    household = store.get("household", hid)
    assert household["phone"] == "13800138000" and household["clocks"]["phone"] == stamp(1 << 40)
    assert kept(store) == {}
