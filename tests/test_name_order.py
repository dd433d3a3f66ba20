"""Names sort in pinyin order, as WPS and Excel sort Chinese (安 before 白 before 张), through every write path."""

from desktop import paths
from desktop.store import open_store, queries, replication, search
from desktop.store.name_order import sort_key
from tests.conftest import GRID
from tests.support import keyed

NAMES = ["赵六", "安娜", "曾国藩", "张三", "白雪", "单田芳", "章三", "李", "李明", "林", "Alice王"]
PINYIN_ORDER = ["Alice王", "安娜", "白雪", "李", "李明", "林", "单田芳", "曾国藩", "张三", "章三", "赵六"]


def names(store, record_type="person", field="name", descending=False):
    return [r[field] for r in queries.page(store, record_type, order_by=field, descending=descending)]


def household(store, head="张三"):
    return store.put("household", {"grid_code": GRID, "address": "幸福村3组12号", "head_name": head})


def test_residents_sort_by_pinyin_with_surnames_read_as_surnames(store):
    home = household(store)
    for name in NAMES:
        store.put("person", {"household_id": home, "name": name})
    assert names(store) == PINYIN_ORDER                 # 曾 is Zeng and 单 is Shan as surnames
    assert names(store, descending=True) == PINYIN_ORDER[::-1]
    assert sorted(NAMES) != PINYIN_ORDER                # code point order would have been different


def test_households_sort_by_the_heads_name(store):
    for head in ("赵六", "安娜", "李明"):
        household(store, head)
    assert names(store, "household", "head_name") == ["安娜", "李明", "赵六"]


def test_the_order_follows_edits_deletes_imports_and_pulls(store):
    home = household(store)
    anna = store.put("person", {"household_id": home, "name": "安娜"})
    store.put("person", {"household_id": home, "name": "林"})
    store.put("person", {"id": anna, "name": "赵安娜"})             # renamed: now after 林
    assert names(store) == ["林", "赵安娜"]
    store.put_many("person", [{"household_id": home, "name": "白雪"}, {"household_id": home, "name": "张三"}])
    assert names(store) == ["白雪", "林", "张三", "赵安娜"]
    store.delete("person", anna)
    assert names(store) == ["白雪", "林", "张三"]
    pulled = "01a20009-3cb1-7bd2-a99e-aca0551ed5ad"
    replication.apply_remote(store, [{"type": "person", "id": pulled,
                                      "f": {"id": pulled, "household_id": home, "name": "安然", "residence": "registered"},
                                      "c": {"id": "0" * 16 + "x", "household_id": "0" * 16 + "x",
                                            "name": "0" * 16 + "x", "residence": "0" * 16 + "x"}}], "cursor", 1)
    assert names(store) == ["安然", "白雪", "林", "张三"]
    with store.atomic() as conn:
        search.rebuild(conn)                                       # a rebuild keys everything again
    assert names(store) == ["安然", "白雪", "林", "张三"]


def test_a_file_from_schema_3_gets_its_names_keyed(data_dir):
    old = open_store(data_dir, revision="0003")
    old.put("grid", {"code": GRID, "name": "幸福村第三网格", "level": "grid"})
    home = old.put("household", {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三"})
    for name in ("赵六", "安娜", "白雪"):
        old.put("person", {"household_id": home, "name": name})
    old.engine.dispose()
    with keyed.connect(paths.data_file(data_dir)) as raw:     # as a build with schema 3 left it
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0003",)
        raw.execute("DROP TABLE person_name_order")
        raw.execute("DROP TABLE household_name_order")
    store = open_store(data_dir)
    try:
        assert names(store) == ["安娜", "白雪", "赵六"]
        assert sort_key("安娜") < sort_key("白雪") < sort_key("赵六")
    finally:
        store.engine.dispose()
