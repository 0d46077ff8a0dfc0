"""The prefilled figures of a yearly table: what the platform's data says about a region's subtree
as of 31 December of the year. Coverage uses the one definition (``associations.coverage``)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q

from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.associations.selectors import active_on_q
from kexie.coverage.definition import covered_q, covering_associations
from kexie.enterprises.enums import NON_STATE, STATE_OWNED, Ownership
from kexie.enterprises.models import Enterprise
from kexie.federations.models import UnitMember
from kexie.members.enums import MembershipStatus, Office, Sex, TitleLevel
from kexie.members.models import Membership, OfficeTerm
from kexie.regions.models import Region

from .lines import CODES

assert set(STATE_OWNED) | set(NON_STATE) == set(Ownership.values)


def year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def live_associations(on: datetime.date, kinds) -> Q:
    """Associations of ``kinds`` at work on ``on`` (``associations.selectors.active_on_q``, the rule
    coverage uses too)."""
    return active_on_q(on) & Q(kind__in=kinds)


def live_memberships_q(on: datetime.date, prefix: str = "") -> Q:
    """Memberships that were full (正式会员) on ``on``: approved and joined by then (or before the
    platform, no date), and not left by then; a member who left or moved later was still in on ``on``."""
    p = prefix

    def q(**kw) -> Q:
        return Q(**{p + k: v for k, v in kw.items()})

    joined = q(joined_on__lte=on) | q(joined_on__isnull=True)
    still = q(left_on__isnull=True) | q(left_on__gt=on)
    current = q(status=MembershipStatus.APPROVED) & joined & still
    former = q(
        status__in=[MembershipStatus.LEFT, MembershipStatus.TRANSFERRED], joined_on__lte=on, left_on__gt=on
    )
    return current | former


def age_cutoff(on: datetime.date, years: int) -> str:
    """The latest birth month (``YYYY-MM``) of someone at least ``years`` old on ``on``: the birth
    month counts as the birthday."""
    return f"{on.year - years:04d}-{on.month:02d}"


def compute(region: Region, year: int) -> dict[str, int]:
    """Every line's figure for ``region``'s subtree as of 31 December of ``year``."""
    on = year_end(year)
    in_area = Q(region__path__startswith=region.path)
    orgs = Association.objects.filter(in_area).aggregate(
        **{
            "01": Count("pk", filter=live_associations(on, [Kind.ENTERPRISE])),
            "02": Count(
                "pk",
                filter=live_associations(on, [Kind.ENTERPRISE]) & Q(enterprise__ownership__in=STATE_OWNED),
            ),
            "03": Count(
                "pk",
                filter=live_associations(on, [Kind.ENTERPRISE]) & Q(enterprise__ownership=Ownership.PRIVATE),
            ),
            "04": Count(
                "pk",
                filter=live_associations(on, [Kind.ENTERPRISE]) & Q(enterprise__ownership=Ownership.FOREIGN),
            ),
            "05": Count(
                "pk",
                filter=live_associations(on, [Kind.ENTERPRISE]) & Q(enterprise__ownership=Ownership.OTHER),
            ),
            "06": Count(
                "pk",
                filter=live_associations(on, [Kind.ENTERPRISE]) & Q(founded_on__year=year),
            ),
            "07": Count("pk", filter=live_associations(on, [Kind.JOINT])),
            "08": Count("pk", filter=live_associations(on, [Kind.SUBUNIT])),
            "16": Count("pk", filter=live_associations(on, [Kind.FEDERATION])),
        }
    )
    covering = covering_associations(on).filter(in_area).values("pk")
    members = Membership.objects.filter(live_memberships_q(on), association__in=covering).aggregate(
        **{
            "09": Count("pk"),
            "10": Count("pk", filter=Q(person__sex=Sex.FEMALE)),
            "11": Count("pk", filter=Q(person__title_level=TitleLevel.SENIOR)),
            "12": Count("pk", filter=Q(person__title_level=TitleLevel.ASSOCIATE_SENIOR)),
            "13": Count("pk", filter=Q(person__birth_month__gt=age_cutoff(on, 36))),
        }
    )
    open_terms = OfficeTerm.objects.filter(
        Q(end__isnull=True) | Q(end__gt=on), start__lte=on, membership__association__in=covering
    )
    committee = open_terms.aggregate(
        **{
            "14": Count("membership_id", distinct=True),
            "15": Count("membership_id", distinct=True, filter=Q(office=Office.CHAIR)),
        }
    )
    firms = Enterprise.objects.filter(in_area)
    covered = covered_q(on)
    enterprises = firms.aggregate(
        **{
            "18": Count("pk", filter=Q(is_above_scale=True)),
            "19": Count("pk", filter=Q(is_above_scale=True) & covered),
            "20": Count("pk", filter=Q(is_high_tech=True)),
            "21": Count("pk", filter=Q(is_high_tech=True) & covered),
        }
    )
    units = UnitMember.objects.filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on),
        joined_on__lte=on,
        federation__in=Association.objects.filter(in_area & live_associations(on, [Kind.FEDERATION])),
    ).count()
    figures = {**orgs, **members, **committee, **enterprises, "17": units}
    return {code: int(figures[code] or 0) for code in CODES}
