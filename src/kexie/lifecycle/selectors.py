"""What is due or overdue in the associations a user may see."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from kexie.associations.enums import Kind, Status
from kexie.associations.permissions import associations_for_user
from kexie.core.errors import DomainError, get_or_not_found
from kexie.members.enums import MembershipStatus, Office
from kexie.members.models import Membership, OfficeTerm

from .enums import DissolutionState, ReportKind
from .models import Dissolution, OfficerChange, Renewal, WorkReport
from .services import due_date, term_end

OFFICE_ORDER = {office: i for i, office in enumerate(Office.values)}


def missing_reports(user, *, year: int, kind: str, today: datetime.date | None = None) -> list:
    """Active enterprise and joint 科协 in reach that have not sent the report once it is due."""
    if kind not in ReportKind.values:
        raise DomainError(gettext("报告类型只能是年度工作计划或年度工作总结。"), field="kind")
    today = today or timezone.localdate()
    if today <= due_date(year, kind):
        return []
    sent = WorkReport.objects.filter(year=year, kind=kind).values("association_id")
    return list(
        associations_for_user(user)
        .filter(
            kind__in=[Kind.ENTERPRISE, Kind.JOINT], status=Status.ACTIVE, founded_on__lt=due_date(year, kind)
        )
        .exclude(pk__in=sent)
        .select_related("region")
        .order_by("region_id", "name")
    )


def renewals_due(user, *, within_days: int = 90, today: datetime.date | None = None) -> list[tuple]:
    """(association, term end, days left — negative when overdue) for terms ending within the window."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=within_days)
    rows = []
    qs = (
        associations_for_user(user)
        .filter(kind__in=[Kind.ENTERPRISE, Kind.JOINT], status=Status.ACTIVE, founded_on__isnull=False)
        .prefetch_related("renewals")
        .select_related("region")
    )
    for association in qs.iterator(chunk_size=2000):
        end = term_end(association)
        if end is not None and end <= horizon:
            rows.append((association, end, (end - today).days))
    return sorted(rows, key=lambda row: row[1])


# --- one association's later life (the caller fetched it through ``scoping``) ---------------------


def current_term(association) -> tuple[datetime.date | None, datetime.date | None]:
    """(start, end) of the running term: from the last re-election, else from the founding."""
    renewal = association.renewals.first()
    start = renewal.held_on if renewal is not None else association.founded_on
    return start, term_end(association)


def _office_order(term: OfficeTerm) -> tuple:
    return (OFFICE_ORDER.get(term.office, len(OFFICE_ORDER)), term.start, term.membership.person.name)


def _terms(association) -> QuerySet[OfficeTerm]:
    return OfficeTerm.objects.filter(membership__association=association).select_related("membership__person")


def officers_on(association, day: datetime.date | None = None) -> list[OfficeTerm]:
    """The offices held on ``day`` (default today), in the order of the candidate table."""
    day = day or timezone.localdate()
    running = _terms(association).filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gt=day))
    return sorted(running, key=_office_order)


def officer_history(association) -> list[dict]:
    """Every term, newest first: ``{"start", "end", "officers"}`` with the offices that began in it
    (so "who was 主席 in 2023" is read off the term covering 2023)."""
    terms = list(_terms(association))
    starts = sorted({r.held_on for r in association.renewals.all()})
    first = association.founded_on or min((t.start for t in terms), default=None)
    if first is None:
        return []
    starts = sorted({first, *starts})
    periods = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else term_end(association)
        periods.append({"start": start, "end": end, "officers": []})
    for term in terms:
        period = next((p for p in reversed(periods) if p["start"] <= term.start), periods[0])
        period["officers"].append(term)
    for period in periods:
        period["officers"].sort(key=_office_order)
    return list(reversed(periods))


def members(association) -> QuerySet[Membership]:
    """Full members: who may be elected or appointed to an office."""
    return association.memberships.filter(status=MembershipStatus.APPROVED).select_related("person")


def reports(association) -> QuerySet[WorkReport]:
    return association.work_reports.select_related("submitted_by", "reviewed_by")


def report_of(association, report_id) -> WorkReport:
    return get_or_not_found(reports(association), report_id, gettext("报告不存在。"))


def report_for(association, year, kind) -> WorkReport | None:
    """The report of that year and kind, if one was sent (a returned one is sent again)."""
    try:
        return reports(association).filter(year=int(year), kind=kind).first()
    except (ValueError, TypeError):
        return None


def officer_changes(association) -> QuerySet[OfficerChange]:
    return association.officer_changes.select_related(
        "previous__membership__person", "successor__membership__person", "acknowledged_by"
    )


def officer_change_of(association, change_id) -> OfficerChange:
    return get_or_not_found(officer_changes(association), change_id, gettext("备案不存在。"))


def renewals(association) -> QuerySet[Renewal]:
    return association.renewals.all()


def dissolutions(association) -> QuerySet[Dissolution]:
    return association.dissolutions.select_related("approved_by")


def open_dissolution(association) -> Dissolution | None:
    return (
        association.dissolutions.filter(state__in=[DissolutionState.PROPOSED, DissolutionState.DECIDED])
        .order_by("-proposed_at")
        .first()
    )
