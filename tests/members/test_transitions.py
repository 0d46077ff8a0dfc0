"""The membership state machine: every action × state pair, allowed or refused, and what each
allowed transition does (dates, card code, member role, offices, notifications, audit)."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kexie.accounts.enums import Role
from kexie.accounts.models import RoleAssignment
from kexie.core.errors import DomainError
from kexie.core.models import AuditEntry, Notification
from kexie.members import services
from kexie.members.enums import TRANSITIONS, MembershipAction, MembershipStatus
from kexie.members.models import Membership, OfficeTerm, Person
from kexie.members.selectors import office_holders

from ..factories import AssociationFactory, UserFactory, grant
from .conftest import apply_to, sign_up

# Applying makes a membership; the founding members are admitted all at once (tested below).
ACTIONS = [a for a in MembershipAction.values if a not in (MembershipAction.APPLY, MembershipAction.FOUND)]
STATES = MembershipStatus.values


def _call(action, membership, by, world):
    if action == "approve":
        return services.approve(membership.pk, by=by)
    if action == "reject":
        return services.reject(membership.pk, by=by, reason="材料不全")
    if action == "leave":
        return services.leave(membership.pk, by=by, reason="调离本单位")
    other = AssociationFactory()
    return services.transfer(membership.pk, by=by, to_association_id=other.pk, reason="调动")


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_in_every_state(world, action, state):
    person = Person.objects.create(name="状态机", phone="13900000001")
    membership = Membership.objects.create(person=person, association=world.assoc_a, status=state)
    allowed = (action, state) in TRANSITIONS
    if allowed:
        _call(action, membership, world.secretary, world)
        membership.refresh_from_db()
        assert membership.status == TRANSITIONS[(action, state)]
    else:
        with pytest.raises(DomainError) as exc:
            _call(action, membership, world.secretary, world)
        assert "状态机" in exc.value.message and exc.value.code == "state"
        membership.refresh_from_db()
        assert membership.status == state


def test_founding_members_are_admitted_together_when_the_association_is_founded(world):
    founding = [
        Membership.objects.create(
            person=Person.objects.create(name=f"筹备{i}", phone=f"1390000001{i}"),
            association=world.assoc_a,
            status=MembershipStatus.FOUNDING,
        )
        for i in range(3)
    ]
    applied = Membership.objects.create(
        person=Person.objects.create(name="申请人", phone="13900000020"),
        association=world.assoc_a,
        status=MembershipStatus.APPLIED,
    )
    day = datetime.date(2026, 5, 20)
    admitted = services.admit_founding_members(world.assoc_a, on=day, by=world.secretary, note="成立")
    assert set(admitted) == {m.person_id for m in founding}
    for membership in founding:
        membership.refresh_from_db()
        assert membership.status == MembershipStatus.APPROVED and membership.joined_on == day
        assert membership.decided_by is None  # the congress decided, not a secretary
        entry = AuditEntry.objects.get(object_id=str(membership.pk), action="state")
        assert entry.changes == {"status": ["founding", "approved"]} and entry.note == "成立"
    applied.refresh_from_db()
    assert applied.status == MembershipStatus.APPLIED  # an applicant is decided one by one


def test_apply_creates_an_applied_membership_and_tells_the_secretary(world, worker):
    user, membership = worker
    assert membership.status == MembershipStatus.APPLIED and membership.applied_at
    assert membership.person.user == user and membership.person.title_level == "intermediate"
    assert Notification.objects.filter(user=world.secretary, text__contains="李工程").exists()
    assert AuditEntry.objects.filter(action="state", object_id=str(membership.pk)).exists()


def test_applying_twice_is_refused(world, worker):
    user, _membership = worker
    with pytest.raises(DomainError) as exc:
        services.apply(by=user, association_id=world.assoc_a.pk, data={}, consent=True)
    assert exc.value.field == "association"
    assert Membership.objects.filter(person__user=user).count() == 1


def test_approve_sets_date_card_and_member_role_and_notifies(
    world, worker, django_capture_on_commit_callbacks
):
    user, membership = worker
    with django_capture_on_commit_callbacks(execute=True):
        services.approve(membership.pk, by=world.secretary)
    membership.refresh_from_db()
    assert (
        membership.status == "approved" and membership.joined_on and membership.decided_by == world.secretary
    )
    assert len(membership.card_code) == 12
    assert RoleAssignment.objects.filter(user=user, role=Role.MEMBER, association=world.assoc_a).exists()
    assert Notification.objects.filter(user=user, text__contains="已获批准").exists()


def test_mail_is_sent_only_after_commit(world, worker, django_capture_on_commit_callbacks, settings):
    user, membership = worker
    user.email = "li@example.com"
    user.save()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.approve(membership.pk, by=world.secretary)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert any("li@example.com" in m.to for m in mail.outbox)


def test_reject_needs_a_reason(world, worker):
    _user, membership = worker
    with pytest.raises(DomainError) as exc:
        services.reject(membership.pk, by=world.secretary, reason="  ")
    assert exc.value.field == "reason"
    membership.refresh_from_db()
    assert membership.status == "applied"


def test_leave_ends_offices_and_removes_the_role(world, worker):
    user, membership = worker
    services.approve(membership.pk, by=world.secretary)
    term = services.appoint(membership.pk, by=world.secretary, office="vice_chair", start="2020-01-01")
    services.leave(membership.pk, by=world.secretary, reason="退休")
    membership.refresh_from_db()
    term.refresh_from_db()
    assert membership.status == "left" and membership.left_on and membership.note == "退休"
    assert term.end == membership.left_on
    assert not RoleAssignment.objects.filter(user=user, role=Role.MEMBER).exists()


def test_transfer_keeps_history_and_target_secretary_approves(world, worker):
    user, membership = worker
    services.approve(membership.pk, by=world.secretary)
    target = AssociationFactory()

    target_secretary = UserFactory(username="secretary_t")
    grant(target_secretary, Role.SECRETARY, association=target)
    incoming = services.transfer(
        membership.pk, by=world.secretary, to_association_id=target.pk, reason="调动"
    )
    membership.refresh_from_db()
    assert membership.status == "transferred" and membership.transferred_to == incoming
    assert incoming.status == "applied" and incoming.association == target
    assert not RoleAssignment.objects.filter(user=user, role=Role.MEMBER, association=world.assoc_a).exists()
    # Association A's secretary cannot decide for the target 科协; its own secretary can.
    with pytest.raises(Http404):
        services.approve(incoming.pk, by=world.secretary)
    services.approve(incoming.pk, by=target_secretary)
    assert RoleAssignment.objects.filter(user=user, role=Role.MEMBER, association=target).exists()
    assert Membership.objects.filter(person=membership.person).count() == 2


def test_transfer_to_the_same_association_is_refused(world, worker):
    _user, membership = worker
    services.approve(membership.pk, by=world.secretary)
    with pytest.raises(DomainError) as exc:
        services.transfer(membership.pk, by=world.secretary, to_association_id=world.assoc_a.pk, reason="x")
    assert exc.value.field == "to_association"


def test_staff_may_not_decide_and_other_secretary_sees_nothing(world, worker):

    _user, membership = worker
    with pytest.raises(PermissionDenied):
        services.approve(membership.pk, by=world.county_staff)
    other = UserFactory(username="secretary_b")
    grant(other, Role.SECRETARY, association=world.assoc_b)
    with pytest.raises(Http404):
        services.approve(membership.pk, by=other)


# --- bulk ------------------------------------------------------------------------------------------


def _applications(world, n):

    return [apply_to(sign_up(f"批量{i}", f"1391234100{i}"), world.assoc_a) for i in range(n)]


def test_bulk_approve_all(world):
    chosen = _applications(world, 3)
    count = services.decide_many(
        world.assoc_a.pk, by=world.secretary, membership_ids=[m.pk for m in chosen], action="approve"
    )
    assert count == 3
    assert set(Membership.objects.filter(pk__in=[m.pk for m in chosen]).values_list("status", flat=True)) == {
        "approved"
    }


def test_bulk_is_all_or_nothing_and_names_the_refused(world):
    chosen = _applications(world, 3)
    services.approve(chosen[1].pk, by=world.secretary)
    audit_before = AuditEntry.objects.count()
    with pytest.raises(DomainError) as exc:
        services.decide_many(
            world.assoc_a.pk, by=world.secretary, membership_ids=[m.pk for m in chosen], action="approve"
        )
    assert "批量1" in exc.value.message and "正式会员" in exc.value.message
    assert Membership.objects.get(pk=chosen[0].pk).status == "applied"
    assert Membership.objects.get(pk=chosen[2].pk).status == "applied"
    assert AuditEntry.objects.count() == audit_before


def test_bulk_reject_needs_a_reason(world):
    chosen = _applications(world, 2)
    with pytest.raises(DomainError) as exc:
        services.decide_many(
            world.assoc_a.pk, by=world.secretary, membership_ids=[m.pk for m in chosen], action="reject"
        )
    assert exc.value.field == "reason"


def test_bulk_refuses_a_membership_of_another_association(world):
    chosen = _applications(world, 1)
    foreign = Membership.objects.create(
        person=Person.objects.create(name="外单位"), association=world.assoc_b, status="applied"
    )
    with pytest.raises(DomainError):
        services.decide_many(
            world.assoc_a.pk,
            by=world.secretary,
            membership_ids=[chosen[0].pk, foreign.pk],
            action="approve",
        )
    assert Membership.objects.get(pk=chosen[0].pk).status == "applied"


# --- offices ------------------------------------------------------------------------------------------


def test_office_holders_on_dates(world):

    a, b = (
        Membership.objects.create(
            person=Person.objects.create(name=n), association=world.assoc_a, status="approved"
        )
        for n in ("甲主席", "乙主席")
    )
    first = services.appoint(a.pk, by=world.secretary, office="chair", start="2021-01-01")
    with pytest.raises(DomainError):  # one chair at a time
        services.appoint(b.pk, by=world.secretary, office="chair", start="2023-06-01")
    services.end_term(first.pk, by=world.secretary, end="2024-01-01")
    services.appoint(b.pk, by=world.secretary, office="chair", start="2024-01-01")
    on = datetime.date.fromisoformat
    assert [
        t.membership.person.name for t in office_holders(world.assoc_a, "chair", on=on("2023-05-01"))
    ] == ["甲主席"]
    assert [
        t.membership.person.name for t in office_holders(world.assoc_a, "chair", on=on("2024-01-01"))
    ] == ["乙主席"]
    assert office_holders(world.assoc_a, "chair", on=on("2020-12-31")) == []
    assert OfficeTerm.objects.filter(membership__association=world.assoc_a).count() == 2


def test_only_approved_members_take_office(world, worker):
    _user, membership = worker
    with pytest.raises(DomainError) as exc:
        services.appoint(membership.pk, by=world.secretary, office="committee", start="2024-01-01")
    assert exc.value.field == "office"
