"""Telling people what they must do next: an in-app notification now, an e-mail after commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from .models import Notification


def notify(users: Iterable, *, text: str, url: str = "") -> int:
    """Write one notification per user (in the caller's transaction); mail them once it commits."""
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    Notification.objects.bulk_create(
        Notification(user=u, text=text[:300], url=url) for u in recipients.values()
    )
    emails = [u.email for u in recipients.values() if u.email]
    if emails:
        link = f"{settings.KEXIE_BASE_URL}{url}" if url else ""

        def send() -> None:
            send_mail(
                str(settings.KEXIE_SITE_NAME), f"{text}\n{link}".strip(), None, emails, fail_silently=True
            )

        transaction.on_commit(send)
    return len(recipients)


def inbox(user):
    """The user's notifications, unread first, newest first within each."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return (
        Notification.objects.filter(user=user)
        .annotate(unread=unread)
        .order_by("-unread", "-created_at", "-id")
    )


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, *, pk: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) read; another user's is never touched."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        qs = qs.filter(pk=pk)
    return qs.update(read_at=timezone.now())
