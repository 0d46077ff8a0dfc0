"""Demo members of the home 科协 (the one the demo secretary and member belong to): full members
with their offices, a few applications waiting in the secretary's queue and one member who left.
The demo ``member`` and ``secretary`` logins are linked to their person, so their profile and
member card work (their roles stay the one of ``demo.accounts``: the member role is already there). Deterministic and idempotent; a handful of rows, written in bulk."""

from __future__ import annotations

import datetime
import hashlib

from django.db import transaction
from django.utils import timezone

from kexie.accounts.models import User
from kexie.associations.models import Association
from kexie.core import audit
from kexie.core.dates import years_after
from kexie.members.enums import MembershipStatus, Office
from kexie.members.models import Membership, OfficeTerm, Person
from kexie.members.services import CARD_ALPHABET, CARD_CODE_LENGTH

# name, sex, birth month, education, title level, title name, position, department, status, office, login
PEOPLE: tuple[tuple[str, ...], ...] = (
    (
        "高建华",
        "M",
        "1968-04",
        "master",
        "senior",
        "正高级工程师",
        "总工程师",
        "技术中心",
        "approved",
        "chair",
        "",
    ),
    (
        "孙丽",
        "F",
        "1986-09",
        "master",
        "intermediate",
        "工程师",
        "研发工程师",
        "研发部",
        "approved",
        "vice_chair",
        "member",
    ),
    (
        "赵磊",
        "M",
        "1982-11",
        "bachelor",
        "associate_senior",
        "高级工程师",
        "科技管理员",
        "科技管理部",
        "approved",
        "secretary_general",
        "secretary",
    ),
    (
        "何晓燕",
        "F",
        "1990-02",
        "bachelor",
        "intermediate",
        "工程师",
        "工艺员",
        "生产部",
        "approved",
        "deputy_secretary_general",
        "",
    ),
    (
        "马振宇",
        "M",
        "1979-07",
        "doctorate",
        "senior",
        "研究员",
        "首席科学家",
        "技术中心",
        "approved",
        "committee",
        "",
    ),
    (
        "刘佳",
        "F",
        "1993-05",
        "master",
        "junior",
        "助理工程师",
        "测试工程师",
        "质量部",
        "approved",
        "committee",
        "",
    ),
    ("张伟", "M", "1985-12", "bachelor", "intermediate", "工程师", "设备主管", "设备部", "approved", "", ""),
    ("陈曦", "F", "1995-08", "bachelor", "junior", "助理工程师", "软件工程师", "研发部", "approved", "", ""),
    ("杨帆", "M", "1988-03", "master", "intermediate", "工程师", "项目经理", "研发部", "approved", "", ""),
    ("黄蕾", "F", "1991-10", "college", "junior", "技术员", "化验员", "质量部", "approved", "", ""),
    (
        "周强",
        "M",
        "1976-01",
        "bachelor",
        "associate_senior",
        "高级工程师",
        "车间主任",
        "生产部",
        "approved",
        "",
        "",
    ),
    ("吴敏", "F", "1997-06", "master", "none", "", "研发助理", "研发部", "applied", "", ""),
    ("郑浩", "M", "1994-09", "bachelor", "junior", "助理工程师", "电气工程师", "设备部", "applied", "", ""),
    ("冯雪", "F", "1998-12", "bachelor", "none", "", "数据分析员", "信息中心", "applied", "", ""),
    (
        "郭涛",
        "M",
        "1972-05",
        "bachelor",
        "associate_senior",
        "高级工程师",
        "原技术科长",
        "技术中心",
        "left",
        "",
        "",
    ),
)
FIRST_PHONE = 13703710101
CONSENTED_AT = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def demo_card_code(name: str) -> str:
    """A fixed card code per demo person (real ones come from ``secrets``)."""
    digest = hashlib.sha256(f"kexie-demo-card:{name}".encode()).digest()
    return "".join(CARD_ALPHABET[b % len(CARD_ALPHABET)] for b in digest[:CARD_CODE_LENGTH])


@transaction.atomic
def load_members_demo(home: Association) -> int:
    """The home 科协's members; returns how many people were created (0 on a second run)."""
    if Membership.objects.filter(association=home, person__name=PEOPLE[0][0]).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=["member", "secretary"])}
    founded = home.founded_on or datetime.date(2024, 3, 1)
    term_end = years_after(founded, home.term_years or 5)
    people, memberships, offices = [], [], []
    for i, row in enumerate(PEOPLE):
        name, sex, birth, education, level, title, position, department, _status, _office, login = row
        user = users.get(login)
        people.append(
            Person(
                name=name,
                sex=sex,
                birth_month=birth,
                education=education,
                title_level=level,
                title_name=title,
                position=position,
                department=department,
                phone=str(FIRST_PHONE + i) if not user else user.phone,
                ethnicity="汉族",
                enterprise_id=home.enterprise_id,
                user=user,
                consented_at=CONSENTED_AT if user else None,
            )
        )
    Person.objects.bulk_create(people)
    applied_at = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))
    for person, row in zip(people, PEOPLE, strict=True):
        status = row[8]
        memberships.append(
            Membership(
                person=person,
                association=home,
                status=status,
                joined_on=founded if status != MembershipStatus.APPLIED else None,
                left_on=datetime.date(2025, 6, 30) if status == MembershipStatus.LEFT else None,
                note="退休" if status == MembershipStatus.LEFT else "",
                applied_at=applied_at if status == MembershipStatus.APPLIED else None,
                card_code=demo_card_code(person.name) if status == MembershipStatus.APPROVED else None,
            )
        )
    Membership.objects.bulk_create(memberships)
    for membership, row in zip(memberships, PEOPLE, strict=True):
        if row[9]:
            offices.append(
                OfficeTerm(membership=membership, office=Office(row[9]), start=founded, end=term_end)
            )
    OfficeTerm.objects.bulk_create(offices)
    audit.record_many(
        actor=None,
        action="create",
        items=[(m, {"status": [None, m.status]}) for m in memberships],
        note="演示数据",
    )
    return len(people)
