"""Writes about people and their memberships.

Every change of a membership's state goes through ``transition``: it checks the transition table
(``enums.TRANSITIONS``), saves, writes the audit log, does what the new state means (the member
role, the card code, the end of offices) and tells the person (in-app now, e-mail after commit).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts.enums import Role
from kexie.accounts.models import RoleAssignment, User
from kexie.accounts.permissions import require
from kexie.accounts.services import assign_role
from kexie.associations.permissions import get_association_for_user, joinable_associations
from kexie.core import audit
from kexie.core.dates import parse_date
from kexie.core.errors import DomainError
from kexie.core.i18n import sentences, stored_language
from kexie.core.notify import notify

from .cleaning import clean_email, clean_name, clean_person, clean_phone, text
from .enums import (
    LIVE,
    NEEDS_REASON,
    NEW,
    SINGLE_OFFICES,
    TRANSITIONS,
    MembershipAction,
    MembershipStatus,
    Office,
)
from .models import Membership, OfficeTerm, Person
from .permissions import (
    get_membership_for_user,
    get_own_membership,
    manages_membership,
    memberships_for_user,
    own_person,
)

# Fields a form leaves empty to keep what is stored: they are shown masked, never pre-filled.
KEEP_IF_BLANK = frozenset({"phone", "id_number"})
# Fields whose full value the person or their secretary may reveal (each reveal is audited).
REVEALABLE = {"phone": "手机号", "id_number": "身份证号"}  # audit notes stay Chinese
CARD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a printed card
CARD_CODE_LENGTH = 12
MAX_REASON = 500


# --- the state machine ---------------------------------------------------------------------------


def check_transition(membership: Membership, action: str) -> str:
    """The state ``action`` leads to from the membership's state, or a refusal naming the person."""
    state = membership.status if membership.pk else NEW
    target = TRANSITIONS.get((action, state))
    if target is None:
        raise DomainError(
            gettext("“%(name)s”的会员资格当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {
                "name": membership.person.name,
                "state": membership.get_status_display() if state else gettext("无"),
                "action": MembershipAction(action).label,
            },
            field="status",
            code="state",
        )
    return target


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
        _end_running_offices(membership, by=by, day=day)
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


def _end_running_offices(membership: Membership, *, by, day: datetime.date) -> None:
    running = membership.offices.filter(Q(end__isnull=True) | Q(end__gt=day))
    ended = []
    for term in running:
        before = term.end
        term.end = max(day, term.start)
        ended.append((term, {"end": [audit._plain(before), term.end.isoformat()]}))
    OfficeTerm.objects.bulk_update([t for t, _c in ended], ["end"])
    if ended:
        with stored_language():
            audit.record_many(actor=by, action="update", items=ended, note=gettext("会员离会，任职结束"))


def _remove_member_role(user: User, association, *, by) -> None:
    for assignment in RoleAssignment.objects.filter(user=user, role=Role.MEMBER, association=association):
        audit.record(actor=by, action="delete", instance=assignment, changes={"role": [Role.MEMBER, None]})
        assignment.delete()


def _secretaries(association) -> list[User]:
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(role=Role.SECRETARY, association=association).select_related(
            "user"
        )
    ]


def _locked(by, pk, perm: str = "member.manage") -> Membership:
    """The membership, if the user may act (else 403) and see it (else 404), locked for this transaction."""
    require(by, perm)
    visible = get_membership_for_user(by, pk)
    if not manages_membership(by, visible):
        raise Http404(gettext("会员不存在。"))
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("person__user", "association")
        .get(pk=visible.pk)
    )


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


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0


def _no_live_membership(person: Person, association) -> None:
    if Membership.objects.filter(person=person, association=association, status__in=LIVE).exists():
        raise DomainError(
            gettext("“%(name)s”已是“%(association)s”的会员或已提交申请，不能重复申请。")
            % {"name": person.name, "association": association.name},
            field="association",
        )


# --- self-service ----------------------------------------------------------------------------------


def _clean_signup(name, phone, email) -> tuple[str, str, str]:
    name = clean_name(name)
    phone = clean_phone(phone)
    if phone and not (len(phone) == 11 and phone.startswith("1")):
        raise DomainError(gettext("请填写11位手机号码，它将作为您的登录名。"), field="phone")
    email = clean_email(email)
    if not (phone or email):
        raise DomainError(gettext("请填写手机号或电子邮箱，作为您的登录名。"), field="phone")
    if phone and User.objects.filter(Q(username=phone) | Q(phone=phone)).exists():
        raise DomainError(gettext("手机号“%(phone)s”已注册，请直接登录。") % {"phone": phone}, field="phone")
    if email and User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
        raise DomainError(
            gettext("电子邮箱“%(email)s”已注册，请直接登录。") % {"email": email}, field="email"
        )
    return name, phone, email


