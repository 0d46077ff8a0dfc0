import datetime

import pytest

from kexie.accounts.enums import Role
from kexie.associations.enums import Kind, Status
from kexie.associations.models import Association
from kexie.federations.models import UnitMember
from kexie.members.models import Membership, OfficeTerm, Person
from kexie.statreports import services
from kexie.statreports.lines import CODES
from kexie.statreports.models import StatCell, StatReport

from ..factories import ZHENGZHOU, ZHONGYUAN, AssociationFactory, EnterpriseFactory, UserFactory, grant, local

D = datetime.date


@pytest.fixture
def city_staff(world):
    user = UserFactory(username="zhengzhou_staff")
    grant(user, Role.STAFF_REVIEWER, association=local(ZHENGZHOU))
    return user


def person(name, *, sex="M", birth="", title="", education="", phone="13800001234"):
    return Person.objects.create(
        name=name, sex=sex, birth_month=birth, title_level=title, education=education, phone=phone
    )


def member(p, association, *, status="approved", joined=None, left=None):
    return Membership.objects.create(
        person=p, association=association, status=status, joined_on=joined, left_on=left
    )


@pytest.fixture
def zhongyuan_2025(world):
    """中原区 as of 31 Dec 2025, with every edge the prefill must get right (see test_prefill)."""
    w = world
    w.ent_a.is_above_scale = w.ent_a.is_high_tech = True
    w.ent_a.save()
    w.ent_s.is_above_scale = True
    w.ent_s.save()
    w.ent_b.is_above_scale = w.ent_b.is_high_tech = True
    w.ent_b.save()
    AssociationFactory(enterprise=w.ent_s, founded_on=D(2025, 6, 1))
    ent_f = EnterpriseFactory(ownership="foreign", is_above_scale=True, is_high_tech=True)
    AssociationFactory(enterprise=ent_f, founded_on=D(2026, 1, 1))
    ent_d = EnterpriseFactory(is_above_scale=True)
    assoc_d = AssociationFactory(
        enterprise=ent_d, founded_on=D(2020, 1, 1), dissolved_on=D(2025, 12, 31), status=Status.DISSOLVED
    )
    ent_e = EnterpriseFactory()
    assoc_e = AssociationFactory(
        enterprise=ent_e, founded_on=D(2020, 1, 1), dissolved_on=D(2026, 1, 1), status=Status.DISSOLVED
    )
    AssociationFactory(enterprise=EnterpriseFactory(ownership="other"), status=Status.PREPARING)
    ent_j1 = EnterpriseFactory(is_above_scale=True)
    ent_j2 = EnterpriseFactory(is_high_tech=True)
    joint = AssociationFactory(
        kind=Kind.JOINT, enterprise=None, name="中原区联合科协", founded_on=D(2024, 3, 1)
    )
    joint.covered_enterprises.set([ent_j1, ent_j2])
    AssociationFactory(
        kind=Kind.SUBUNIT, enterprise=w.ent_a, parent=w.assoc_a, name="分会", founded_on=D(2024, 1, 1)
    )
    federation = AssociationFactory(
        kind=Kind.FEDERATION, enterprise=None, name="中原区企业科协联合会", founded_on=D(2025, 12, 31)
    )
    # Unit members on 31 Dec 2025: one in (joined that day); one joined later; one withdrew that day.
    for enterprise, joined, withdrawn in (
        (w.ent_a, D(2025, 12, 31), None),
        (w.ent_s, D(2026, 1, 2), None),
        (ent_j1, D(2025, 12, 31), D(2025, 12, 31)),
    ):
        UnitMember.objects.create(
            federation=federation,
            enterprise=enterprise,
            tier="member",
            joined_on=joined,
            status="withdrawn" if withdrawn else "active",
            withdrawn_on=withdrawn,
            created_by=w.admin,
        )

    m1 = member(
        person("甲", sex="F", birth="1990-12", title="senior", education="master"),
        w.assoc_a,
        joined=D(2024, 1, 1),
    )
    m2 = member(
        person("乙", birth="1989-12", title="associate_senior", education="bachelor"),
        w.assoc_a,
        joined=D(2025, 12, 31),
    )
    member(person("丙", sex="F", birth="2000-01"), w.assoc_a, joined=D(2026, 1, 1))
    m4 = member(
        person("丁", birth="1970-05", title="senior"),
        joint,
        status="left",
        joined=D(2020, 1, 1),
        left=D(2026, 1, 15),
    )
    member(person("戊", sex="F"), w.assoc_a, status="left", joined=D(2020, 1, 1), left=D(2025, 12, 31))
    member(person("己"), assoc_e)
    m7 = member(person("庚"), assoc_d)
    member(person("辛"), w.assoc_a, status="applied")
    member(person("壬", sex="F"), w.assoc_b, joined=D(2021, 1, 1))
    OfficeTerm.objects.create(membership=m1, office="chair", start=D(2024, 1, 1))
    OfficeTerm.objects.create(membership=m2, office="committee", start=D(2025, 1, 1), end=D(2025, 12, 31))
    OfficeTerm.objects.create(membership=m4, office="vice_chair", start=D(2023, 1, 1), end=D(2026, 6, 1))
    OfficeTerm.objects.create(membership=m7, office="chair", start=D(2020, 1, 1))
    return w


# Computed by hand from the fixture above (see test_prefill for the reasoning, cell by cell).
ZHONGYUAN_2025 = {
    "01": 3,
    "02": 1,
    "03": 2,
    "04": 0,
    "05": 0,
    "06": 1,
    "07": 1,
    "08": 1,
    "09": 4,
    "10": 1,
    "11": 2,
    "12": 1,
    "13": 1,
    "14": 2,
    "15": 1,
    "16": 1,
    "17": 1,
    "18": 5,
    "19": 3,
    "20": 3,
    "21": 2,
}


def make_table(region_code, year, *, state="draft", figures=None, by=None, head="王主席"):
    """A table with given figures (default: all 0) in a given state, without the workflow."""

    figures = {**dict.fromkeys(CODES, 0), **(figures or {})}
    report = StatReport.objects.create(
        association=Association.objects.get(kind=Kind.LOCAL, region_id=region_code),
        region_id=region_code,
        year=year,
        state=state,
        due_on=services.due_date(year),
        head_name=head,
        preparer_name="李填表",
        created_by=by or UserFactory(),
    )
    StatCell.objects.bulk_create(
        StatCell(report=report, code=c, prefilled=figures[c], filed=figures[c]) for c in CODES
    )
    return report


@pytest.fixture
def draft(world):
    """A 2025 中原区 table in draft, all figures 0, signature filled in."""
    return make_table(ZHONGYUAN, 2025, by=world.county_staff)
