"""People's own data: signing up, profiles, the 会员申请表, reveals of personal data (audited),
the download of one's own data, the member card."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts.enums import Role
from kexie.accounts.models import User
from kexie.accounts.permissions import require
from kexie.accounts.services import assign_role
from kexie.associations.permissions import joinable_associations
from kexie.core import audit
from kexie.core.errors import DomainError, NotFound
from kexie.core.i18n import sentences, stored_language

from ..cleaning import clean_email, clean_name, clean_person, clean_phone, text
from ..enums import MembershipAction, MembershipStatus
from ..models import Membership, Person
from ..permissions import get_membership_for_user, get_own_membership, manages_membership, own_person
from .base import locked_membership as _locked
from .base import number as _int
from .memberships import _no_live_membership, new_card_code, transition

KEEP_IF_BLANK = frozenset({"phone", "id_number"})
# Fields whose full value the person or their secretary may reveal (each reveal is audited).
REVEALABLE = {"phone": "手机号", "id_number": "身份证号"}  # audit notes stay Chinese


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
        raise NotFound(gettext("您还没有会员信息。"))
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
        raise NotFound
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


# --- personal data: reveal, export, card ------------------------------------------------------------


def _reveal(person: Person, field: str, *, by) -> str:
    if field not in REVEALABLE:
        raise NotFound
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
        raise NotFound(gettext("会员不存在。"))
    return _reveal(membership.person, field, by=by)


@transaction.atomic
def reveal_own_field(*, by, field: str) -> str:
    person = own_person(by)
    if person is None:
        raise NotFound
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
        raise NotFound(gettext("只有正式会员才有会员证。"))
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
