"""The founding members of a 科协 being founded (筹备登记): registered one by one or from the
会员汇总表, removed while the dossier may change. The founding procedure calls these after checking
that the preparatory group may edit its dossier (and holding the application's lock); the members
become members when the 科协 is founded (``memberships.admit_founding_members``). The 会员汇总表 of a
founding is imported by the one roster importer (``members.roster.writing.import_founding``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

from kexie.core import audit
from kexie.core.errors import DomainError

from ..cleaning import clean_person
from ..enums import MembershipStatus
from ..models import Membership, Person


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
