"""Offices held for a term (who was 主席 when): appointing and ending one (the secretary), and the
terms the procedures that hold a congress open and close (the founding, a re-election, an officer
change, a dissolution), which call the functions below after checking who acts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from kexie.accounts.permissions import require
from kexie.core import audit
from kexie.core.dates import parse_date
from kexie.core.errors import DomainError, NotFound

from ..enums import SINGLE_OFFICES, MembershipStatus, Office
from ..models import Membership, OfficeTerm
from ..permissions import manages_membership, memberships_for_user
from ..selectors import office_holders
from .base import locked_membership, number

# --- offices ---------------------------------------------------------------------------------------


@transaction.atomic
def appoint(pk, *, by, office: str, start: Any, end: Any = None) -> OfficeTerm:
    """Put an approved member into an office from ``start`` (to ``end``, or open)."""
    membership = locked_membership(by, pk)
    if membership.status != MembershipStatus.APPROVED:
        raise DomainError(
            gettext("只有正式会员才能任职，“%(name)s”当前为“%(state)s”。")
            % {"name": membership.person.name, "state": membership.get_status_display()},
            field="office",
        )
    if office not in Office.values:
        raise DomainError(gettext("请选择职务。"), field="office")
    start_day = parse_date(start, "start", gettext("任期开始"))
    end_day = parse_date(end, "end", gettext("任期结束")) if end else None
    if end_day is not None and end_day <= start_day:
        raise DomainError(gettext("任期结束日期须晚于开始日期。"), field="end")
    if office in SINGLE_OFFICES:
        holders = office_terms_on(membership.association, office, start_day)
        if holders:
            raise DomainError(
                gettext("%(date)s时“%(office)s”由“%(name)s”担任，请先结束其任期。")
                % {
                    "date": start_day.isoformat(),
                    "office": Office(office).label,
                    "name": holders[0].membership.person.name,
                },
                field="office",
            )
    term = OfficeTerm.objects.create(membership=membership, office=office, start=start_day, end=end_day)
    audit.record(
        actor=by,
        action="create",
        instance=term,
        changes=audit.diff({}, audit.snapshot(term, ("office", "start", "end"))),
    )
    return term


@transaction.atomic
def end_term(term_id, *, by, end: Any) -> OfficeTerm:
    require(by, "member.manage")
    term = (
        OfficeTerm.objects.select_for_update(of=("self",))
        .select_related("membership__person", "membership__association")
        .filter(membership__in=memberships_for_user(by).values("pk"), pk=number(term_id))
        .first()
    )
    if term is None or not manages_membership(by, term.membership):
        raise NotFound(gettext("任职记录不存在。"))
    end_day = parse_date(end, "end", gettext("任期结束"))
    if end_day <= term.start:
        raise DomainError(gettext("任期结束日期须晚于开始日期。"), field="end")
    before = audit.snapshot(term, ("end",))
    term.end = end_day
    term.save(update_fields=["end"])
    audit.record(
        actor=by, action="update", instance=term, changes=audit.diff(before, audit.snapshot(term, ("end",)))
    )
    return term


def office_terms_on(association, office: str, day: datetime.date) -> list[OfficeTerm]:
    """Terms of ``office`` running on ``day`` (start inclusive, end exclusive) — the selector's rule."""
    return office_holders(association, office, on=day)


# --- terms opened and closed by the procedures that hold a congress -------------------------------------
# (founding, re-election, officer change, dissolution: they have checked who acts and hold the locks)


def open_terms(
    rows: Iterable[tuple[Membership, str, datetime.date, datetime.date | None, int | None]], *, by, note: str
) -> list[OfficeTerm]:
    """Start the terms ``(membership, office, start, end, votes for)`` together, each in the audit log."""
    terms = [
        OfficeTerm(membership=membership, office=office, start=start, end=end, votes_for=votes)
        for membership, office, start, end, votes in rows
    ]
    OfficeTerm.objects.bulk_create(terms)
    audit.record_many(
        actor=by,
        action="create",
        items=[(t, audit.diff({}, audit.snapshot(t, ("office", "start", "end")))) for t in terms],
        note=note,
    )
    return terms


def open_term(
    membership: Membership, office: str, *, start: datetime.date, end: datetime.date | None, by, note: str
) -> OfficeTerm:
    (term,) = open_terms([(membership, office, start, end, None)], by=by, note=note)
    return term


def end_running_terms(terms: QuerySet[OfficeTerm], *, on: datetime.date, by, note: str) -> int:
    """End on ``on`` every term of ``terms`` still running then (a term that starts later ends the
    day it starts), each in the audit log with its old end. Returns how many ended."""
    ended = []
    for term in terms.filter(Q(end__isnull=True) | Q(end__gt=on)):
        before = term.end
        term.end = max(on, term.start)
        ended.append((term, {"end": [audit.plain(before), term.end.isoformat()]}))
    OfficeTerm.objects.bulk_update([t for t, _c in ended], ["end"])
    audit.record_many(actor=by, action="update", items=ended, note=note)
    return len(ended)


def terms_of(association) -> QuerySet[OfficeTerm]:
    """Every office term of an association's members."""
    return OfficeTerm.objects.filter(membership__association=association)
