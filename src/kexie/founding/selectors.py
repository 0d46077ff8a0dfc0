"""Scoped reads of the founding procedure."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts import scoping
from kexie.core.errors import DomainError

from .enums import AWAITING_REVIEW, EDITABLE, State
from .models import Filing, FoundingApplication
from .permissions import filings_for_user, founding_applications_for_user
from .routing import route_for


def application_list(user, *, state: str = "") -> QuerySet[FoundingApplication]:
    qs = founding_applications_for_user(user)
    if state:
        if state not in State.values:
            raise DomainError(gettext("状态“%(state)s”不是有效选项。") % {"state": state}, field="state")
        qs = qs.filter(state=state)
    return qs.select_related("association", "enterprise__region", "approver").order_by("-updated_at", "-id")


@dataclass(frozen=True)
class Waiting:
    """An application in a review queue: how long it has waited, and whether that is too long."""

    application: FoundingApplication
    age_days: int
    overdue: bool


def review_queue(user) -> list[Waiting]:
    """Applications waiting for this user's 科协, oldest first, each with its age in days and an
    ``overdue`` flag past ``KEXIE_REVIEW_OVERDUE_DAYS``."""
    scope = scoping.scope_of(user)
    qs = founding_applications_for_user(user).filter(state__in=AWAITING_REVIEW)
    if not scope.everything:
        qs = qs.filter(approver__region__path__in=scope.staff_paths)
    now = timezone.now()
    limit = datetime.timedelta(days=settings.KEXIE_REVIEW_OVERDUE_DAYS)
    queue = []
    for application in qs.select_related("association", "enterprise__region", "approver").order_by(
        "submitted_at", "id"
    ):
        waited = now - (application.submitted_at or application.created_at)
        queue.append(Waiting(application, waited.days, waited > limit))
    return queue


def filing_inbox(user, *, pending_only: bool = False) -> QuerySet[Filing]:
    qs = filings_for_user(user).select_related(
        "application__association", "application__enterprise", "region"
    )
    if pending_only:
        qs = qs.filter(acknowledged_at__isnull=True)
    # Pending first on both databases (PostgreSQL sorts NULLs last by default).
    return qs.order_by(F("acknowledged_at").asc(nulls_first=True), "-submitted_at")


def route_of(application: FoundingApplication) -> tuple[object, str, bool]:
    """(approver, reason, final): the route taken, or — while the group may still edit, since
    ``submit`` routes again — the one the rules would choose now."""
    if application.state not in EDITABLE:
        return application.approver, application.route_reason, True
    try:
        route = route_for(application.enterprise)
    except DomainError as exc:
        return None, exc.message, False
    return route.approver, route.reason, False
