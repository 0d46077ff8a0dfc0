"""Scoped reads for outreach: target progress, the gap finder's ranking, task stages and conversion.

Everything is counted in the database from the rows (``covered_q`` and ``founded_on``), never stored,
so the figures agree with the coverage statistics. The gap finder's score is one SQL expression
(``annotate``), so ranking a whole province is one query.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Floor, Ln, Substr
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from kexie.accounts import scoping
from kexie.associations.enums import Status
from kexie.associations.models import Association
from kexie.core.errors import DomainError
from kexie.coverage.definition import COVERING_KINDS, CoverageScope, covered_q, parse_scope
from kexie.enterprises.enums import STATE_OWNED
from kexie.enterprises.models import Enterprise
from kexie.enterprises.permissions import enterprises_for_user
from kexie.founding.enums import State
from kexie.founding.models import FoundingApplication
from kexie.regions.models import Region

from .enums import Metric, Stage, TargetStatus, TaskState
from .models import OutreachTask, Target
from .permissions import outreach_tasks_for_user, targets_for_user

# --- the score: its weights are data, shown on the gap finder page ---------------------------------

# Points per tenfold of S&T workers: 9 → 13, 99 → 25, 320 → 31, 999 → 38 (log-scaled, so a giant
# does not drown every other reason).
ST_POINTS_PER_DECADE = 12.5
# Points for each flag and for state ownership (state-owned firms have a clearer route: the
# party committee and the 国资委 can ask for a 科协).
FLAG_POINTS = {
    "is_high_tech": 20,
    "is_above_scale": 15,
    "is_specialized": 10,
    "is_unicorn": 10,
    "is_leading_private": 5,
}
STATE_OWNED_POINTS = 10
# At most this many points for counting toward an open target, in proportion to the target's gap
# (an enterprise counting toward a target still 80 % short gets 0.8 × 20 = 16).
TARGET_POINTS = 20
MAX_TARGETS = 20  # open targets considered for one ranking

SCORE_LABELS = {
    "is_high_tech": _("国家高新"),
    "is_above_scale": _("规上"),
    "is_specialized": _("专精特新"),
    "is_unicorn": _("独角兽"),
    "is_leading_private": _("头部民营"),
}


def score_weights() -> list[tuple[str, str]]:
    """The weights as (factor, points) rows for the page's explanation."""
    rows = [
        (
            gettext("科技工作者人数（按对数计）"),
            gettext("每增加十倍 +%(points)s 分（9 人 13 分，99 人 25 分，999 人 38 分）")
            % {"points": ST_POINTS_PER_DECADE},
        )
    ]
    rows += [(str(SCORE_LABELS[flag]), f"+{points}") for flag, points in FLAG_POINTS.items()]
    rows.append((gettext("国有企业（央企、省管、市属）"), f"+{STATE_OWNED_POINTS}"))
    rows.append(
        (
            gettext("计入尚未完成的目标"),
            gettext("最多 +%(points)s 分，按差距比例（取差距最大的目标）") % {"points": TARGET_POINTS},
        )
    )
    return rows


# --- targets and their progress -----------------------------------------------------------------------


def scope_of_target(target: Target) -> CoverageScope:
    return parse_scope(target.scope or {})


def _in_target(target: Target) -> Q:
    """Enterprises that count toward ``target``: in its region and scope."""
    return Q(region__path__startswith=target.region.path) & scope_of_target(target).q()


@dataclass(frozen=True)
class Progress:
    value: float  # the metric now (a percentage for a rate)
    target: int
    baseline: float  # the metric on the start date (0 for new 科协)
    expected: float  # where a straight line from baseline to target stands today
    percent: float  # value ÷ target × 100
    in_scope: int | None  # enterprises in scope (rate and covered count)
    achieved: bool
    on_track: bool

    @property
    def status_label(self) -> str:
        if self.achieved:
            return gettext("已完成")
        return gettext("进度正常") if self.on_track else gettext("落后于进度")

    @property
    def gap_fraction(self) -> float:
        """How much of the way from the baseline is still missing (0 achieved … 1 nothing done)."""
        if self.achieved or self.target <= self.baseline:
            return 0.0
        return max(0.0, min(1.0, (self.target - self.value) / (self.target - self.baseline)))


def _rate(covered: int, total: int) -> float:
    return round(covered * 100 / total, 1) if total else 0.0