@transaction.atomic
def sign_up(*, name: Any, phone: Any, email: Any, password: str, consent: bool) -> User:
    """An S&T worker opens an account: with consent to the processing of their data (PIPL), a
    phone (the login) or an e-mail, and a password the validators accept (hashed once). A person
    already registered by their 科协 with the same name and phone (e.g. from a roster) and no
    account yet is linked instead of duplicated."""
    if not consent:
        raise DomainError(
            gettext("须同意平台为会员管理、活动通知和统计处理您的个人信息，才能注册。"), field="consent"
        )
    name, phone, email = _clean_signup(name, phone, email)
    user = User(username=phone or email, display_name=name, phone=phone, email=email)
    try:
        password_validation.validate_password(password or "", user)
    except ValidationError as exc:
        raise DomainError(sentences(exc.messages), field="password") from exc
    user.set_password(password)
    try:
        with transaction.atomic():  # two sign-ups with one phone at the same moment: one wins
            user.save()
    except IntegrityError as exc:
        raise DomainError(
            gettext("该登录名已注册，请直接登录。"), field="phone" if phone else "email"
        ) from exc
    with stored_language():
        audit.record(actor=user, action="create", instance=user, note=gettext("会员自助注册"))
        person = _person_for_new_account(user)
    for membership in person.memberships.filter(status=MembershipStatus.APPROVED).select_related(
        "association"
    ):
        # Already a member where they were registered: the account gets the member role there.
        assign_role(user, Role.MEMBER, by=user, association=membership.association)
    return user


def _person_for_new_account(user: User) -> Person:
    """The person a new account is: the one registered with the same name and phone and no account
    yet (from a roster or the founding), or a new one. Either way with the consent's time."""
    now = timezone.now()
    person = None
    if user.phone:
        person = (
            Person.objects.select_for_update()
            .filter(user__isnull=True, phone=user.phone, name=user.display_name)
            .order_by("pk")
            .first()
        )
    if person is None:
        person = Person.objects.create(
            name=user.display_name, phone=user.phone, email=user.email, user=user, consented_at=now
        )
        audit.record(
            actor=user,
            action="create",
            instance=person,
            changes=audit.diff({}, audit.snapshot(person, ("name", "phone", "email", "consented_at"))),
            note=gettext("注册时同意个人信息处理"),
        )
        return person
    before = audit.snapshot(person, ("email", "consented_at"))
    person.user, person.consented_at = user, now
    person.email = person.email or user.email
    person.save(update_fields=["user", "consented_at", "email", "updated_at"])
    changes = audit.diff(before, audit.snapshot(person, ("email", "consented_at")))
    audit.record(
        actor=user,
        action="update",
        instance=person,
        changes={**changes, "user": [None, str(user)]},
        note=gettext("注册账号与已登记的会员信息关联"),
    )
    return person


def _apply_person_changes(person: Person, data: Mapping[str, Any], *, by, partial: bool) -> Person:
    data = {k: v for k, v in data.items() if not (k in KEEP_IF_BLANK and not text(v))}
    values, errors = clean_person(data, partial=partial)
    if errors:
        raise errors[0]
    before = audit.snapshot(person, values)
    for name, value in values.items():
        setattr(person, name, value)
    changes = audit.diff(before, audit.snapshot(person, values))
    if changes:
        person.save()
        audit.record(actor=by, action="update", instance=person, changes=changes)
    return person


@transaction.atomic
def update_own_profile(*, by, data: Mapping[str, Any]) -> Person:
    person = own_person(by)
    if person is None:
        raise Http404(gettext("您还没有会员信息。"))
    person = Person.objects.select_for_update().get(pk=person.pk)
    return _apply_person_changes(person, data, by=by, partial=True)


@transaction.atomic
def update_member_profile(pk, *, by, data: Mapping[str, Any]) -> Person:
    membership = _locked(by, pk)
    person = Person.objects.select_for_update().get(pk=membership.person_id)
    return _apply_person_changes(person, data, by=by, partial=True)


@transaction.atomic
def apply(*, by, association_id: Any, data: Mapping[str, Any], consent: bool = False) -> Membership:
    """会员申请表: the applicant's profile (all fields cleaned) and the 科协 they ask to join."""
    if by is None or not by.is_authenticated:
        raise Http404
    association = joinable_associations(by).filter(pk=_int(association_id)).first()
    if association is None:
        raise DomainError(gettext("请选择要加入的科协。"), field="association")
    person = own_person(by)
    if person is None or person.consented_at is None:
        if not consent:
            raise DomainError(
                gettext("须同意平台为会员管理、活动通知和统计处理您的个人信息，才能提交申请。"),
                field="consent",
            )
    if person is None:
        values, errors = clean_person({k: v for k, v in data.items()}, partial=False)
        if errors:
            raise errors[0]
        person = Person.objects.create(user=by, consented_at=timezone.now(), **values)
        audit.record(
            actor=by, action="create", instance=person, changes=audit.diff({}, audit.snapshot(person, values))
        )
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
        if person.consented_at is None:
            person.consented_at = timezone.now()
            person.save(update_fields=["consented_at", "updated_at"])
        _apply_person_changes(person, data, by=by, partial=True)
    _no_live_membership(person, association)
    return transition(Membership(person=person, association=association), MembershipAction.APPLY, by=by)


