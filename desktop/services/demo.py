"""A realistic demo village for trying the workbench, screenshots and benchmarks (no Qt).

幸福村 (420704100201, a villagers' committee of 鄂城区) in four grids, ~300 households,
~1,000 residents with valid ID numbers, buildings, organisations, incidents in every
status, two weeks of patrols, and the duty cycle (demo_duty.py: visits, the task list,
ten-household groups, map coordinates and outlines); written through the store's bulk path.
"""
from __future__ import annotations

import datetime as dt
import random

from sync import messages, records
from sync.ids import new_id
from sync.validation import id_check_char

from ..store import Store, queries
from ..store.repository import DEMO_KEY
from . import demo_duty

messages.register({
    "demo_logged_in": ("这个数据文件夹已登录乡镇站，不能在其中生成演示村：演示数据不能进入真实台账。"
                       "想试用演示村，请用新的数据文件夹：gridbook --data 新文件夹 --demo。",
                       "This data folder is logged in to a township station, so no demo village is made in "
                       "it: demo records must never reach a real ledger. To try the demo, use a new data "
                       "folder: gridbook --data NEW_FOLDER --demo."),
})


class DemoRefused(Exception):
    """A demo village asked for in a folder that syncs with a station."""

    def message(self, lang: str | None = None) -> str:
        return messages.render("demo_logged_in", lang)

COUNTY, TOWNSHIP, VILLAGE = "420704", "420704100", "420704100201"
HIERARCHY = [(COUNTY, "鄂城区", "county", None), (TOWNSHIP, "泽林镇", "township", COUNTY),
             (VILLAGE, "幸福村", "village", TOWNSHIP)]
GRID_NAMES = ["一组网格", "二组网格", "三组网格", "四组网格"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红文玉海燕春梅德福兴荣"
HAMLETS = ["王家湾", "李家畈", "张家岭", "刘家墩", "陈家咀", "杨柳塘"]
RELATIONS = ["配偶", "子", "女", "孙子", "孙女", "父亲", "母亲", "儿媳"]
ORG_KINDS = [("幸福村村民委员会", "村委会"), ("幸福村卫生室", "医疗"), ("泽林镇幸福小学", "学校"),
             ("鑫源建材有限公司", "企业"), ("绿野农业专业合作社", "合作社"), ("百家福超市", "个体工商户"),
             ("幸福村幼儿园", "学校"), ("湖光水产养殖场", "企业")]
INCIDENT_TITLES = {
    "dispute": ["邻里宅基地界址纠纷", "赡养老人家庭矛盾", "土地流转租金纠纷"],
    "safety_hazard": ["老旧民房墙体开裂", "电动车楼道充电", "池塘边缺少护栏"],
    "public_security": ["夜间农具被盗", "陌生人员上门推销"],
    "livelihood": ["代办高龄津贴申请", "路灯损坏需维修", "自来水管爆裂"],
    "environment": ["垃圾堆放点未清运", "养殖污水排放"],
    "special_population": ["社区矫正人员走访", "独居老人走访慰问"],
    "other": ["村民咨询医保政策"],
}
CHINA = dt.timezone(dt.timedelta(hours=8))


def _id_number(rng: random.Random, born: dt.date, male: bool) -> str:
    serial = rng.randrange(0, 50) * 2 + (1 if male else 0)
    first17 = f"{VILLAGE[:6]}{born:%Y%m%d}{rng.randrange(10, 100)}{serial % 10}"
    return first17 + id_check_char(first17)


def _name(rng: random.Random, surname: str | None = None) -> str:
    return (surname or rng.choice(SURNAMES)) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "150", "186", "177")) + f"{rng.randrange(10**8):08d}"


def _person(rng, household_id, born, male, name, relation, today) -> dict:
    age = (today - born).days // 365
    tags = []
    if age >= 75 and rng.random() < 0.3:
        tags.append("elderly_alone")
    if age < 16 and rng.random() < 0.25:
        tags.append("left_behind_child")
    for tag, chance in (("disabled", 0.03), ("low_income", 0.05), ("veteran", 0.02)):
        if rng.random() < chance:
            tags.append(tag)
    residence = "left" if 18 <= age <= 50 and rng.random() < 0.3 else rng.choice(["registered"] * 9 + ["floating"])
    return {"id": new_id(), "household_id": household_id, "name": name,
            "id_number": _id_number(rng, born, male), "relation_to_head": relation,
            "phone": _phone(rng) if 16 <= age <= 75 and rng.random() < 0.6 else None,
            "residence": residence, "tags": tags}


