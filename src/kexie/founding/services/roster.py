"""The founding roster (会员汇总表) and the candidates. People and memberships belong to
``kexie.members``: these check the dossier may change, then call its services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from kexie.core import audit, jobs
from kexie.core.errors import DomainError
from kexie.core.i18n import stored_language
from kexie.members import services as member_services
from kexie.members.enums import MembershipStatus, Office
from kexie.members.models import Membership
from kexie.members.roster.importer import RosterImportResult
from kexie.members.roster.writing import import_founding

from ..models import Candidacy
from .base import check_editable, locked


@transaction.atomic
def add_founding_member(pk, *, by, data: Mapping[str, Any]) -> Membership:
    application = locked(by, pk, "founding.edit")
    check_editable(application)
    return member_services.register_founding_member(application.association, data, by=by)


@transaction.atomic
def remove_founding_member(pk, *, by, membership_id: int) -> None:
    application = locked(by, pk, "founding.edit")
    check_editable(application)
    with stored_language():
        note = gettext("从筹备会员名单移除")
    person = member_services.remove_founding_member(application.association, membership_id, by=by, note=note)
    application.candidacies.filter(person=person).delete()


@transaction.atomic
def set_candidacy(pk, *, by, person_id: int, office: str) -> Candidacy:
    application = locked(by, pk, "founding.edit")
    check_editable(application)
    if office not in Office.values:
        raise DomainError(gettext("拟任职务“%(office)s”不是有效选项。") % {"office": office}, field="office")
    membership = (
        application.association.memberships.filter(person_id=person_id, status=MembershipStatus.FOUNDING)
        .select_related("person")
        .first()
    )
    if membership is None:
        raise DomainError(gettext("候选人须是已登记的会员。"), field="person")
    if office in (Office.CHAIR, Office.SECRETARY_GENERAL):
        taken = (
            application.candidacies.filter(office=office)
            .exclude(person_id=person_id)
            .select_related("person")
            .first()
        )
        if taken is not None:
            raise DomainError(
                gettext("%(office)s候选人只能有一名，已提名“%(name)s”。")
                % {"office": Office(office).label, "name": taken.person.name},
                field="office",
            )
    candidacy, _created = Candidacy.objects.get_or_create(
        application=application, person=membership.person, office=office
    )
    audit.record(
        actor=by,
        action="update",
        instance=application,
        changes={"candidacy": [None, f"{membership.person.name} {Office(office).label}"]},
    )
    return candidacy


@transaction.atomic
def remove_candidacy(pk, *, by, candidacy_id: int) -> None:
    application = locked(by, pk, "founding.edit")
    check_editable(application)
    deleted, _ = application.candidacies.filter(pk=candidacy_id).delete()
    if not deleted:
        raise DomainError(gettext("该候选人不存在。"), field="candidacy")


@transaction.atomic
def import_founding_roster(pk, *, by, upload) -> RosterImportResult:
    """The 会员汇总表 of the 科协 being founded, in one go (no preview): its valid rows become founding
    members, all in this transaction, through the one roster importer (``members.roster``). A person
    already on the roster (same name and phone) is updated, never duplicated; an empty cell never
    clears what is stored; every refused cell is reported. ``TabularError`` (a ``DomainError`` on
    ``file``) when the file as a whole cannot be used."""
    application = locked(by, pk, "founding.edit")
    check_editable(application)
    association = application.association
    data = jobs.read_upload(upload)
    before_count = member_services.founding_memberships(association).count()
    result = import_founding(association, by=by, data=data, filename=upload.name or "")
    if result.created or result.updated or result.unchanged:
        audit.record(
            actor=by,
            action="import",
            instance=application,
            changes={"members": [before_count, before_count + result.created]},
            # The audit log is a permanent record kept in Chinese.
            note=f"导入会员汇总表：新增{result.created}人，更新{result.updated}人，未变{result.unchanged}人。",
        )
    return result