# --- offices ---------------------------------------------------------------------------------------


@transaction.atomic
def appoint(pk, *, by, office: str, start: Any, end: Any = None) -> OfficeTerm:
    """Put an approved member into an office from ``start`` (to ``end``, or open)."""
    membership = _locked(by, pk)
    if membership.status != MembershipStatus.APPROVED:
        raise DomainError(
            gettext("只有正式会员才能任职，“%(name)s”当前为“%(state)s”。")
            % {"name": membership.person.name, "state": membership.get_status_display()},
            field="office",
        )
    if office not in Office.values:
        raise DomainError(gettext("请选择职务。"), field="office")
    start_day = parse_date(start, "start", gettext("任期开始"))
    end_day = parse_date(end, "end", gettext("任期结束")) if end else None
    if end_day is not None and end_day <= start_day:
        raise DomainError(gettext("任期结束日期须晚于开始日期。"), field="end")
    if office in SINGLE_OFFICES:
        holders = office_terms_on(membership.association, office, start_day)
        if holders:
            raise DomainError(
                gettext("%(date)s时“%(office)s”由“%(name)s”担任，请先结束其任期。")
                % {
                    "date": start_day.isoformat(),
                    "office": Office(office).label,
                    "name": holders[0].membership.person.name,
                },
                field="office",
            )
    term = OfficeTerm.objects.create(membership=membership, office=office, start=start_day, end=end_day)
    audit.record(
        actor=by,
        action="create",
        instance=term,
        changes=audit.diff({}, audit.snapshot(term, ("office", "start", "end"))),
    )
    return term


@transaction.atomic
def end_term(term_id, *, by, end: Any) -> OfficeTerm:
    require(by, "member.manage")
    term = (
        OfficeTerm.objects.select_for_update(of=("self",))
        .select_related("membership__person", "membership__association")
        .filter(membership__in=memberships_for_user(by).values("pk"), pk=_int(term_id))
        .first()
    )
    if term is None or not manages_membership(by, term.membership):
        raise Http404(gettext("任职记录不存在。"))
    end_day = parse_date(end, "end", gettext("任期结束"))
    if end_day <= term.start:
        raise DomainError(gettext("任期结束日期须晚于开始日期。"), field="end")
    before = audit.snapshot(term, ("end",))
    term.end = end_day
    term.save(update_fields=["end"])
    audit.record(
        actor=by, action="update", instance=term, changes=audit.diff(before, audit.snapshot(term, ("end",)))
    )
    return term


def office_terms_on(association, office: str, day: datetime.date) -> list[OfficeTerm]:
    """Terms of ``office`` running on ``day`` (start inclusive, end exclusive) — the selector's rule."""
    from .selectors import office_holders

    return office_holders(association, office, on=day)


# --- personal data: reveal, export, card ------------------------------------------------------------


def _reveal(person: Person, field: str, *, by) -> str:
    if field not in REVEALABLE:
        raise Http404
    with stored_language():
        audit.record(
            actor=by,
            action="reveal",
            instance=person,
            note=gettext("显示%(field)s") % {"field": REVEALABLE[field]},
        )
    return person.id_number if field == "id_number" else person.phone


@transaction.atomic
def reveal_member_field(pk, *, by, field: str) -> str:
    """The full phone or ID number of a member, for their own secretary only; audited."""
    require(by, "member.reveal")
    membership = get_membership_for_user(by, pk)
    if not manages_membership(by, membership):
        raise Http404(gettext("会员不存在。"))
    return _reveal(membership.person, field, by=by)


@transaction.atomic
def reveal_own_field(*, by, field: str) -> str:
    person = own_person(by)
    if person is None:
        raise Http404
    return _reveal(person, field, by=by)


@transaction.atomic
def record_export(*, by, what: str) -> None:
    """A person downloaded everything stored about them (PIPL access right): audited."""
    person = own_person(by)
    # Without a person record, the account is all there is about them (and the request's user is a
    # lazy wrapper, not a model instance).
    subject = person if person is not None else User.objects.get(pk=by.pk)
    with stored_language():
        audit.record(
            actor=by,
            action="export",
            instance=subject,
            note=gettext("下载本人数据（%(what)s）") % {"what": what},
        )


@transaction.atomic
def issue_card(pk, *, by) -> Membership:
    """The card code of the user's own approved membership; made now for members approved at the
    founding (they had none)."""
    membership = get_own_membership(by, pk)
    if membership.status != MembershipStatus.APPROVED:
        raise Http404(gettext("只有正式会员才有会员证。"))
    if not membership.card_code:
        membership = Membership.objects.select_for_update(of=("self",)).get(pk=membership.pk)
        membership.card_code = new_card_code()
        membership.save(update_fields=["card_code"])
        with stored_language():
            audit.record(
                actor=by,
                action="update",
                instance=membership,
                changes={"card_code": [None, "******"]},
                note=gettext("生成会员证验证码"),
            )
    return membership