def progress(target: Target, *, today: datetime.date | None = None) -> Progress:
    today = today or timezone.localdate()
    until = min(today, target.deadline)
    in_scope = None
    if target.metric == Metric.FOUNDED:
        founded = Association.objects.filter(
            kind__in=COVERING_KINDS,
            status__in=(Status.ACTIVE, Status.DISSOLVED),
            region__path__startswith=target.region.path,
            founded_on__gte=target.start_on,
            founded_on__lte=until,
        ).filter(scope_of_target(target).q("enterprise__"))
        value, baseline = float(founded.count()), 0.0
    else:
        enterprises = Enterprise.objects.filter(_in_target(target))
        in_scope = enterprises.count()
        covered_now = enterprises.filter(covered_q(until)).count()
        covered_then = enterprises.filter(covered_q(target.start_on)).count()
        if target.metric == Metric.RATE:
            value, baseline = _rate(covered_now, in_scope), _rate(covered_then, in_scope)
        else:
            value, baseline = float(covered_now), float(covered_then)
    span = (target.deadline - target.start_on).days
    elapsed = (today - target.start_on).days
    fraction = 1.0 if span <= 0 else max(0.0, min(1.0, elapsed / span))
    expected = round(baseline + (target.target_value - baseline) * fraction, 1)
    return Progress(
        value=value,
        target=target.target_value,
        baseline=baseline,
        expected=expected,
        percent=round(value * 100 / target.target_value, 1) if target.target_value else 0.0,
        in_scope=in_scope,
        achieved=value >= target.target_value,
        on_track=value >= expected,
    )


def target_list(user, *, status: str = "") -> QuerySet[Target]:
    qs = targets_for_user(user).select_related("owner", "region")
    if status:
        if status not in TargetStatus.values:
            raise DomainError(gettext("状态“%(value)s”不是有效选项。") % {"value": status}, field="status")
        qs = qs.filter(status=status)
    return qs.order_by("status", "deadline", "id")


def open_targets_over(user, region: Region | None) -> list[Target]:
    """Open targets (visible to the user) an enterprise of ``region`` may count toward: those of the
    region itself, of the areas above it and of the areas below it."""
    qs = targets_for_user(user).filter(status=TargetStatus.OPEN, deadline__gte=timezone.localdate())
    if region is not None:
        above = scoping.ancestor_paths((region.path,))
        qs = qs.filter(Q(region__path__in=above) | Q(region__path__startswith=region.path))
    return list(qs.select_related("region").order_by("deadline", "id")[:MAX_TARGETS])


# --- the gap finder ------------------------------------------------------------------------------


def resolve_region(user, code: str | None, *, field: str = "region") -> Region | None:
    """The region asked for (in reach, else refused by name), or the user's home region."""
    code = (code or "").strip()
    if not code:
        home = scoping.home_region(user)
        if home is None and not scoping.scope_of(user).everything:
            raise DomainError(gettext("请选择地区。"), field=field)
        return home
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise DomainError(gettext("行政区划代码“%(code)s”不存在。") % {"code": code}, field=field)
    if not scoping.region_in_reach(user, region):
        raise DomainError(gettext("地区“%(name)s”不在您的管辖范围内。") % {"name": region.name}, field=field)
    return region


@dataclass(frozen=True)
class TargetBonus:
    target: Target
    points: int


def target_bonuses(user, region: Region | None) -> list[TargetBonus]:
    """The points each open target gives the enterprises counting toward it, largest gap first."""
    bonuses = []
    for target in open_targets_over(user, region):
        points = round(TARGET_POINTS * progress(target).gap_fraction)
        if points > 0:
            bonuses.append(TargetBonus(target, points))
    return sorted(bonuses, key=lambda b: (-b.points, b.target.pk))


