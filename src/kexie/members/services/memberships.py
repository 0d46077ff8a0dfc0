"""The membership state machine: applying, deciding, leaving, transferring, and the founding
members admitted when their 科协 is founded.

Every change of a membership's state goes through ``transition`` (one at a time) or
``admit_founding_members`` (all of a 科协's founding members at once): they check the transition table
(``enums.TRANSITIONS``), save, write the audit log, do what the new state means (the member role, the
card code, the end of offices) and tell the person (in-app now, e-mail after commit).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts.enums import Role
from kexie.accounts.models import RoleAssignment, User
from kexie.accounts.permissions import require
from kexie.accounts.selectors import holders
from kexie.accounts.services import assign_role
from kexie.associations.permissions import get_association_for_user, joinable_associations
from kexie.core import audit
from kexie.core.dates import parse_date
from kexie.core.errors import DomainError
from kexie.core.i18n import stored_language
from kexie.core.notify import notify
from kexie.core.states import next_state

from ..cleaning import text
from ..enums import LIVE, NEEDS_REASON, NEW, TRANSITIONS, MembershipAction, MembershipStatus
from ..models import Membership, Person
from ..permissions import manages_membership, memberships_for_user
from .base import locked_membership as _locked
from .base import number as _int
from .offices import end_running_terms

CARD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a printed card
CARD_CODE_LENGTH = 12
MAX_REASON = 500


# --- the state machine ---------------------------------------------------------------------------


def check_transition(membership: Membership, action: str) -> str:
    """The state ``action`` leads to from the membership's state, or a refusal naming the person."""
    state = membership.status if membership.pk else NEW
    return next_state(
        TRANSITIONS,
        action,
        state,
        lambda: (
            gettext("“%(name)s”的会员资格当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {
                "name": membership.person.name,
                "state": membership.get_status_display() if state else gettext("无"),
                "action": MembershipAction(action).label,
            }
        ),
        field="status",
    )


def _reason(action: str, reason: str) -> str:
    reason = text(reason)
    if action in NEEDS_REASON and not reason:
        raise DomainError(
            gettext("请填写“%(action)s”的原因。") % {"action": MembershipAction(action).label}, field="reason"
        )
    if len(reason) > MAX_REASON:
        raise DomainError(gettext("原因不能超过%(max)d个字符。") % {"max": MAX_REASON}, field="reason")
    return reason


def new_card_code() -> str:
    while True:
        code = "".join(secrets.choice(CARD_ALPHABET) for _ in range(CARD_CODE_LENGTH))
        if not Membership.objects.filter(card_code=code).exists():
            return code


def transition(
    membership: Membership, action: str, *, by, reason: str = "", on: datetime.date | None = None
) -> Membership:
    """Move ``membership`` (locked by the caller, or new) along the table, or refuse with why."""
    target = check_transition(membership, action)
    reason = _reason(action, reason)
    before = membership.status if membership.pk else None
    now = timezone.now()
    day = on or timezone.localdate()
    membership.status = target
    if action == MembershipAction.APPLY:
        membership.applied_at = now
    elif action in (MembershipAction.APPROVE, MembershipAction.REJECT):
        membership.decided_at, membership.decided_by, membership.note = now, by, reason
        if action == MembershipAction.APPROVE:
            membership.joined_on = day
            membership.card_code = new_card_code()
    else:  # leave, transfer
        membership.left_on, membership.note = day, reason
    membership.save()
    with stored_language():
        audit.record(
            actor=by,
            action="state",
            instance=membership,
            changes={"status": [before, target]},
            note=reason or str(MembershipAction(action).label),
        )
    _after(membership, action, by=by, day=day)
    return membership


def _after(membership: Membership, action: str, *, by, day: datetime.date) -> None:
    """What a new state means beyond the row: the member role, running offices, telling the person."""
    user = membership.person.user
    if action == MembershipAction.APPROVE and user is not None:
        assign_role(user, Role.MEMBER, by=by, association=membership.association)
    if action in (MembershipAction.LEAVE, MembershipAction.TRANSFER):
        with stored_language():
            note = gettext("会员离会，任职结束")
        end_running_terms(membership.offices.all(), on=day, by=by, note=note)
        if user is not None:
            _remove_member_role(user, membership.association, by=by)
    if action == MembershipAction.APPLY:
        with stored_language():
            notify(
                _secretaries(membership.association),
                text=gettext("“%(name)s”申请加入“%(association)s”，请审核。")
                % {"name": membership.person.name, "association": membership.association.name},
                url=reverse("members:pending", args=[membership.association_id]),
            )
        return
    if user is not None:
        with stored_language():
            notify([user], text=_news(membership, action), url=reverse("members:mine"))


def _news(membership: Membership, action: str) -> str:
    values = {"association": membership.association.name, "reason": membership.note}
    if action == MembershipAction.APPROVE:
        return gettext("您加入“%(association)s”的申请已获批准，您已成为正式会员。") % values
    if action == MembershipAction.REJECT:
        return gettext("您加入“%(association)s”的申请未获批准。原因：%(reason)s") % values
    if action == MembershipAction.LEAVE:
        return gettext("您已退出“%(association)s”。原因：%(reason)s") % values
    return gettext("您的会员关系已从“%(association)s”转出，待转入科协审核。") % values


