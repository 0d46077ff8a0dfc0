"""The province demo: Henan fully populated, a few enterprises elsewhere, the organisation tree,
one login per role and a little history. Deterministic and idempotent: the plan is computed
from the seed alone, and each step only adds what the database lacks."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from kexie.accounts.models import User
from kexie.associations.enums import JointKind, Kind, Status
from kexie.associations.models import Association
from kexie.associations.services import create_association, ensure_local_associations
from kexie.core.models import AuditEntry
from kexie.enterprises.enums import Ownership
from kexie.enterprises.models import Enterprise
from kexie.enterprises.services import update_enterprise
from kexie.regions.models import Region
from kexie.regions.services import load_regions

from . import names
from .accounts import ensure_demo_users
from .coverage import load_coverage_demo
from .federations import load_federation_demo
from .founding import load_founding_demo
from .generate import (
    COL,
    ENTERPRISE_COLUMNS,
    HENAN,
    SEED,
    ZHONGYUAN,
    counties_by_code,
    founded_on,
    province_rows,
)
from .members import load_members_demo
from .outreach import load_outreach_demo
from .statreports import load_statreports_demo

ENTERPRISE_ASSOCIATIONS = 400
JOINT_ASSOCIATIONS = 10  # including the one created through the service (so it has a history)
FEDERATIONS = (
    ("410100", "郑州市企业科协联合会", date(2021, 6, 18)),
    ("410300", "洛阳市企业科技创新促进会", date(2023, 4, 12)),
)
# Henan's routing rule (seed 003): these enterprises' 科协 are approved by the provincial 科协.
PROVINCE_ROUTED = frozenset({Ownership.PROVINCIAL, Ownership.RESIDENT_CENTRAL})
SECTION_LABELS = {"C": "装备制造", "I": "信息技术", "M": "科技服务"}
SMALL = 300  # fewer employees than this: a candidate for a joint 科协


def routed_to_province(province_code: str, ownership: str, leading_private: bool) -> bool:
    return province_code == HENAN and (ownership in PROVINCE_ROUTED or leading_private)


def joint_name(county, joint_kind: str, n: int = 0, section: str = "C") -> str:
    """The name of the n-th joint 科协 of a kind in a county (names don't repeat within a county)."""
    nth = "" if n == 0 else "第" + "一二三四五六七八九十"[min(n, 9)]
    if joint_kind == JointKind.PARK:
        return f"{county.short}{names.PARK_NAMES[n % len(names.PARK_NAMES)]}科学技术协会"
    if joint_kind == JointKind.INDUSTRY:
        label = SECTION_LABELS.get(section, "装备制造")
        return f"{county.short}{label}行业{nth + '联合' if nth else ''}科学技术协会"
    return f"{county.name}中小企业{nth}联合科学技术协会"


@dataclass
class EnterpriseAssociationPlan:
    row: int  # index into the rows
    founded_on: date
    to_province: bool
    subunits: tuple[str, ...] = ()


@dataclass
class JointPlan:
    region: str
    joint_kind: str
    name: str
    covered: tuple[int, ...]  # row indexes
    founded_on: date
    via_service: bool = False


@dataclass
class AssociationPlan:
    home: int  # the row of the enterprise whose 科协 the demo secretary and member belong to
    enterprise: list[EnterpriseAssociationPlan]
    joint: list[JointPlan]


def plan_associations(rows: list[tuple], seed: int = SEED) -> AssociationPlan:
    """Which enterprises get a 科协 (biased towards the large, high-tech, above-scale ones),
    their sub-units, and the joint 科协 with the small enterprises they cover."""
    rng = random.Random(seed + 1)
    by_code = counties_by_code()
    employees, region = COL["employees"], COL["region_id"]
    home = max(
        (
            i
            for i, r in enumerate(rows)
            if r[region] == ZHONGYUAN and r[COL["ownership"]] == Ownership.PRIVATE
        ),
        key=lambda i: (rows[i][employees], -i),
    )

    def weight(r: tuple) -> float:
        e = r[employees]
        w = 0.01 if e < 20 else 0.05 if e < SMALL else 0.2 if e < 1000 else 0.5
        return w * (1.6 if r[COL["is_high_tech"]] else 1.0) * (1.3 if r[COL["is_above_scale"]] else 1.0)

    # Weighted sampling without replacement (Efraimidis–Spirakis): the largest u^(1/w) win.
    keys = sorted(((rng.random() ** (1 / weight(r)), i) for i, r in enumerate(rows)), reverse=True)
    chosen = sorted({home} | {i for _, i in keys[: ENTERPRISE_ASSOCIATIONS - 1]})
    if len(chosen) < ENTERPRISE_ASSOCIATIONS:
        chosen = sorted({home} | {i for _, i in keys[:ENTERPRISE_ASSOCIATIONS]})
    enterprise_plans = []
    for i in chosen:
        r = rows[i]
        county = by_code[r[region]]
        subunits: tuple[str, ...] = ()
        if i == home:
            subunits = names.SUBUNIT_NAMES[:2]
        elif r[employees] >= 1000 and rng.random() < 0.5:
            subunits = tuple(rng.sample(names.SUBUNIT_NAMES, 1 + int(rng.random() * 3)))
        enterprise_plans.append(
            EnterpriseAssociationPlan(
                row=i,
                founded_on=founded_on(rng),
                to_province=routed_to_province(
                    county.province_code, r[COL["ownership"]], r[COL["is_leading_private"]]
                ),
                subunits=subunits,
            )
        )

    with_association = set(chosen)
    eligible: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        if (
            i not in with_association
            and r[employees] < SMALL
            and r[COL["ownership"]] in (Ownership.PRIVATE, Ownership.OTHER)
            and by_code[r[region]].province_code == HENAN
        ):
            eligible.setdefault(r[region], []).append(i)
    kinds = (JointKind.PARK, JointKind.REGIONAL, JointKind.INDUSTRY)
    candidates = sorted(code for code, idx in eligible.items() if len(idx) >= 25 and code != ZHONGYUAN)
    joints = []
    for j, code in enumerate([ZHONGYUAN, *rng.sample(candidates, JOINT_ASSOCIATIONS - 1)]):
        county = by_code[code]
        kind = kinds[j % 3]
        pool = eligible[code]
        section = "C"
        if kind == JointKind.INDUSTRY:
            section = max("CIM", key=lambda s: sum(1 for i in pool if rows[i][COL["industry"]] == s))
            pool = [i for i in pool if rows[i][COL["industry"]] == section]
        covered = tuple(sorted(rng.sample(pool, min(len(pool), 5 + int(rng.random() * 16)))))
        joints.append(
            JointPlan(
                region=code,
                joint_kind=kind,
                name=joint_name(county, kind, 0, section),
                covered=covered,
                founded_on=founded_on(rng),
                via_service=code == ZHONGYUAN,
            )
        )
    return AssociationPlan(home=home, enterprise=enterprise_plans, joint=joints)


@dataclass
class ProvinceResult:
    enterprises: int = 0
    associations: int = 0
    covered: int = 0
    users: int = 0
    audit_entries: int = 0
    applications: int = 0
    seconds: float = 0.0
    home_association: Association | None = field(default=None, repr=False)

    @property
    def created_anything(self) -> bool:
        return bool(
            self.enterprises
            or self.associations
            or self.covered
            or self.users
            or self.audit_entries
            or self.applications
        )


def ensure_regions() -> bool:
    """Load the divisions and their local 科协 if they are missing. True if anything was loaded."""
    loaded = False
    if not Region.objects.filter(level=Region.Level.COUNTY).exists():
        load_regions()
        loaded = True
    return bool(ensure_local_associations()) or loaded


def _chunks(items: list, size: int = 900):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def _load_enterprises(rows: list[tuple]) -> tuple[dict[str, int], int]:
    """The demo's enterprises, keyed by credit code (those already there are kept): ids, created."""
    code = COL["credit_code"]
    ids: dict[str, int] = {}
    for chunk in _chunks([r[code] for r in rows]):
        ids.update(Enterprise.objects.filter(credit_code__in=chunk).values_list("credit_code", "id"))
    new = [Enterprise(**dict(zip(ENTERPRISE_COLUMNS, r, strict=True))) for r in rows if r[code] not in ids]
    Enterprise.objects.bulk_create(new, batch_size=1000)
    if new:
        for chunk in _chunks([e.credit_code for e in new]):
            ids.update(Enterprise.objects.filter(credit_code__in=chunk).values_list("credit_code", "id"))
    return ids, len(new)


def _live_associations_of(enterprise_ids: list[int]) -> dict[int, int]:
    return dict(
        Association.objects.filter(kind=Kind.ENTERPRISE, enterprise_id__in=enterprise_ids)
        .exclude(status=Status.DISSOLVED)
        .values_list("enterprise_id", "id")
    )


def _load_enterprise_associations(
    rows, plan: AssociationPlan, eid, locals_: dict
) -> tuple[dict[int, int], int]:
    """One live enterprise 科协 per planned enterprise (the model's constraint: those that have one are
    skipped). Returns the 科协 of each enterprise and how many were created."""
    have = set(_live_associations_of([eid(p.row) for p in plan.enterprise]))
    new_assoc = [
        Association(
            kind=Kind.ENTERPRISE,
            name=f"{rows[p.row][COL['name']]}科学技术协会",
            region_id=rows[p.row][COL["region_id"]],
            parent_id=locals_[HENAN if p.to_province else rows[p.row][COL["region_id"]]],
            enterprise_id=eid(p.row),
            status=Status.ACTIVE,
            founded_on=p.founded_on,
        )
        for p in plan.enterprise
        if eid(p.row) not in have
    ]
    Association.objects.bulk_create(new_assoc, batch_size=500)
    return _live_associations_of([eid(p.row) for p in plan.enterprise]), len(new_assoc)


def _load_subunits(rows, plan: AssociationPlan, eid, assoc_of: dict[int, int]) -> int:
    """Sub-units (分会/小组), keyed by (parent, name)."""
    existing_units = set(
        Association.objects.filter(kind=Kind.SUBUNIT, parent_id__in=assoc_of.values()).values_list(
            "parent_id", "name"
        )
    )
    units = []
    for p in plan.enterprise:
        r = rows[p.row]
        parent = assoc_of[eid(p.row)]
        for unit in p.subunits:
            name = f"{r[COL['name']]}科协{unit}"
            if (parent, name) not in existing_units:
                units.append(
                    Association(
                        kind=Kind.SUBUNIT,
                        name=name,
                        region_id=r[COL["region_id"]],
                        parent_id=parent,
                        enterprise_id=eid(p.row),
                        status=Status.ACTIVE,
                        founded_on=max(p.founded_on, date(2016, 3, 1)),
                    )
                )
    Association.objects.bulk_create(units, batch_size=500)
    return len(units)


def _load_joint(plan: AssociationPlan, eid, locals_: dict, staff: User) -> tuple[int, int]:
    """Joint 科协, keyed by (name, region); the one in 中原区 goes through the service, with its audit
    entry. Returns (created, covered rows)."""
    existing_joint = set(Association.objects.filter(kind=Kind.JOINT).values_list("name", "region_id"))
    through = Association.covered_enterprises.through
    created = covered = 0
    for j in plan.joint:
        if (j.name, j.region) in existing_joint:
            continue
        covered_ids = [eid(i) for i in j.covered]
        if j.via_service:
            create_association(
                by=staff,
                kind=Kind.JOINT,
                joint_kind=j.joint_kind,
                name=j.name,
                region=Region.objects.get(pk=j.region),
                covered=Enterprise.objects.filter(pk__in=covered_ids),
                founded_on=j.founded_on,
            )
        else:
            joint = Association.objects.create(
                kind=Kind.JOINT,
                joint_kind=j.joint_kind,
                name=j.name,
                region_id=j.region,
                parent_id=locals_[j.region],
                status=Status.ACTIVE,
                founded_on=j.founded_on,
            )
            through.objects.bulk_create(
                [through(association_id=joint.pk, enterprise_id=e) for e in covered_ids], batch_size=500
            )
        created += 1
        covered += len(covered_ids)
    return created, covered


def load_province_demo() -> ProvinceResult:

    started = time.perf_counter()
    result = ProvinceResult()
    audit_before = AuditEntry.objects.count()
    rows = province_rows()
    plan = plan_associations(rows)
    ids, result.enterprises = _load_enterprises(rows)

    def eid(i: int) -> int:
        return ids[rows[i][COL["credit_code"]]]

    locals_ = dict(Association.objects.filter(kind=Kind.LOCAL).values_list("region_id", "id"))
    assoc_of, result.associations = _load_enterprise_associations(rows, plan, eid, locals_)
    result.associations += _load_subunits(rows, plan, eid, assoc_of)
    # Federations under their city 科协, keyed by name.
    for region, name, founded in FEDERATIONS:
        _, created = Association.objects.get_or_create(
            kind=Kind.FEDERATION,
            name=name,
            defaults={"region_id": region, "parent_id": locals_[region], "founded_on": founded},
        )
        result.associations += created
    # Users (the county staff creates one joint 科协 below, so users come first).
    home_association = Association.objects.get(pk=assoc_of[eid(plan.home)])
    result.users = ensure_demo_users(home_association)
    result.home_association = home_association
    joint, result.covered = _load_joint(plan, eid, locals_, User.objects.get(username="zhongyuan"))
    result.associations += joint

    _demo_edits(rows, plan, eid)
    load_members_demo(home_association)
    taken = {p.row for p in plan.enterprise} | {i for j in plan.joint for i in j.covered}
    result.applications = load_founding_demo(rows, taken, eid)
    load_federation_demo()  # its unit members write audit entries, so a first run is reported
    load_statreports_demo()
    load_outreach_demo()
    load_coverage_demo()
    result.audit_entries = AuditEntry.objects.count() - audit_before
    result.seconds = time.perf_counter() - started
    return result


def _demo_edits(rows: list[tuple], plan: AssociationPlan, eid) -> None:
    """A few edits through the services, so the history pages are not empty. The new values are
    absolute, so a second run changes nothing and writes no entry."""
    staff = User.objects.get(username="zhongyuan")
    secretary = User.objects.get(username="secretary")
    city_staff = User.objects.get(username="zhengzhou")
    home = rows[plan.home]
    update_enterprise(
        eid(plan.home),
        by=staff,
        data={
            "st_workers": min(home[COL["employees"]], home[COL["st_workers"]] + 12),
            "is_high_tech": True,
            "contact_name": "赵磊",
            "contact_phone": "13803710006",
        },
    )
    update_enterprise(eid(plan.home), by=secretary, data={"address": home[COL["address"]] + "A座"})
    # The city staff corrects an enterprise in another district of Zhengzhou (金水区).
    other = next(i for i, r in enumerate(rows) if r[COL["region_id"]] == "410105")
    update_enterprise(eid(other), by=city_staff, data={"is_specialized": True, "is_above_scale": True})
