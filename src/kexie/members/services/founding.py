"""The founding members of a 科协 being founded (筹备登记): registered one by one or from the
会员汇总表, removed while the dossier may change. The founding procedure calls these after checking
that the preparatory group may edit its dossier (and holding the application's lock); the members
become members when the 科协 is founded (``memberships.admit_founding_members``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from kexie.core import audit
from kexie.core.errors import DomainError

from ..cleaning import clean_person
from ..enums import MembershipStatus
from ..models import Membership, Person

# The person's fields the 会员汇总表 of a founding gives (as the audit log records them).
ROSTER_FIELDS = (
    "name",
    "sex",
    "birth_month",
    "education",
    "political",
    "title_level",
    "title_name",
    "position",
)


def founding_memberships(association):
    return association.memberships.filter(status=MembershipStatus.FOUNDING)


def register_founding_member(association, data: Mapping[str, Any], *, by) -> Membership:
    """One person on the founding roster (all of their fields cleaned; the same name and phone twice
    is refused)."""
    values, errors = clean_person(data)
    if errors:
        raise errors[0]
    duplicate = association.memberships.filter(
        person__name=values["name"], person__phone=values.get("phone", "")
    ).exists()
    if duplicate:
        raise DomainError(
            gettext("会员“%(name)s”已在筹备名单中，不能重复登记。") % {"name": values["name"]}, field="name"
        )
    person = Person.objects.create(enterprise_id=association.enterprise_id, **values)
    membership, _created = Membership.objects.get_or_create(
        person=person, association=association, status=MembershipStatus.FOUNDING
    )
    audit.record(
        actor=by, action="create", instance=person, changes=audit.diff({}, audit.snapshot(person, values))
    )
    return membership


def remove_founding_member(association, membership_id: Any, *, by, note: str) -> Person:
    """Take a person off the founding roster; returns the person (the caller drops what else refers
    to them, such as a candidacy)."""
    membership = founding_memberships(association).filter(pk=membership_id).select_related("person").first()
    if membership is None:
        raise DomainError(gettext("该会员不在本科协的筹备名单中。"), field="membership")
    audit.record(actor=by, action="delete", instance=membership.person, note=note)
    person = membership.person
    membership.delete()
    return person


def register_founding_members(
    association, people: Iterable[Mapping[str, Any]], *, by, note: str
) -> tuple[int, int, int]:
    """Many founding members at once (the 会员汇总表), in the caller's transaction.

    ``people`` are rows cleaned by ``cleaning.clean_person`` (cleaned again here: this is the gate). A
    person already on the roster, same name and phone, is updated, never duplicated; an empty value
    never clears what is stored. Returns (created, updated, unchanged)."""
    roster = {
        (m.person.name, m.person.phone): m.person
        for m in founding_memberships(association).select_related("person")
    }
    created: list[Person] = []
    updated: dict[int, tuple[Person, dict]] = {}
    unchanged = 0
    for raw in people:
        values, errors = clean_person(raw)
        if errors:
            raise errors[0]
        values = {k: v for k, v in values.items() if v != ""}
        key = (values["name"], values.get("phone", ""))
        person = roster.get(key)
        if person is None:
            person = Person(enterprise_id=association.enterprise_id, **values)
            roster[key] = person
            created.append(person)
            continue
        if person.pk is None:  # the same person twice in one import: the later row wins
            for name, value in values.items():
                setattr(person, name, value)
            continue
        before = audit.snapshot(person, ROSTER_FIELDS)
        for name, value in values.items():
            setattr(person, name, value)
        changes = audit.diff(before, audit.snapshot(person, ROSTER_FIELDS))
        if changes:
            previous = updated.get(person.pk, (person, {}))[1]
            updated[person.pk] = (person, {**changes, **previous})
        elif person.pk not in updated:
            unchanged += 1
    Person.objects.bulk_create(created)
    Membership.objects.bulk_create(
        Membership(person=p, association=association, status=MembershipStatus.FOUNDING) for p in created
    )
    if updated:
        now = timezone.now()
        for person, _changes in updated.values():
            person.updated_at = now
        Person.objects.bulk_update([p for p, _c in updated.values()], [*ROSTER_FIELDS, "updated_at"])
    audit.record_many(
        actor=by,
        action="create",
        items=[(p, audit.diff({}, audit.snapshot(p, (*ROSTER_FIELDS, "phone")))) for p in created],
        note=note,
    )
    audit.record_many(actor=by, action="update", items=list(updated.values()), note=note)
    return len(created), len(updated), unchanged
