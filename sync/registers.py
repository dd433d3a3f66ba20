"""The national code tables the population registers share: stored as their codes, shown by their names.

民族 GB 3304-1991, 文化程度 GB/T 4658-2006, 婚姻状况 GB/T 2261.2-2003, 政治面貌 GB/T 4762-1984:
the codes the police, grid and bank templates carry, so an export is what those systems
take and an import understands both the code and the name (汉族, 汉; 大学本科, 本科).
"""
from __future__ import annotations

import functools

ETHNICITIES: dict[str, tuple[str, str]] = {
    "01": ("汉族", "Han"), "02": ("蒙古族", "Mongol"), "03": ("回族", "Hui"), "04": ("藏族", "Tibetan"),
    "05": ("维吾尔族", "Uyghur"), "06": ("苗族", "Miao"), "07": ("彝族", "Yi"), "08": ("壮族", "Zhuang"),
    "09": ("布依族", "Bouyei"), "10": ("朝鲜族", "Korean"), "11": ("满族", "Manchu"), "12": ("侗族", "Dong"),
    "13": ("瑶族", "Yao"), "14": ("白族", "Bai"), "15": ("土家族", "Tujia"), "16": ("哈尼族", "Hani"),
    "17": ("哈萨克族", "Kazakh"), "18": ("傣族", "Dai"), "19": ("黎族", "Li"), "20": ("傈僳族", "Lisu"),
    "21": ("佤族", "Va"), "22": ("畲族", "She"), "23": ("高山族", "Gaoshan"), "24": ("拉祜族", "Lahu"),
    "25": ("水族", "Sui"), "26": ("东乡族", "Dongxiang"), "27": ("纳西族", "Naxi"), "28": ("景颇族", "Jingpo"),
    "29": ("柯尔克孜族", "Kyrgyz"), "30": ("土族", "Tu"), "31": ("达斡尔族", "Daur"), "32": ("仫佬族", "Mulao"),
    "33": ("羌族", "Qiang"), "34": ("布朗族", "Blang"), "35": ("撒拉族", "Salar"), "36": ("毛南族", "Maonan"),
    "37": ("仡佬族", "Gelao"), "38": ("锡伯族", "Xibe"), "39": ("阿昌族", "Achang"), "40": ("普米族", "Pumi"),
    "41": ("塔吉克族", "Tajik"), "42": ("怒族", "Nu"), "43": ("乌孜别克族", "Uzbek"), "44": ("俄罗斯族", "Russian"),
    "45": ("鄂温克族", "Evenki"), "46": ("德昂族", "De'ang"), "47": ("保安族", "Bonan"), "48": ("裕固族", "Yugur"),
    "49": ("京族", "Gin"), "50": ("塔塔尔族", "Tatar"), "51": ("独龙族", "Derung"), "52": ("鄂伦春族", "Oroqen"),
    "53": ("赫哲族", "Hezhen"), "54": ("门巴族", "Monba"), "55": ("珞巴族", "Lhoba"), "56": ("基诺族", "Jino"),
    "97": ("其他未识别的民族", "other, unrecognised"), "98": ("外国血统中国籍人士", "of foreign origin"),
}
EDUCATION: dict[str, tuple[str, str]] = {
    "10": ("研究生", "postgraduate"), "20": ("大学本科", "bachelor's degree"), "30": ("大学专科", "college"),
    "40": ("中等专科", "secondary vocational"), "50": ("技工学校", "technical school"), "60": ("高中", "senior high"),
    "70": ("初中", "junior high"), "80": ("小学", "primary"), "90": ("文盲或半文盲", "none or little schooling"),
}
MARITAL_STATUSES: dict[str, tuple[str, str]] = {
    "10": ("未婚", "never married"), "20": ("已婚", "married"), "30": ("丧偶", "widowed"),
    "40": ("离婚", "divorced"), "90": ("未说明", "not stated"),
}
POLITICAL_STATUSES: dict[str, tuple[str, str]] = {
    "01": ("中共党员", "CPC member"), "02": ("中共预备党员", "CPC probationary member"),
    "03": ("共青团员", "CYL member"), "04": ("民革会员", "RCCK member"), "05": ("民盟盟员", "CDL member"),
    "06": ("民建会员", "CNDCA member"), "07": ("民进会员", "CAPD member"), "08": ("农工党党员", "CPWDP member"),
    "09": ("致公党党员", "CZGP member"), "10": ("九三学社社员", "Jiusan Society member"),
    "11": ("台盟盟员", "TDSGL member"), "12": ("无党派人士", "without party affiliation"), "13": ("群众", "masses"),
}
TABLES = {"ethnicity": ETHNICITIES, "education": EDUCATION, "marital_status": MARITAL_STATUSES,
          "political_status": POLITICAL_STATUSES}

# What registers write besides the names above (short and long forms, older editions).
_OTHER_NAMES = {
    "education": {"硕士": "10", "博士": "10", "硕士研究生": "10", "博士研究生": "10", "本科": "20", "大本": "20",
                  "大专": "30", "专科": "30", "中专": "40", "中技": "50", "技校": "50", "职高": "40",
                  "高中及以上": "60", "初中及以下": "70", "文盲": "90", "半文盲": "90", "学龄前": "90"},
    "marital_status": {"有配偶": "20", "初婚": "20", "再婚": "20", "复婚": "20", "单身": "10"},
    "political_status": {"党员": "01", "中国共产党党员": "01", "预备党员": "02", "中国共产党预备党员": "02",
                         "团员": "03", "中国共产主义青年团团员": "03", "群众": "13", "普通居民": "13",
                         "无党派民主人士": "12"},
}


@functools.cache
def _by_name(field: str) -> dict[str, str]:
    table = TABLES[field]
    names = {zh: code for code, (zh, _en) in table.items()}
    names.update({en.lower(): code for code, (_zh, en) in table.items()})
    if field == "ethnicity":               # 汉 for 汉族, 维吾尔 for 维吾尔族
        names.update({zh[:-1]: code for code, (zh, _en) in table.items() if zh.endswith("族")})
    names.update(_OTHER_NAMES.get(field, {}))
    return names


def code_of(field: str, text: str) -> str | None:
    """The code a register cell means: the code itself ("01", "1"), or a name (汉族, 汉, 本科); None if neither."""
    value = text.strip().replace(" ", "").replace("\u3000", "")
    table = TABLES[field]
    if value in table:
        return value
    if value.isdigit() and value.zfill(2) in table:
        return value.zfill(2)
    return _by_name(field).get(value) or _by_name(field).get(value.lower())


def label(field: str, code: str, lang: str = "zh_CN") -> str:
    pair = TABLES[field].get(code)
    if pair is None:
        return code
    return pair[1] if lang == "en" else pair[0]
