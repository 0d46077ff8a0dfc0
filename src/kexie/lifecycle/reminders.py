"""Reminders to secretaries: reports falling due, terms ending. Run daily (``kexie send_reminders``);
a reminder of the same kind is not repeated within a week."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts.enums import Role
from kexie.accounts.models import RoleAssignment
from kexie.associations.enums import Kind, Status
from kexie.associations.models import Association
from kexie.core.models import Notification
from kexie.core.notify import notify

from .enums import ReportKind
from .models import WorkReport
from .services import due_date, term_end

REPORT_WARNING_DAYS = 14
TERM_WARNING_DAYS = 90
QUIET_DAYS = 7


def _recently_told(user, text: str, today: datetime.date) -> bool:
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=QUIET_DAYS), datetime.time())
    )
    return Notification.objects.filter(user=user, text=text, created_at__gte=since).exists()


def send_reminders(today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    secretaries: dict[int, list] = {}
    for ra in RoleAssignment.objects.filter(role=Role.SECRETARY, association__isnull=False).select_related(
        "user"
    ):
        secretaries.setdefault(ra.association_id, []).append(ra.user)
    live = Association.objects.filter(
        Q(kind=Kind.ENTERPRISE) | Q(kind=Kind.JOINT), status=Status.ACTIVE, pk__in=list(secretaries)
    ).prefetch_related("renewals")
    reports = set(WorkReport.objects.values_list("association_id", "year", "kind"))
    for association in live:
        messages = []
        for year, kind in ((today.year, ReportKind.PLAN), (today.year - 1, ReportKind.SUMMARY)):
            due = due_date(year, kind)
            if (
                (association.pk, year, kind) in reports
                or association.founded_on is None
                or association.founded_on > due
            ):
                continue
            if today > due:
                messages.append(
                    gettext("%(name)s的%(year)s年%(kind)s已逾期（期限%(due)s），请尽快报送。")
                    % {
                        "name": association.name,
                        "year": year,
                        "kind": ReportKind(kind).label,
                        "due": due.isoformat(),
                    }
                )
            elif (due - today).days <= REPORT_WARNING_DAYS:
                messages.append(
                    gettext("%(name)s的%(year)s年%(kind)s应于%(due)s前报送。")
                    % {
                        "name": association.name,
                        "year": year,
                        "kind": ReportKind(kind).label,
                        "due": due.isoformat(),
                    }
                )
        end = term_end(association)
        if end is not None and (end - today).days <= TERM_WARNING_DAYS:
            messages.append(
                gettext("%(name)s本届任期至%(end)s，请筹备换届。")
                % {"name": association.name, "end": end.isoformat()}
            )
        url = reverse("associations:detail", args=[association.pk])
        for text in messages:
            users = [u for u in secretaries[association.pk] if not _recently_told(u, text, today)]
            sent += notify(users, text=text, url=url)
    return sent