def gap_queryset(
    user, *, region: Region | None, scope: CoverageScope, q: str = "", bonuses: Sequence[TargetBonus] = ()
) -> QuerySet[Enterprise]:
    """Enterprises in reach, in ``region`` and ``scope``, without coverage today, ranked by score
    (highest first; ties by id, the same on every database). Each row carries its score's parts."""
    qs = enterprises_for_user(user).filter(scope.q()).exclude(covered_q())
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if q:
        qs = qs.filter(name__contains=q.strip())
    # Double precision throughout (PostgreSQL's numeric LOG is ~50× slower); the tiny epsilon keeps
    # the exact halves of powers of ten (9 → 12.5, 999 → 37.5) rounding up on every database.
    as_float = Cast(F("st_workers"), FloatField()) + Value(1.0, output_field=FloatField())
    ten = Cast(Value(10.0), FloatField())
    st = ExpressionWrapper(
        Ln(as_float) / Ln(ten) * Value(ST_POINTS_PER_DECADE) + Value(0.5 + 1e-9), output_field=FloatField()
    )
    parts: dict[str, Any] = {
        "st_points": Case(
            When(st_workers__gt=0, then=Cast(Floor(st), IntegerField())),
            default=Value(0),
            output_field=IntegerField(),
        ),
        **{
            f"{flag}_points": Case(When(**{flag: True}, then=Value(points)), default=Value(0))
            for flag, points in FLAG_POINTS.items()
        },
        "state_points": Case(
            When(ownership__in=STATE_OWNED, then=Value(STATE_OWNED_POINTS)), default=Value(0)
        ),
    }
    whens = [When(_in_target(b.target), then=Value(b.points)) for b in bonuses]
    target_whens = [When(_in_target(b.target), then=Value(b.target.pk)) for b in bonuses]
    parts["target_points"] = (
        Case(*whens, default=Value(0), output_field=IntegerField()) if whens else Value(0)
    )
    parts["target_id"] = (
        Case(*target_whens, default=Value(None), output_field=IntegerField())
        if target_whens
        else Value(None, output_field=IntegerField())
    )
    qs = qs.annotate(**parts)
    total = sum((F(name) for name in parts if name.endswith("_points")), Value(0))
    open_task = OutreachTask.objects.filter(
        enterprise_id=OuterRef("pk"), state__in=(TaskState.ASSIGNED, TaskState.CONTACTED)
    )
    preparing = Association.objects.filter(enterprise_id=OuterRef("pk"), status=Status.PREPARING)
    return (
        qs.annotate(
            score=ExpressionWrapper(total, output_field=IntegerField()),
            has_open_task=Exists(open_task),
            is_preparing=Exists(preparing),
        )
        .select_related("region__parent")
        .order_by("-score", "id")
    )


def reason_texts() -> dict[str, str]:
    """The reason's phrases in the active language, looked up once for a whole page or export."""
    return {
        "st": gettext("科技工作者 %(count)s 人 +%(points)s"),
        "state": gettext("国有企业 +%(points)s"),
        "target": gettext("计入目标“%(title)s” +%(points)s"),
        "none": gettext("无加分项"),
        "sep": pgettext("score parts separator", "；"),
        **{flag: str(label) for flag, label in SCORE_LABELS.items()},
    }


def reason(row: Any, targets_by_id: dict[int, Target], texts: dict[str, str] | None = None) -> str:
    """The score's parts in words: “科技工作者 320 人 +31；国家高新 +20；…”."""
    t = texts or reason_texts()
    parts = []
    if row.st_points:
        parts.append(t["st"] % {"count": row.st_workers, "points": row.st_points})
    for flag in FLAG_POINTS:
        points = getattr(row, f"{flag}_points")
        if points:
            parts.append(f"{t[flag]} +{points}")
    if row.state_points:
        parts.append(t["state"] % {"points": row.state_points})
    if row.target_points and row.target_id in targets_by_id:
        parts.append(t["target"] % {"title": targets_by_id[row.target_id].title, "points": row.target_points})
    return t["sep"].join(parts) or t["none"]


def ranked_ids(qs: QuerySet[Enterprise]) -> QuerySet:
    """The ranking as ids only: PostgreSQL then sorts a province by the score alone and computes the
    rest (joins, the EXISTS columns) only for the page that is shown (``rows_for``)."""
    return qs.select_related(None).values_list("pk", flat=True)


