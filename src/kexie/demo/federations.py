"""The federation demo: 郑州市企业科协联合会's unit members (seed 001: 12 家理事长单位、41 家常务理事单位、
13 家理事单位) and some 会员单位, from the largest demo enterprises of 郑州, with their join dates, a few
tier changes, dues for 2025 and 2026 (some unpaid, two exempt) and one unit that withdrew.

Everything goes through the services as the demo federation staff (so the history pages are not empty).
Deterministic (a fixed seed and a fixed order of enterprises) and idempotent: a federation that has
unit members already is left alone."""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from kexie.accounts.models import User
from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.federations import selectors, services
from kexie.federations.enums import DuesAction, Tier
from kexie.federations.models import Dues, UnitMember

from .generate import SEED

FEDERATION = "郑州市企业科协联合会"
STAFF = "lianhehui"
# The tiers as they end up (active units); the withdrawn one is an extra 会员单位.
FINAL = ((Tier.CHAIR, 12), (Tier.STANDING, 41), (Tier.COUNCIL, 13), (Tier.MEMBER, 20))
# Tier changes: (how many, from, to); those units are admitted in the "from" tier first.
PROMOTIONS = (
    (2, Tier.STANDING, Tier.CHAIR),
    (4, Tier.COUNCIL, Tier.STANDING),
    (3, Tier.MEMBER, Tier.COUNCIL),
)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建国", "志强", "海涛", "红梅", "秀英", "振华", "晓东", "丽娟", "国庆", "长青", "明辉", "文静")
POSITIONS = ("董事长", "总经理", "副总经理", "总工程师", "科协主席", "技术中心主任")


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


@transaction.atomic
def load_federation_demo() -> int:
    """Returns how many unit members were admitted (0 when they exist already)."""
    federation = Association.objects.filter(kind=Kind.FEDERATION, name=FEDERATION).first()
    staff = User.objects.filter(username=STAFF).first()
    if federation is None or staff is None or UnitMember.objects.filter(federation=federation).exists():
        return 0
    rng = random.Random(SEED + 7)
    today = timezone.localdate()
    total = sum(n for _, n in FINAL) + 1
    enterprises = list(
        selectors.admissible_enterprises(federation).order_by("-employees", "credit_code")[:total]
    )
    own_association = dict(
        selectors.admissible_associations(federation)
        .filter(kind=Kind.ENTERPRISE, enterprise__in=enterprises)
        .values_list("enterprise_id", "id")
    )
    plan = [tier for tier, n in FINAL for _ in range(n)] + [Tier.MEMBER]
    starting = list(plan)
    changes = []
    for n, before, after in PROMOTIONS:
        picked = [i for i, tier in enumerate(plan) if tier == after][-n:]
        for i in picked:
            starting[i] = before
            changes.append((i, after))

    founded = federation.founded_on or datetime.date(2021, 6, 18)
    units = []
    for i, enterprise in enumerate(enterprises):
        changed = any(i == j for j, _ in changes)
        joined = _day(rng, founded, datetime.date(2023, 12, 31) if changed else datetime.date(2025, 12, 31))
        as_association = starting[i] == Tier.CHAIR and enterprise.pk in own_association
        units.append(
            services.admit_unit(
                federation.pk,
                by=staff,
                enterprise_id=None if as_association else enterprise.pk,
                association_id=own_association[enterprise.pk] if as_association else None,
                tier=starting[i],
                joined_on=min(joined, today),
                representative_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                representative_position=rng.choice(POSITIONS),
                representative_phone=f"1380371{2000 + i:04d}",
            )
        )
    for i, tier in changes:
        on = min(_day(rng, datetime.date(2024, 3, 1), datetime.date(2025, 6, 30)), today)
        services.change_tier(
            units[i].pk, by=staff, tier=tier, changed_on=on, reason="理事会审议通过，调整会员层级"
        )

    _dues(federation, staff, rng, 2025, units, paid_share=0.9, exempt=2)
    leaving = units[-1]
    services.withdraw_unit(
        leaving.pk,
        by=staff,
        withdrawn_on=min(datetime.date(2025, 12, 20), today),
        reason="企业经营范围调整，申请退会",
    )
    _dues(federation, staff, rng, 2026, units[:-1], paid_share=0.7, exempt=0)
    return len(units)


def _dues(federation, staff, rng: random.Random, year: int, units, *, paid_share: float, exempt: int) -> None:
    today = timezone.localdate()
    if year > today.year + 1:
        return
    services.generate_dues(federation.pk, by=staff, year=year)
    rows = list(Dues.objects.filter(unit__in=units, year=year).order_by("unit_id"))
    for dues in rows[-exempt:] if exempt else []:
        services.settle_dues([dues.pk], by=staff, action=DuesAction.EXEMPT, note="新入会单位，理事会同意减免")
    payable = rows[:-exempt] if exempt else rows
    for dues in payable:
        if rng.random() < paid_share:
            on = min(_day(rng, datetime.date(year, 1, 15), datetime.date(year, 6, 30)), today)
            if on.year == year:
                services.settle_dues([dues.pk], by=staff, action=DuesAction.PAY, paid_on=on)
