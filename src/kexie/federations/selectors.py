"""Scoped reads on federations' unit members: every list starts from ``unit_members_for_user``."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext

from kexie.associations.enums import Kind, Status
from kexie.associations.models import Association
from kexie.core.errors import DomainError
from kexie.enterprises.models import Enterprise
from kexie.enterprises.validators import to_halfwidth

from .enums import TIER_ORDER, DuesStatus, Tier, UnitStatus
from .models import Dues, UnitMember
from .permissions import dues_for_user, unit_members_for_user

NO_DUES = "none"  # the dues filter for "no dues row for the year"

TIER_RANK = Case(
    *[When(tier=tier, then=Value(rank)) for tier, rank in TIER_ORDER.items()], output_field=IntegerField()
)


@dataclass
class UnitFilters:
    tier: str = ""
    status: str = ""
    dues: str = ""
    year: int | None = None
    q: str = ""


def _choice(value: str, allowed, field: str, label: str) -> str:
    if value and value not in allowed:
        raise DomainError(
            gettext("筛选条件“%(label)s”的取值“%(value)s”不是有效选项。") % {"label": label, "value": value},
            field=field,
        )
    return value


def parse_year(value, field: str = "year") -> int:
    if value in (None, ""):
        return timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise DomainError(gettext("年度“%(year)s”应为四位数字，如 2026。") % {"year": value}, field=field)
    return year


def unit_filters(params) -> UnitFilters:
    """Filters from a query string (the page and the API share them); a bad value is refused by name."""
    return UnitFilters(
        tier=_choice(params.get("tier", "").strip(), Tier.values, "tier", gettext("会员层级")),
        status=_choice(params.get("status", "").strip(), UnitStatus.values, "status", gettext("状态")),
        dues=_choice(
            params.get("dues", "").strip(), [*DuesStatus.values, NO_DUES], "dues", gettext("缴费状态")
        ),
        year=parse_year(params.get("year", "").strip()),
        q=params.get("q", "").strip()[:100],
    )


def admissible_enterprises(federation: Association) -> QuerySet[Enterprise]:
    """The enterprises a federation may admit: those registered in its region (the whole subtree)."""
    return Enterprise.objects.filter(region__path__startswith=federation.region.path)


def admissible_associations(federation: Association) -> QuerySet[Association]:
    """The 科协 a federation may admit: enterprise and joint 科协 at work in its region."""
    return Association.objects.filter(
        kind__in=[Kind.ENTERPRISE, Kind.JOINT],
        status=Status.ACTIVE,
        region__path__startswith=federation.region.path,
    )


def units_of(user, federation: Association) -> QuerySet[UnitMember]:
    return unit_members_for_user(user).filter(federation=federation)


def unit_list(user, federation: Association, filters: UnitFilters) -> QuerySet[UnitMember]:
    """The federation's unit members in reach, highest tier first, with the dues status of the year."""
    year = filters.year or timezone.localdate().year
    qs = units_of(user, federation)
    if filters.tier:
        qs = qs.filter(tier=filters.tier)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(
            Q(enterprise__name__contains=filters.q) | Q(member_association__name__contains=filters.q)
        )
    dues = Dues.objects.filter(unit=OuterRef("pk"), year=year)
    qs = qs.annotate(
        dues_status=Subquery(dues.values("status")[:1]),
        dues_amount=Subquery(dues.values("amount")[:1]),
        tier_rank=TIER_RANK,
    )
    if filters.dues == NO_DUES:
        qs = qs.filter(dues_status__isnull=True)
    elif filters.dues:
        qs = qs.filter(dues_status=filters.dues)
    return qs.select_related("enterprise", "member_association").order_by(
        "status", "tier_rank", "joined_on", "id"
    )


def tier_counts(user, federation: Association) -> list[dict]:
    """Active unit members per tier, every tier listed (0 where none), highest first."""
    counted = dict(
        units_of(user, federation)
        .filter(status=UnitStatus.ACTIVE)
        .values_list("tier")
        .annotate(n=Count("id"))
        .values_list("tier", "n")
    )
    return [{"tier": t.value, "label": str(t.label), "count": counted.get(t.value, 0)} for t in Tier]


def status_counts(user, federation: Association) -> dict[str, int]:
    counted = dict(
        units_of(user, federation).values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {s: counted.get(s, 0) for s in UnitStatus.values}


@dataclass
class DuesSummary:
    year: int
    total: int
    paid: int
    exempt: int
    unpaid: int
    amount_due: Decimal
    amount_paid: Decimal

    @property
    def rate(self) -> float | None:
        """已缴 ÷ (应缴 − 减免), in percent; None when nothing is owed."""
        owed = self.total - self.exempt
        return round(100 * self.paid / owed, 1) if owed else None


def dues_summary(user, federation: Association, year: int) -> DuesSummary:
    """The year's dues of the active unit members in reach."""
    rows = dues_for_user(user).filter(unit__federation=federation, unit__status=UnitStatus.ACTIVE, year=year)
    agg = rows.aggregate(
        total=Count("id"),
        paid=Count("id", filter=Q(status=DuesStatus.PAID)),
        exempt=Count("id", filter=Q(status=DuesStatus.EXEMPT)),
        amount_due=Sum("amount", filter=~Q(status=DuesStatus.EXEMPT)),
        amount_paid=Sum("amount", filter=Q(status=DuesStatus.PAID)),
    )
    return DuesSummary(
        year=year,
        total=agg["total"],
        paid=agg["paid"],
        exempt=agg["exempt"],
        unpaid=agg["total"] - agg["paid"] - agg["exempt"],
        amount_due=agg["amount_due"] or Decimal("0"),
        amount_paid=agg["amount_paid"] or Decimal("0"),
    )


def dues_list(user, federation: Association, *, year: int, status: str = "") -> QuerySet[Dues]:
    qs = dues_for_user(user).filter(unit__federation=federation, year=year)
    if status:
        qs = qs.filter(status=_choice(status, DuesStatus.values, "status", gettext("缴费状态")))
    return qs.select_related("unit__enterprise", "unit__member_association").order_by("status", "unit_id")


def memberships_of(user, unit: UnitMember) -> QuerySet[UnitMember]:
    """The same unit's memberships of the same federation (earlier ones and the current one)."""
    qs = unit_members_for_user(user).filter(federation_id=unit.federation_id)
    if unit.enterprise_id:
        return qs.filter(enterprise_id=unit.enterprise_id).order_by("-joined_on", "-id")
    return qs.filter(member_association_id=unit.member_association_id).order_by("-joined_on", "-id")


def find_unit(
    federation: Association, credit_code: str, as_association: bool
) -> tuple[int | None, int | None]:
    """The page's admission form names a unit by its 统一社会信用代码: the enterprise, or (if asked)
    its enterprise 科协. Returns ``(enterprise_id, association_id)``; absent → refused on the field."""

    code = to_halfwidth(credit_code or "").strip().upper()
    enterprise = admissible_enterprises(federation).filter(credit_code=code).first() if code else None
    if enterprise is None:
        raise DomainError(
            gettext("统一社会信用代码“%(code)s”对应的企业不存在，或不在“%(name)s”的地区范围内。")
            % {"code": code, "name": federation.name},
            field="credit_code",
        )
    if not as_association:
        return enterprise.pk, None
    association = (
        admissible_associations(federation).filter(kind=Kind.ENTERPRISE, enterprise=enterprise).first()
    )
    if association is None:
        raise DomainError(
            gettext("“%(name)s”尚无正常运行的企业科协，请以企业名义入会。") % {"name": enterprise.name},
            field="credit_code",
        )
    return None, association.pk