def create_demo(store: Store, households: int = 300, seed: int = 20240301,
                now: dt.datetime | None = None) -> dict:
    """Fill an empty store with the demo village; return how many records of each type.

    The folder is marked first: from then on it never logs in, syncs or exports a sync
    file (desktop/syncing refuses), so the demo cannot reach a real township."""
    if store.get_meta("station_url"):
        raise DemoRefused()
    store.set_meta(**{DEMO_KEY: "1"})
    rng = random.Random(seed)
    now = (now or dt.datetime.now(CHINA)).astimezone(CHINA).replace(microsecond=0)
    today = now.date()
    grids = [f"{VILLAGE}-{i + 1:02d}" for i in range(len(GRID_NAMES))]
    units = ([{"code": c, "name": n, "level": lv, "parent_code": p} for c, n, lv, p in HIERARCHY]
             + [{"code": c, "name": f"幸福村{n}", "level": "grid", "parent_code": VILLAGE}
                for c, n in zip(grids, GRID_NAMES, strict=True)])
    known = {g["code"] for g in queries.grids(store)}       # a synced hierarchy stays as it is
    store.put_many("grid", [u for u in units if u["code"] not in known])
    buildings = []
    for i in range(households // 3):
        grid = grids[i % len(grids)]
        buildings.append({"id": new_id(), "grid_code": grid, "address": f"幸福村{HAMLETS[i % 6]}{i + 1}号",
                          "name": f"{HAMLETS[i % 6]}{i + 1}号楼", "floors": rng.choice((1, 2, 2, 3, 3, 4)),
                          "use": rng.choice(["residential"] * 6 + ["commercial", "mixed", "public", "vacant"]),
                          "structure": rng.choice(("砖混", "框架", "砖木", "钢混"))})
    duty_rng = random.Random(seed + 1)      # the duty cycle's own: the ledger's draws stay as they were
    demo_duty.place(duty_rng, buildings, grids)
    store.put_many("building", buildings)
    homes, people = [], []
    for i in range(households):
        building = buildings[i % len(buildings)]
        surname = rng.choice(SURNAMES)
        head_male = rng.random() < 0.8
        head_born = (today.replace(year=today.year - rng.randrange(28, 80), day=1)
                     - dt.timedelta(days=rng.randrange(300)))
        head_name = _name(rng, surname)
        household_id = new_id()
        head = _person(rng, household_id, head_born, head_male, head_name, "户主", today)
        homes.append({"id": household_id, "grid_code": building["grid_code"], "address": f"{building['address']}",
                      "head_name": head_name, "head_id_number": head["id_number"],
                      "phone": head["phone"] or _phone(rng), "building_id": building["id"],
                      "tags": ["low_income"] if "low_income" in head["tags"] else []})
        people.append(head)
        for _ in range(rng.choice((1, 2, 2, 3, 3, 4, 5))):
            relation = rng.choice(RELATIONS)
            offset = {"配偶": 0, "父亲": 28, "母亲": 26}.get(relation, -rng.randrange(20, 50))
            year = max(min(head_born.year - offset, today.year - 1), 1920)
            born = dt.date(year, head_born.month, min(head_born.day, 28)) + dt.timedelta(days=rng.randrange(200))
            born = min(born, today - dt.timedelta(days=30))
            male = relation in ("子", "孙子", "父亲") or (relation == "配偶" and not head_male)
            family_name = surname if relation in ("子", "女", "孙子", "孙女", "父亲") else None
            people.append(_person(rng, household_id, born, male, _name(rng, family_name), relation, today))
    store.put_many("household", homes)
    store.put_many("person", people)
    organisations = [{"id": new_id(), "grid_code": grids[i % len(grids)], "name": name, "kind": kind,
                      "address": f"幸福村{HAMLETS[i % 6]}", "contact": _name(rng), "phone": _phone(rng)}
                     for i, (name, kind) in enumerate(ORG_KINDS)]
    store.put_many("organisation", organisations)
    store.put_many("incident", _incidents(rng, grids, now))
    store.put_many("patrol", _patrols(rng, grids, now))
    demo_duty.add(store, duty_rng, grids, VILLAGE, now)
    return {t: store.count(t) for t in records.RECORD_TYPES}


def _incidents(rng: random.Random, grids: list[str], now: dt.datetime) -> list[dict]:
    rows = []
    statuses = list(records.INCIDENT_STATUSES)
    for i in range(42):
        category = list(INCIDENT_TITLES)[i % len(INCIDENT_TITLES)]
        reported = now - dt.timedelta(days=rng.randrange(0, 30), hours=rng.randrange(0, 10))
        status = statuses[i % len(statuses)]
        rows.append({"id": new_id(), "grid_code": grids[i % len(grids)], "category": category,
                     "title": rng.choice(INCIDENT_TITLES[category]), "location": f"幸福村{rng.choice(HAMLETS)}",
                     "parties": _name(rng) if category == "dispute" else None,
                     "description": "网格员巡查发现，已登记并跟进。", "reported_at": reported.isoformat(),
                     "reported_by": "网格员", "status": status,
                     "level": "township" if status == "escalated" else "village",
                     "deadline": (reported + dt.timedelta(days=rng.choice((3, 7, 15)))).isoformat()})
    return rows


def _patrols(rng: random.Random, grids: list[str], now: dt.datetime) -> list[dict]:
    rows = []
    for day in range(14):
        date = (now - dt.timedelta(days=day)).replace(hour=8, minute=30, second=0)
        for grid in grids:
            start = date + dt.timedelta(minutes=rng.randrange(0, 90))
            end = start + dt.timedelta(minutes=rng.randrange(90, 240))
            if end > now:
                continue
            rows.append({"id": new_id(), "grid_code": grid, "worker": f"{grid[-2:]}号网格员",
                         "started_at": start.isoformat(), "ended_at": end.isoformat(),
                         "notes": rng.choice(("走访独居老人", "巡查安全隐患", "入户核实人口信息", "河塘巡查"))})
    return rows


def is_empty(store: Store) -> bool:
    return all(store.count(t) == 0 for t in ("household", "person", "building"))