def rows_for(qs: QuerySet[Enterprise], ids) -> list[Enterprise]:
    """The full rows of one page of ``ranked_ids``, in ranking order."""
    ids = list(ids)
    by_pk = {row.pk: row for row in qs.filter(pk__in=ids)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


@dataclass
class GapQuery:
    region: Region | None
    scope: CoverageScope
    q: str


GAP_PARAMS = ("region", "limit", "offset", "export")


def parse_gap_query(user, params) -> GapQuery:
    scope = parse_scope(params, ignore=GAP_PARAMS)
    region = resolve_region(user, params.get("region"))
    return GapQuery(region=region, scope=scope, q=(params.get("q") or "").strip())


def gaps(user, query: GapQuery) -> tuple[QuerySet[Enterprise], dict[int, Target]]:
    bonuses = target_bonuses(user, query.region)
    qs = gap_queryset(user, region=query.region, scope=query.scope, q=query.q, bonuses=bonuses)
    return qs, {b.target.pk: b.target for b in bonuses}


# --- task stages (derived) and conversion -----------------------------------------------------------

SUBMITTED_STATES = (
    State.SUBMITTED,
    State.PRE_REVIEW,
    State.RETURNED,
    State.APPROVED,
    State.CONGRESS_HELD,
    State.FILING,
    State.FILED,
)


def with_stage(qs: QuerySet[OutreachTask]) -> QuerySet[OutreachTask]:
    """Annotate ``stage``: 已建会 when the enterprise is covered today, 已提交申请 when its founding
    application has been submitted (and not rejected or withdrawn), 筹备中 when its 科协 is being
    prepared; otherwise the recorded state (交办/已联系/暂不建会)."""
    ent = OuterRef("enterprise_id")
    founded = Exists(Enterprise.objects.filter(covered_q(), pk=ent))
    applied = Exists(FoundingApplication.objects.filter(enterprise_id=ent, state__in=SUBMITTED_STATES))
    preparing = Exists(Association.objects.filter(enterprise_id=ent, status=Status.PREPARING))
    stage = Case(
        When(founded, then=Value(Stage.FOUNDED.value)),
        When(applied, then=Value(Stage.APPLIED.value)),
        When(preparing, then=Value(Stage.PREPARING.value)),
        When(state=TaskState.DECLINED, then=Value(Stage.DECLINED.value)),
        When(state=TaskState.CONTACTED, then=Value(Stage.CONTACTED.value)),
        default=Value(Stage.ASSIGNED.value),
    )
    return qs.annotate(stage=stage)


def stage_of(task: OutreachTask) -> str:
    stages = with_stage(OutreachTask.objects.filter(pk=task.pk))
    return stages.values_list("stage", flat=True).get()  # type: ignore[misc]  # an annotation


def task_list(
    user, *, region: Region | None = None, stage: str = "", state: str = ""
) -> QuerySet[OutreachTask]:
    qs = with_stage(outreach_tasks_for_user(user))
    if region is not None:
        qs = qs.filter(enterprise__region__path__startswith=region.path)
    if stage:
        if stage not in Stage.values:
            raise DomainError(gettext("阶段“%(value)s”不是有效选项。") % {"value": stage}, field="stage")
        qs = qs.filter(stage=stage)  # type: ignore[misc]  # an annotation the type plugin cannot see
    if state:
        if state not in TaskState.values:
            raise DomainError(gettext("状态“%(value)s”不是有效选项。") % {"value": state}, field="state")
        qs = qs.filter(state=state)
    return qs.select_related("enterprise__region", "assigned_to", "target").order_by("due_on", "id")


def founding_application_of(task: OutreachTask) -> FoundingApplication | None:
    """The enterprise's latest founding application (its own or one it leads)."""
    return (
        FoundingApplication.objects.filter(enterprise_id=task.enterprise_id)
        .order_by("-created_at", "-id")
        .first()
    )


@dataclass
class ConversionRow:
    region: Region
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def rate(self) -> float:
        """Founded ÷ all tasks, in per cent."""
        return round(self.counts.get(Stage.FOUNDED, 0) * 100 / self.total, 1) if self.total else 0.0


def conversion(user, region: Region | None) -> list[ConversionRow]:
    """Tasks per child region of ``region`` (the region itself when it has none) and per stage, in
    one grouped query. Each count is the length of ``task_list(user, region=child, stage=s)``."""
    qs = with_stage(outreach_tasks_for_user(user))
    path = region.path if region is not None else ""
    if region is not None:
        qs = qs.filter(enterprise__region__path__startswith=path)
    rows = (
        qs.annotate(child=Substr("enterprise__region__path", len(path) + 1, 6))
        .values("child", "stage")
        .annotate(n=Count("pk"))
        .values_list("child", "stage", "n")
    )
    by_child: dict[str, dict[str, int]] = {}
    for child, stage, n in rows:
        code = child or (region.code if region is not None else "")
        by_child.setdefault(code, {})[stage] = by_child.setdefault(code, {}).get(stage, 0) + n
    regions = Region.objects.in_bulk(list(by_child))
    return [
        ConversionRow(region=regions[code], counts=counts)
        for code, counts in sorted(by_child.items())
        if code in regions
    ]
