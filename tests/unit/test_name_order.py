"""Names sort in pinyin order, as WPS and Excel sort Chinese (安 before 白 before 张), through every write path."""

import pytest

from desktop import paths
from desktop.store import open_store, queries, replication, search
from desktop.store.name_order import sort_key
from tests.conftest import GRID
from tests.support import keyed, legacy

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
                                      "f": {"id": pulled, "household_id": home, "name": "安然",
                                            "residence": "registered"},
                                      "c": {"id": "0" * 16 + "x", "household_id": "0" * 16 + "x",
                                            "name": "0" * 16 + "x", "residence": "0" * 16 + "x"}}], "cursor", 1)
    assert names(store) == ["安然", "白雪", "林", "张三"]
    with store.atomic() as conn:
        search.rebuild(conn)                                       # a rebuild keys everything again
    assert names(store) == ["安然", "白雪", "林", "张三"]


def test_a_file_from_schema_3_gets_its_names_keyed(data_dir):
    old = open_store(data_dir, revision="0003")
    legacy.put(old, "grid", {"code": GRID, "name": "幸福村第三网格", "level": "grid"})
    home = legacy.put(old, "household", {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三"})
    for name in ("赵六", "安娜", "白雪"):
        legacy.put(old, "person", {"household_id": home, "name": name})
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


# -- the order ICU's Chinese collation gives (the oracle: PyICU, a test extra) -----------------
ORDINARY_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭萧田董袁潘于蒋蔡余杜叶程苏魏吕丁" \
                    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵钱严武戴莫孔" \
                    "向汤厉谌阳羊沈栾"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉梅文斌宇浩凯鹏飞欣怡子轩梓涵雨萱婷雪慧佳嘉琪思颖晨"


def icu_order(names):
    icu = pytest.importorskip("icu")
    collator = icu.Collator.createInstance(icu.Locale("zh"))
    return sorted(names, key=collator.getSortKey)


def test_ordinary_names_sort_as_icu_sorts_them():
    import random

    rng = random.Random(14)
    names = {rng.choice(ORDINARY_SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
             for _ in range(4000)}
    assert sorted(names, key=sort_key) == icu_order(names)


def test_lv_sorts_right_after_lu_and_one_surname_stays_together():
    names = ["罗伟", "吕伟", "卢伟", "栾伟", "李明", "黎华", "厉强", "李华", "黎明", "许二", "徐一", "许一", "陈一",
             "谌二", "陈三", "谌一"]
    ours = sorted(names, key=sort_key)
    assert ours == icu_order(names)
    assert ours.index("吕伟") == ours.index("卢伟") + 1                # ü is not v: 吕 before 栾 and 罗
    surnames = [n[0] for n in ours]
    for surname in "李黎厉徐许陈谌":                                  # each surname's names in one run
        runs = [i for i, s in enumerate(surnames) if s == surname]
        assert runs == list(range(runs[0], runs[-1] + 1)), surname


@pytest.mark.parametrize("names, expected", [
    ("布芳 卜芳 波芳", "波芳 卜芳 布芳"),        # 卜 Bǔ, not bo
    ("康芳 阚芳 韩芳", "韩芳 阚芳 康芳"),        # 阚 Kàn, not han
    ("贝芳 薄芳 包芳", "包芳 贝芳 薄芳"),        # 薄 Bó, not bao
    ("张芳 陈芳 长芳", "长芳 陈芳 张芳"),        # 长 Cháng as a surname, not zhang
    ("宁芳 粘芳 倪芳", "倪芳 粘芳 宁芳"),        # 粘 Nián, not zhan
    ("沈芳 折芳 佘芳", "佘芳 折芳 沈芳"),        # 折 Shé, not zhe
    ("聂芳 乜芳 米芳", "米芳 乜芳 聂芳"),        # 乜 Niè, not mie
    ("南芳 佴芳 鄂芳", "鄂芳 佴芳 南芳"),        # 佴 Nài, not er
    ("姚芳 么芳 杨芳", "杨芳 么芳 姚芳"),        # 么 Yāo, not me
    ("杜芳 都芳 窦芳", "窦芳 都芳 杜芳"),        # 都 Dū, not dou
    ("曾芳 岑芳 邹芳", "岑芳 曾芳 邹芳"),        # 曾 Zēng, not ceng
    ("单芳 陈芳 山芳", "陈芳 山芳 单芳"),        # 单 Shàn, not dan
    ("尉迟恭 魏征 于谦", "魏征 于谦 尉迟恭"),    # 尉迟 Yùchí, a compound surname
])
def test_surnames_read_as_surnames(names, expected):
    assert sorted(names.split(), key=sort_key) == expected.split()


def test_a_surname_reading_is_for_the_surname_only():
    assert sort_key("长") < sort_key("陈")                       # alone it is still the surname Cháng
    assert sort_key("王张") < sort_key("王长江") < sort_key("王郑")   # in a given name 长 is read zhǎng by default…
    assert sort_key("李华") < sort_key("李明")                    # …and 华 as a given name is huá


def test_a_file_from_schema_4_gets_its_keys_written_anew(data_dir):
    old = open_store(data_dir, revision="0004")
    legacy.put(old, "grid", {"code": GRID, "name": "幸福村第三网格", "level": "grid"})
    home = legacy.put(old, "household", {"grid_code": GRID, "address": "幸福村3组12号", "head_name": "张三"})
    for name in ("罗伟", "吕伟", "卢伟"):
        legacy.put(old, "person", {"household_id": home, "name": name})
    with keyed.connect(paths.data_file(data_dir)) as raw:      # schema 4 keyed names as it wrote them
        raw.execute("INSERT INTO person_name_order (id, key) SELECT rowid, name FROM person")
    old.engine.dispose()
    with keyed.connect(paths.data_file(data_dir)) as raw:      # schema 4's keys: lv for 吕, after luo
        raw.execute("UPDATE person_name_order SET key = (SELECT CASE name WHEN '卢伟' THEN 'lu wei' "
                    "WHEN '罗伟' THEN 'luo wei' ELSE 'lv wei' END "
                    "FROM person WHERE person.rowid = person_name_order.id)")
    store = open_store(data_dir)
    try:
        assert names(store) == ["卢伟", "吕伟", "罗伟"]
    finally:
        store.engine.dispose()
