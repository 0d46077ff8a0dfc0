"""The founding state machine and what every step shares: the application locked for the
transaction, whether its dossier may change, who acts next."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext

from kexie.accounts.enums import Role
from kexie.accounts.models import User
from kexie.accounts.permissions import require
from kexie.accounts.selectors import holders
from kexie.associations.models import Association
from kexie.core import audit
from kexie.core.errors import DomainError
from kexie.core.states import next_state

from ..enums import EDITABLE, TRANSITIONS, Action
from ..models import ApplicationEvent, FoundingApplication
from ..permissions import get_founding_application_for_user


def check_transition(application: FoundingApplication, action: str) -> str:
    """The state ``action`` leads to from the application's state, or a refusal saying why."""
    return next_state(
        TRANSITIONS,
        action,
        application.state,
        lambda: (
            gettext("申请当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": application.get_state_display(), "action": Action(action).label}
        ),
    )


def transition(application: FoundingApplication, action: str, *, by, comment: str = "") -> ApplicationEvent:
    """Move ``application`` (locked by the caller) along the transition table, or refuse with why."""
    target = check_transition(application, action)
    before = application.state
    application.state = target
    application.save()
    event = ApplicationEvent.objects.create(
        application=application,
        action=action,
        from_state=before,
        to_state=target,
        round=application.round,
        actor=by,
        comment=comment,
    )
    audit.record(
        actor=by, action="state", instance=application, changes={"state": [before, target]}, note=comment
    )
    return event


def locked(by, pk, perm: str) -> FoundingApplication:
    """The application, if the user may see it (else 404) and act (else 403), locked for this transaction."""
    require(by, perm)
    visible = get_founding_application_for_user(by, pk)
    # Lock the application row only: PostgreSQL cannot lock the nullable side of the approver join.
    return (
        FoundingApplication.objects.select_for_update(of=("self",))
        .select_related("association__region", "enterprise__region", "approver__region")
        .get(pk=visible.pk)
    )


def check_editable(application: FoundingApplication) -> None:
    if application.state not in EDITABLE:
        raise DomainError(
            gettext("申请当前状态为“%(state)s”，材料不能再修改。")
            % {"state": application.get_state_display()},
            code="state",
        )


def detail_url(application: FoundingApplication) -> str:
    return reverse("founding:detail", args=[application.pk])


def secretaries(application: FoundingApplication) -> list[User]:
    return holders(Role.SECRETARY, association=application.association_id)


def reviewers(approver: Association) -> list[User]:
    return holders(Role.STAFF_REVIEWER, region=approver.region_id)