def _remove_member_role(user: User, association, *, by) -> None:
    for assignment in RoleAssignment.objects.filter(user=user, role=Role.MEMBER, association=association):
        audit.record(actor=by, action="delete", instance=assignment, changes={"role": [Role.MEMBER, None]})
        assignment.delete()


def _secretaries(association) -> list[User]:
    return holders(Role.SECRETARY, association=association)


# --- deciding, leaving, transferring (the secretary) ------------------------------------------------


@transaction.atomic
def approve(pk, *, by, note: str = "") -> Membership:
    return transition(_locked(by, pk), MembershipAction.APPROVE, by=by, reason=note)


@transaction.atomic
def reject(pk, *, by, reason: str) -> Membership:
    return transition(_locked(by, pk), MembershipAction.REJECT, by=by, reason=reason)


@transaction.atomic
def leave(pk, *, by, reason: str, on: Any = None) -> Membership:
    day = parse_date(on, "left_on", gettext("退会日期")) if on else None
    return transition(_locked(by, pk), MembershipAction.LEAVE, by=by, reason=reason, on=day)


@transaction.atomic
def transfer(pk, *, by, to_association_id, reason: str) -> Membership:
    """转出: the old membership becomes ``transferred`` and points at a new application in the target
    科协, which its secretary approves like any other. The new membership is returned."""
    membership = _locked(by, pk)
    check_transition(membership, MembershipAction.TRANSFER)
    target = joinable_associations(by).filter(pk=_int(to_association_id)).first()
    if target is None:
        raise DomainError(
            gettext("请选择一个正常运行的企业科协或联合科协作为转入单位。"), field="to_association"
        )
    if target.pk == membership.association_id:
        raise DomainError(gettext("转入单位不能是本科协。"), field="to_association")
    _no_live_membership(membership.person, target)
    incoming = transition(
        Membership(person=membership.person, association=target), MembershipAction.APPLY, by=by
    )
    membership.transferred_to = incoming
    transition(membership, MembershipAction.TRANSFER, by=by, reason=reason)
    return incoming


@transaction.atomic
def decide_many(association_pk, *, by, membership_ids: Iterable[Any], action: str, reason: str = "") -> int:
    """Approve or reject several applications at once: all of them, or (naming the one refused
    and why) none."""
    require(by, "member.manage")
    if action not in (MembershipAction.APPROVE, MembershipAction.REJECT):
        raise DomainError(gettext("请选择“批准入会”或“不予批准”。"), field="action")
    association = get_association_for_user(by, association_pk)
    ids = {_int(i) for i in membership_ids}
    if not ids:
        raise DomainError(gettext("请至少选择一份入会申请。"), field="membership_ids")
    visible = memberships_for_user(by).filter(association=association, pk__in=ids).values("pk")
    chosen = list(
        Membership.objects.select_for_update(of=("self",))
        .filter(pk__in=visible)
        .select_related("person__user", "association")
        .order_by("person__name", "pk")
    )
    if len(chosen) != len(ids) or not all(manages_membership(by, m) for m in chosen):
        raise DomainError(
            gettext("所选的入会申请中有不属于本科协的记录，请刷新页面后重试。"), field="membership_ids"
        )
    _reason(action, reason)
    for membership in chosen:  # refuse before writing anything
        check_transition(membership, action)
    for membership in chosen:
        transition(membership, action, by=by, reason=reason)
    return len(chosen)


def _no_live_membership(person: Person, association) -> None:
    if Membership.objects.filter(person=person, association=association, status__in=LIVE).exists():
        raise DomainError(
            gettext("“%(name)s”已是“%(association)s”的会员或已提交申请，不能重复申请。")
            % {"name": person.name, "association": association.name},
            field="association",
        )


def admit_founding_members(association, *, on: datetime.date, by, note: str) -> dict[int, Membership]:
    """The 科协 is founded: every founding member becomes a member joined on ``on`` (the founding
    congress), all at once and each in the audit log; no one decided them one by one (``decided_by``
    stays empty: the congress did). Returns the memberships by person."""
    founding = list(
        association.memberships.select_for_update(of=("self",))
        .filter(status=MembershipStatus.FOUNDING)
        .select_related("person")
        .order_by("pk")
    )
    for membership in founding:  # refuse before writing anything
        check_transition(membership, MembershipAction.FOUND)
    for membership in founding:
        membership.status, membership.joined_on = MembershipStatus.APPROVED, on
    Membership.objects.bulk_update(founding, ["status", "joined_on"])
    audit.record_many(
        actor=by,
        action="state",
        items=[(m, {"status": [MembershipStatus.FOUNDING, MembershipStatus.APPROVED]}) for m in founding],
        note=note,
    )
    return {m.person_id: m for m in founding}
