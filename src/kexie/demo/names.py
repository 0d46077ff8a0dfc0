"""Word banks and short names for demo enterprise names (no database, no randomness).

A name is ``{prefix}{字号}{行业词}{组织形式}``, e.g. 中原华通智能装备有限公司. The prefix is the county's
short name for most enterprises (the city's for 市属国企, the province's for 省管企业, 中国 for central
enterprises). The k-th enterprise under one prefix gets the k-th pair (字号, 行业词) of a fixed
permutation, so names under one prefix never repeat.
"""

from __future__ import annotations

import zlib

# 56 peoples minus 汉, longest first so that 土家 is tried before 土.
_PEOPLES = sorted(
    """蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 拉祜 水 东乡 纳西
    景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂
    保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 各""".split(),
    key=len,
    reverse=True,
)
_COUNTY_SUFFIXES = ("自治县", "自治旗", "新区", "矿区", "林区", "特区", "区", "县", "市", "旗")
_CITY_SUFFIXES = ("自治州", "地区", "盟", "市")
_PROVINCE_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)


def _strip_peoples(text: str, *, bare: bool = False) -> str:
    """青龙满族 → 青龙; 靖州苗族侗族 → 靖州; 东乡族 → 东乡; with ``bare``, 伊犁哈萨克 → 伊犁.
    Never strips a name below two characters."""
    while True:
        for people in _PEOPLES:
            tails = (people + "族", people) if bare else (people + "族",)
            tail = next((t for t in tails if text.endswith(t) and len(text) - len(t) >= 2), None)
            if tail:
                text = text[: -len(tail)]
                break
        else:
            return text[:-1] if text.endswith("族") and len(text) > 2 else text


def county_short_name(name: str) -> str:
    """中原区 → 中原, 管城回族区 → 管城, 巩义市 → 巩义; a two-character name stays whole (杞县, 郏县)."""
    if len(name) <= 2:
        return name
    for suffix in _COUNTY_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return _strip_peoples(name[: -len(suffix)], bare=suffix.startswith("自治"))
    return name


def city_short_name(name: str) -> str:
    """郑州市 → 郑州, 恩施土家族苗族自治州 → 恩施, 阿拉善盟 → 阿拉善."""
    for suffix in _CITY_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return _strip_peoples(name[: -len(suffix)], bare=suffix == "自治州")
    return name


def province_short_name(name: str) -> str:
    """河南省 → 河南, 广西壮族自治区 → 广西, 北京市 → 北京."""
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


# 字号: two characters, an auspicious first and second character (华通, 恒达, 瑞丰 …).
_FIRST = "华宏恒瑞鑫博天盛永金新嘉泰德安凯东源联银宇正汇光明聚润远龙万佳"
_SECOND = "通达泰盛源丰信诚利兴远创发隆昌华威腾宇邦辉峰晟瑞德润"
ZIHAO: tuple[str, ...] = tuple(a + b for a in _FIRST for b in _SECOND if a != b)

# 行业词 and the GB/T 4754 section it implies. Manufacturing (C) dominates, then I and M.
INDUSTRY_WORDS: tuple[tuple[str, str], ...] = (
    *(
        (w, "C")
        for w in (
            "智能装备 新材料 生物医药 电子信息 精密机械 化工 食品 新能源 汽车零部件 电气 重工 铝业 医疗器械 "
            "光电 仪器仪表 超硬材料 耐火材料 纺织 建材 药业 电缆 轴承 农业机械 包装材料 环保设备 特种设备 "
            "电池 机器人 阀门 数控机床"
        ).split()
    ),
    *(
        (w, "I")
        for w in "软件 信息技术 网络科技 数据科技 智能科技 通信技术 云计算 物联网 数字科技 信息系统".split()
    ),
    *((w, "M") for w in "检测技术 工程技术 生物科技 技术服务 工程设计 科技研发 环境科技 技术研究".split()),
    ("能源", "D"),
    ("热力", "D"),
    ("建设工程", "E"),
    ("建筑工程", "E"),
    ("商贸", "F"),
    ("供应链管理", "F"),
    ("物流", "G"),
    ("运输", "G"),
    ("环保", "N"),
    ("生态环境", "N"),
    ("农业科技", "A"),
    ("农牧", "A"),
)
WORDS: tuple[str, ...] = tuple(w for w, _ in INDUSTRY_WORDS)
WORD_SECTIONS: tuple[str, ...] = tuple(s for _, s in INDUSTRY_WORDS)
N_WORDS = len(WORDS)

# Every prefix has CAPACITY distinct (字号, 行业词) pairs, visited in the order of a fixed permutation.
CAPACITY = len(ZIHAO) * N_WORDS
_STEP = 7957  # coprime to CAPACITY (so k → k·STEP + shift is a permutation); 37 mod 60 mixes the words

ROADS: tuple[str, ...] = tuple(
    "建设路 人民路 文化路 科技大道 工业路 长江路 黄河路 解放路 中山路 和平路 新华路 胜利路 东风路 光明路 "
    "创新大道 高新大道 学府路 迎宾大道 滨河路 朝阳路 金融大道 兴业路 产业大道 经开大道 开元路".split()
)

SUBUNIT_NAMES: tuple[str, ...] = (
    "研发中心分会",
    "技术中心分会",
    "工程技术研究院分会",
    "第一分厂科协小组",
    "第二分厂科协小组",
    "质量检测中心科协小组",
    "信息化部科协小组",
    "智能制造车间科协小组",
)

PARK_NAMES: tuple[str, ...] = ("高新技术产业园区", "经济技术开发区", "科技创新园", "产业集聚区")


def prefix_shift(prefix: str) -> int:
    """Where the permutation starts for a prefix, so neighbouring counties don't start alike."""
    return zlib.crc32(prefix.encode()) % CAPACITY


def name_parts(prefix: str, k: int, shift: int | None = None) -> tuple[str, int]:
    """The k-th (字号 + 行业词) under a prefix and the index of its industry word."""
    if not 0 <= k < CAPACITY:
        raise ValueError(f"prefix {prefix!r} has only {CAPACITY} distinct names")
    if shift is None:
        shift = prefix_shift(prefix)
    combo = (k * _STEP + shift) % CAPACITY
    word = combo % N_WORDS
    return ZIHAO[combo // N_WORDS] + WORDS[word], word
