"""Reads about people and memberships, always starting from ``scoping``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from kexie.core.errors import DomainError
from kexie.core.masking import mask_name

from .cleaning import PERSON_FIELDS
from .enums import Education, MembershipStatus, Office, TitleLevel
from .models import Membership, OfficeTerm, Person
from .permissions import memberships_for_user, own_memberships, own_person

OFFICE_ORDER = {value: i for i, value in enumerate(Office.values)}


# --- offices ----------------------------------------------------------------------------------------


def _running_on(day: datetime.date) -> Q:
    """A term runs from its start (inclusive) to its end (exclusive); no end: still running."""
    return Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))


def office_holders(association, office: str, *, on: datetime.date | None = None) -> list[OfficeTerm]:
    """Who held ``office`` in ``association`` on the day ``on`` (default today): “who was 主席 in 2023”."""
    day = on or timezone.localdate()
    return list(
        OfficeTerm.objects.filter(membership__association=association, office=office)
        .filter(_running_on(day))
        .select_related("membership__person")
        .order_by("start", "pk")
    )


def offices_on(association, day: datetime.date) -> list[OfficeTerm]:
    """Every office held on ``day``, in the order of the candidate table (主席 first)."""
    terms = (
        OfficeTerm.objects.filter(membership__association=association)
        .filter(_running_on(day))
        .select_related("membership__person")
    )
    return sorted(terms, key=lambda t: (OFFICE_ORDER.get(t.office, 99), t.start, t.membership.person.name))


def all_terms(association) -> QuerySet[OfficeTerm]:
    return (
        OfficeTerm.objects.filter(membership__association=association)
        .select_related("membership__person")
        .order_by("-start", "office", "pk")
    )


# --- member lists (staff and secretaries) ---------------------------------------------------------------


@dataclass(frozen=True)
class MemberFilters:
    q: str = ""
    status: str = ""
    title_level: str = ""
    education: str = ""

    @classmethod
    def from_params(cls, params) -> MemberFilters:
        values = {
            name: str(params.get(name, "") or "").strip()
            for name in ("q", "status", "title_level", "education")
        }
        checks = {
            "status": MembershipStatus.values,
            "title_level": TitleLevel.values,
            "education": Education.values,
        }
        for name, allowed in checks.items():
            if values[name] and values[name] not in allowed:
                raise DomainError(gettext("筛选条件“%(value)s”无效。") % {"value": values[name]}, field=name)
        return cls(**values)


def member_list(user, association, filters: MemberFilters | None = None) -> QuerySet[Membership]:
    """The association's memberships the user may see, filtered in SQL; newest first within a name."""
    filters = filters or MemberFilters()
    qs = memberships_for_user(user).filter(association=association)
    if filters.q:
        qs = qs.filter(person__name__contains=filters.q)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.title_level:
        qs = qs.filter(person__title_level=filters.title_level)
    if filters.education:
        qs = qs.filter(person__education=filters.education)
    return qs.order_by("person__name", "-pk")


def pending(user, association) -> QuerySet[Membership]:
    return (
        memberships_for_user(user)
        .filter(association=association, status=MembershipStatus.APPLIED)
        .order_by("applied_at", "pk")
    )


def status_counts(user, association) -> dict[str, int]:
    rows = memberships_for_user(user).filter(association=association).values("status").annotate(n=Count("pk"))
    return {row["status"]: row["n"] for row in rows}


def person_memberships(user, person: Person) -> QuerySet[Membership]:
    """The person's memberships within the user's reach (history: applied, approved, left, transferred…)."""
    return (
        memberships_for_user(user)
        .filter(person=person)
        .select_related("association", "transferred_to__association", "decided_by")
        .order_by("-created_at", "-pk")
    )


def terms_of(memberships: QuerySet[Membership]) -> QuerySet[OfficeTerm]:
    return (
        OfficeTerm.objects.filter(membership__in=memberships.values("pk"))
        .select_related("membership__association")
        .order_by("-start", "pk")
    )


# --- self-service ------------------------------------------------------------------------------------


def my_memberships(user) -> QuerySet[Membership]:
    return (
        own_memberships(user)
        .select_related("transferred_to__association", "decided_by")
        .order_by("-created_at", "-pk")
    )


def my_data(user) -> dict[str, Any]:
    """Everything stored about the user as a person (PIPL right of access), in plain values."""
    person = own_person(user)
    data: dict[str, Any] = {
        "account": {
            "username": user.username,
            "display_name": user.display_name,
            "phone": user.phone,
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
        },
        "person": {},
        "memberships": [],
        "offices": [],
    }
    if person is None:
        return data

    data["person"] = {name: getattr(person, name) for name in PERSON_FIELDS}
    data["person"]["consented_at"] = person.consented_at.isoformat() if person.consented_at else None
    memberships = list(my_memberships(user))
    for m in memberships:
        data["memberships"].append(
            {
                "association": m.association.name,
                "status": m.get_status_display(),
                "applied_at": m.applied_at.isoformat() if m.applied_at else None,
                "joined_on": m.joined_on.isoformat() if m.joined_on else None,
                "left_on": m.left_on.isoformat() if m.left_on else None,
                "note": m.note,
                "card_code": m.card_code or "",
            }
        )
    for term in terms_of(own_memberships(user)):
        data["offices"].append(
            {
                "association": term.membership.association.name,
                "office": term.get_office_display(),
                "start": term.start.isoformat(),
                "end": term.end.isoformat() if term.end else None,
            }
        )
    return data


# --- the public card check -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CardCheck:
    valid: bool
    name: str = ""
    association: str = ""


def check_card(code: str) -> CardCheck:
    """What the public verification page may say: for a valid card the masked name and the 科协;
    for anything else (left, transferred, unknown…) only “无效”, so a code's existence is never told."""
    code = (code or "").strip().upper()
    if not code or len(code) > 16:
        return CardCheck(valid=False)
    membership = (
        Membership.objects.filter(card_code=code, status=MembershipStatus.APPROVED)
        .select_related("person", "association")
        .first()
    )
    if membership is None:
        return CardCheck(valid=False)
    return CardCheck(
        valid=True, name=mask_name(membership.person.name), association=membership.association.name
    )


def card_number(membership: Membership) -> str:
    """The number printed on the card: the year joined and the membership's number."""
    year = membership.joined_on.year if membership.joined_on else membership.created_at.year
    return f"{year}{membership.pk:08d}"
