"""Deterministic demo enterprises, computed without the database.

Everything here is a pure function of the official division list and a seed: the same call gives
the same rows on any machine, which is what the tests compare the database against.
A row is a tuple in the order of ``ENTERPRISE_COLUMNS``.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from faker import Faker

from kexie.enterprises.enums import Ownership
from kexie.regions.services import official_divisions

from . import codes, names

SEED = 20261125
HENAN = "410000"
ZHONGYUAN = "410102"
PROVINCE_TOTAL = 5_000
# A few enterprises elsewhere, so that scoping across provinces is visible: 石家庄长安区, 武汉洪山区, 深圳南山区.
OTHER_COUNTIES: tuple[tuple[str, int], ...] = (("130102", 20), ("420111", 20), ("440305", 20))
NATIONAL_DEFAULT = 1_000_000
# Serials and name positions of the national rows start past the province demo's, so both fit in one database.
NATIONAL_SERIAL_START = 10_000_000
NATIONAL_NAME_OFFSET = 1_000
PEOPLE = 3_000

ENTERPRISE_COLUMNS: tuple[str, ...] = (
    "name",
    "credit_code",
    "region_id",
    "ownership",
    "industry",
    "is_high_tech",
    "is_above_scale",
    "is_specialized",
    "is_unicorn",
    "is_leading_private",
    "employees",
    "st_workers",
    "address",
    "contact_name",
    "contact_phone",
)
COL = {name: i for i, name in enumerate(ENTERPRISE_COLUMNS)}

# County names too generic to stand alone in a company name take the city's name instead.
_GENERIC_SHORT = frozenset({"城区", "郊区", "矿区", "东区", "西区", "市中", "市辖"})
_MUNICIPALITIES = frozenset({"110000", "120000", "310000", "500000"})


@dataclass(frozen=True)
class County:
    code: str
    name: str
    short: str  # the prefix of most enterprise names in the county
    city_prefix: str  # the prefix of 市属国企 (郑州市)
    province_code: str
    province_short: str  # the prefix of 省管企业 (河南)
    address_head: str  # 河南省郑州市中原区
    is_district: bool


@lru_cache(maxsize=1)
def counties() -> tuple[County, ...]:
    """Every county-level division (2,845), in code order."""
    divisions = official_divisions()
    by_code = {d.code: d for d in divisions}
    out = []
    for d in sorted((d for d in divisions if d.level == 3), key=lambda d: d.code):
        parent = by_code[d.parent_code]
        province = parent if parent.level == 1 else by_code[parent.parent_code]
        short = names.county_short_name(d.name)
        if parent.level == 2:
            city_short = names.city_short_name(parent.name)
            city_prefix = parent.name if parent.name.endswith("市") else city_short
            head = province.name + parent.name + d.name
        else:  # directly under the province: a municipality's district, or 济源, 仙桃 …
            city_short = short
            if province.code in _MUNICIPALITIES:
                city_prefix = province.name
            else:
                city_prefix = d.name if d.name.endswith("市") else short
            head = province.name + d.name
        if short in _GENERIC_SHORT:
            short = city_short + short
        out.append(
            County(
                code=d.code,
                name=d.name,
                short=short,
                city_prefix=city_prefix,
                province_code=province.code,
                province_short=names.province_short_name(province.name),
                address_head=head,
                is_district=d.name.endswith("区"),
            )
        )
    return tuple(out)


@lru_cache(maxsize=1)
def counties_by_code() -> dict[str, County]:
    return {c.code: c for c in counties()}


def allocate(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split ``total`` by weight (largest remainder), each part at least ``minimum``."""
    n = len(weights)
    rest = total - minimum * n
    if rest < 0:
        raise ValueError(f"{total} is less than {minimum} for each of {n} parts")
    wsum = sum(weights)
    quotas = [rest * w / wsum for w in weights]
    counts = [int(q) for q in quotas]
    by_remainder = sorted(range(n), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [c + minimum for c in counts]


# --- plans: how many enterprises in which county ---------------------------------------------


def province_plan(total: int = PROVINCE_TOTAL, seed: int = SEED) -> list[tuple[County, int]]:
    """Henan's 157 county-level units (incl. 济源) share ``total``, cities' districts weighted
    up, Zhengzhou's most; plus a few enterprises in three other provinces."""
    rng = random.Random(seed)
    henan = [c for c in counties() if c.province_code == HENAN]

    def weight(c: County) -> float:
        if c.code.startswith("4101") and c.is_district:
            w = 3.0
        elif c.is_district:
            w = 1.6
        elif c.name.endswith("市"):
            w = 1.3
        else:
            w = 0.8
        return w * rng.uniform(0.8, 1.25)

    counts = allocate(total, [weight(c) for c in henan], minimum=5)
    by_code = counties_by_code()
    return list(zip(henan, counts, strict=True)) + [(by_code[code], n) for code, n in OTHER_COUNTIES]


# Enterprises per county by province: the east most, the far west least.
_PROVINCE_WEIGHT = {
    **dict.fromkeys(("11", "12", "13", "31", "32", "33", "35", "37", "44", "46"), 3.0),
    **dict.fromkeys(("14", "34", "36", "41", "42", "43"), 2.0),
    **dict.fromkeys(("21", "22", "23"), 1.4),
    **dict.fromkeys(("15", "45", "50", "51", "52", "53", "61", "62", "64", "65"), 1.0),
    **dict.fromkeys(("54", "63"), 0.5),
}


def national_plan(total: int = NATIONAL_DEFAULT, seed: int = SEED + 2) -> list[tuple[County, int]]:
    """All 2,845 counties, weighted by region and by district vs county (at least one each when
    ``total`` allows)."""
    rng = random.Random(seed)
    cs = counties()
    weights = [
        _PROVINCE_WEIGHT.get(c.code[:2], 1.0) * (1.6 if c.is_district else 1.0) * rng.uniform(0.5, 1.5)
        for c in cs
    ]
    counts = allocate(total, weights, minimum=1 if total >= len(cs) else 0)
    return [(c, n) for c, n in zip(cs, counts, strict=True) if n]


# --- rows -------------------------------------------------------------------------------------

_OWNERSHIPS = (
    Ownership.PRIVATE.value,
    Ownership.FOREIGN.value,
    Ownership.OTHER.value,
    Ownership.MUNICIPAL.value,
    Ownership.PROVINCIAL.value,
    Ownership.RESIDENT_CENTRAL.value,
    Ownership.CENTRAL.value,
)
_PRIVATE, _FOREIGN, _OTHER, _MUNICIPAL, _PROVINCIAL, _RESIDENT_CENTRAL, _CENTRAL = _OWNERSHIPS
_STATE = frozenset({_MUNICIPAL, _PROVINCIAL, _RESIDENT_CENTRAL, _CENTRAL})


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [x / total for x in out[:-1]]  # bisect thresholds; the last class takes the rest


_OWN_CUM = _cumulative((0.855, 0.03, 0.03, 0.04, 0.021, 0.022, 0.002))
_OWN_CUM_CAPITAL = _cumulative((0.80, 0.05, 0.03, 0.04, 0.03, 0.02, 0.03))  # central HQs sit in Beijing
# Size classes: micro, small, medium, large; state-owned enterprises are bigger.
_SIZE_CUM = _cumulative((0.40, 0.38, 0.16, 0.06))
_SIZE_CUM_STATE = _cumulative((0.05, 0.30, 0.40, 0.25))
_EMPLOYEES = ((5, 15), (20, 280), (300, 700))
_P_ABOVE_SCALE = (0.0, 0.38, 0.9, 1.0)
_P_HIGH_TECH = (0.08, 0.27, 0.40, 0.50)
_P_SPECIALIZED = (0.01, 0.12, 0.22, 0.10)
_TECH_SECTIONS = frozenset("CIM")
# Share of S&T workers among employees, by section: (minimum, spread).
_ST_SHARE = {"I": (0.25, 0.35), "M": (0.25, 0.35), "C": (0.06, 0.20)}
_ST_SHARE_OTHER = (0.01, 0.08)


class EnterpriseGenerator:
    """Rows of demo enterprises, county by county. One instance is one deterministic stream:
    its serials (credit codes) and its position under each name prefix go on from call to call."""

    def __init__(self, *, seed: int = SEED, serial_start: int = 0, name_offset: int = 0):
        self.rng = random.Random(seed)
        self.serial = serial_start
        self.name_offset = name_offset
        self.used: defaultdict[str, int] = defaultdict(int)
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        self.people = [fake.name() for _ in range(PEOPLE)]
        self.phones = [fake.phone_number() for _ in range(PEOPLE)]

    def rows(self, county: County, n: int) -> list[tuple]:
        r = self.rng.random
        used = self.used
        offset = self.name_offset
        people, phones = self.people, self.phones
        n_people = len(people)
        (s0, w0), (s1, w1), (s2, w2) = codes.group_tables()
        head, head_sum = codes.county_prefix(county.code)
        check_chars = codes.CHECK_CHARS
        group = 31**3
        group2 = group * group
        space, step, shift0 = codes.ORG_SPACE, codes._ORG_STEP, codes._ORG_SHIFT
        own_cum = _OWN_CUM_CAPITAL if county.province_code == "110000" else _OWN_CUM
        region = county.code
        address_head = county.address_head
        roads, n_roads = names.ROADS, len(names.ROADS)
        sections = names.WORD_SECTIONS
        prefixes = {
            _PRIVATE: county.short,
            _FOREIGN: county.short,
            _OTHER: county.short,
            _MUNICIPAL: county.city_prefix,
            _PROVINCIAL: county.province_short,
            _RESIDENT_CENTRAL: "中国",
            _CENTRAL: "中国",
        }
        shifts = {p: names.prefix_shift(p) for p in set(prefixes.values())}
        serial = self.serial
        out = []
        for _ in range(n):
            own = _OWNERSHIPS[bisect(own_cum, r())]
            state = own in _STATE
            size = bisect(_SIZE_CUM_STATE if state else _SIZE_CUM, r())
            if size == 3:
                employees = int(1000 * 30 ** r())
            else:
                lo, span = _EMPLOYEES[size]
                employees = lo + int(span * r())

            prefix = prefixes[own]
            k = used[prefix]
            used[prefix] = k + 1
            core, word = names.name_parts(prefix, k + offset, shifts[prefix])
            section = sections[word]
            tech = section in _TECH_SECTIONS

            above_scale = r() < _P_ABOVE_SCALE[size]
            high_tech = r() < (_P_HIGH_TECH[size] * (1.2 if tech else 0.4))
            specialized = not state and r() < _P_SPECIALIZED[size]
            unicorn = own == _PRIVATE and size == 3 and tech and r() < 0.01
            leading = own == _PRIVATE and size == 3 and r() < 0.08

            lo_share, spread = _ST_SHARE.get(section, _ST_SHARE_OTHER)
            share = (lo_share + spread * r()) * (1.3 if high_tech else 1.0)
            st_workers = min(employees, int(employees * share) + (3 if high_tech else 0))

            u = r()
            if own == _CENTRAL:
                name = f"中国{core}集团有限公司"
            elif own == _RESIDENT_CENTRAL:
                name = f"中国{core}集团有限公司{county.short}分公司"
            elif state:
                name = prefix + core + ("集团有限公司" if size >= 2 and u < 0.6 else "有限公司")
            elif own == _FOREIGN:
                name = prefix + core + "有限公司"
            elif size == 3:
                name = (
                    prefix
                    + core
                    + ("集团有限公司" if u < 0.35 else "股份有限公司" if u < 0.65 else "有限公司")
                )
            elif size == 2:
                name = prefix + core + ("股份有限公司" if u < 0.25 else "有限公司")
            else:
                name = prefix + core + "有限公司"

            x = (serial * step + shift0) % space
            serial += 1
            hi, rest = divmod(x, group2)
            mid, lo3 = divmod(rest, group)
            code = (
                head + s0[hi] + s1[mid] + s2[lo3] + check_chars[(head_sum + w0[hi] + w1[mid] + w2[lo3]) % 31]
            )

            out.append(
                (
                    name,
                    code,
                    region,
                    own,
                    section,
                    high_tech,
                    above_scale,
                    specialized,
                    unicorn,
                    leading,
                    employees,
                    st_workers,
                    f"{address_head}{roads[int(r() * n_roads)]}{1 + int(r() * 300)}号",
                    people[int(r() * n_people)],
                    phones[int(r() * n_people)],
                )
            )
        self.serial = serial
        return out


def province_rows(seed: int = SEED) -> list[tuple]:
    """The province demo's enterprises, in insertion order: Henan's counties by code, then the
    three counties elsewhere."""
    gen = EnterpriseGenerator(seed=seed)
    rows: list[tuple] = []
    for county, n in province_plan(seed=seed):
        rows.extend(gen.rows(county, n))
    return rows


def national_rows(
    total: int = NATIONAL_DEFAULT, seed: int = SEED + 3
) -> Iterator[tuple[County, list[tuple]]]:
    """The national rows, county by county (a stream: 1,000,000 rows are never all in memory)."""
    gen = EnterpriseGenerator(seed=seed, serial_start=NATIONAL_SERIAL_START, name_offset=NATIONAL_NAME_OFFSET)
    for county, n in national_plan(total):
        yield county, gen.rows(county, n)


def founded_on(rng: random.Random, start: date = date(2015, 1, 1), end: date = date(2026, 10, 31)) -> date:
    return start + timedelta(days=int(rng.random() * ((end - start).days + 1)))
