"""Filing (备案) with the 科协 and the 国资委 or 工商联; when every recipient has acknowledged, the
科协 is founded: active from the congress, its members admitted, the elected in office."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts.enums import Role
from kexie.accounts.permissions import require
from kexie.accounts.selectors import holders
from kexie.associations.enums import Status
from kexie.associations.services import set_association_status, set_supervisor
from kexie.core import audit
from kexie.core.dates import years_after
from kexie.core.errors import DomainError, Forbidden
from kexie.core.i18n import stored_language
from kexie.core.notify import notify
from kexie.enterprises.enums import STATE_OWNED
from kexie.members import services as member_services

from ..enums import Action, CongressStage, Recipient
from ..models import Filing, FoundingApplication
from ..permissions import get_filing_for_user, may_acknowledge
from .base import detail_url, locked, secretaries, transition


def _filing_recipients(application: FoundingApplication) -> list[str]:
    other = Recipient.SASAC if application.enterprise.ownership in STATE_OWNED else Recipient.ACFIC
    return [Recipient.KEXIE, other]


@transaction.atomic
def submit_filing(pk, *, by) -> list[Filing]:
    application = locked(by, pk, "founding.edit")
    transition(application, Action.SUBMIT_FILING, by=by)
    approver = application.approver
    assert approver is not None  # routed when it was submitted
    region = approver.region
    filings = [
        Filing.objects.create(application=application, recipient=recipient, region=region)
        for recipient in _filing_recipients(application)
    ]
    inbox = reverse("founding:filings")
    roles: dict[str, str] = {
        Recipient.KEXIE: Role.STAFF_REVIEWER,
        Recipient.SASAC: Role.SASAC_VIEWER,
        Recipient.ACFIC: Role.ACFIC_VIEWER,
    }
    for filing in filings:
        users = holders(roles[filing.recipient], region=region)
        with stored_language():
            notify(
                users,
                text=gettext("“%(name)s”已报送成立备案，请确认。") % {"name": application.association.name},
                url=inbox,
            )
    return filings


@transaction.atomic
def acknowledge_filing(filing_id, *, by) -> Filing:
    """A recipient acknowledges; when every recipient has, the 科协 is founded (active)."""
    require(by, "filing.acknowledge")
    visible = get_filing_for_user(by, filing_id)
    filing = Filing.objects.select_for_update().get(pk=visible.pk)
    if not may_acknowledge(by, filing):
        raise Forbidden(
            gettext("该备案应由%(recipient)s确认。") % {"recipient": filing.get_recipient_display()}
        )
    if filing.acknowledged_at is not None:
        raise DomainError(
            gettext("该备案已于%(at)s确认。")
            % {"at": timezone.localtime(filing.acknowledged_at).strftime("%Y-%m-%d")},
            code="state",
        )
    filing.acknowledged_at = timezone.now()
    filing.acknowledged_by = by
    filing.save(update_fields=["acknowledged_at", "acknowledged_by"])
    application = FoundingApplication.objects.select_for_update().get(pk=filing.application_id)
    with stored_language():
        audit.record(
            actor=by,
            action="state",
            instance=application,
            note=gettext("%(recipient)s确认备案") % {"recipient": filing.get_recipient_display()},
        )
    if not application.filings.filter(acknowledged_at__isnull=True).exists():
        _complete(application, by=by)
    return filing


def _complete(application: FoundingApplication, *, by) -> None:
    """The 科协 is founded: active from the congress date, members approved, officers in office."""
    transition(application, Action.COMPLETE_FILING, by=by)
    congress = application.congress
    association = application.association
    approver = application.approver
    assert approver is not None  # routed when it was submitted
    if approver.region_id != association.region_id:
        # Supervised by the 科协 that approved it (the audit log is kept in Chinese).
        set_supervisor(association, approver, by=by, reason="由批复成立的科协主管")
    # Audit notes are a permanent record kept in Chinese.
    set_association_status(association, Status.ACTIVE, by=by, on=congress.held_on, reason="成立备案完成")
    memberships = member_services.admit_founding_members(
        association, on=congress.held_on, by=by, note="成立大会召开，科协备案完成"
    )
    term_end = years_after(congress.held_on, association.term_years)
    member_services.open_terms(
        (
            (
                memberships[result.person_id],
                result.office,
                congress.held_on
                if result.stage == CongressStage.COMMITTEE
                else congress.committee_meeting_on,
                term_end,
                result.votes_for,
            )
            for result in congress.results.filter(elected=True)
        ),
        by=by,
        note="成立大会选举",
    )
    with stored_language():
        notify(
            secretaries(application),
            text=gettext("“%(name)s”备案完成，科协正式成立。") % {"name": association.name},
            url=detail_url(application),
        )
