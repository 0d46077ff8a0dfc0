"""The state machine: every (action, state) pair of the founding procedure.

Each application is driven into its state through the services (the way users get there), then
every action is tried: those in ``enums.TRANSITIONS`` move it and leave exactly one event and one
audit entry; every other one is refused with a sentence naming the state and the action, and
changes nothing."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from kexie.accounts.models import User
from kexie.associations.enums import Status
from kexie.core.errors import DomainError
from kexie.core.models import AuditEntry
from kexie.founding import services
from kexie.founding.enums import EDITABLE, TRANSITIONS, Action, Recipient, State
from kexie.founding.models import FoundingApplication, NumberSequence
from kexie.members.enums import MembershipStatus, Office

from .conftest import PDF, complete_dossier, congress_data

ALL_PAIRS = [(action, state) for action in Action for state in State]
ALLOWED = sorted((a.value, s.value) for (a, s) in TRANSITIONS)
REFUSED = sorted((a.value, s.value) for (a, s) in ALL_PAIRS if (a, s) not in TRANSITIONS)


def test_the_table_is_what_the_procedure_says():
    assert len(ALL_PAIRS) == len(Action) * len(State) == 90
    assert len(ALLOWED) == 14 and len(REFUSED) == 76
    # Every state but the closed ones can be left; only the procedure's start has no way in.
    assert {to for to in TRANSITIONS.values()} == set(State) - {State.DRAFT}
    assert {s for (_a, s) in TRANSITIONS} == set(State) - {State.REJECTED, State.WITHDRAWN, State.FILED}


# --- driving an application ------------------------------------------------------------------------


class Walk:
    """One application and the people who act on it."""

    def __init__(self, world, application, founder):
        self.world = world
        self.pk = application.pk
        self.founder = founder
        self.reviewer = world.county_staff
        self.people = complete_dossier(application, founder)

    @property
    def application(self) -> FoundingApplication:
        return FoundingApplication.objects.select_related("association").get(pk=self.pk)

    def fresh(self):
        # Roles change along the way; the scope is cached on a user instance.
        self.founder = User.objects.get(pk=self.founder.pk)
        self.reviewer = User.objects.get(pk=self.reviewer.pk)

    def to(self, state: str) -> "Walk":
        path = {
            State.DRAFT: [],
            State.SUBMITTED: ["submit"],
            State.PRE_REVIEW: ["submit", "pre_review"],
            State.RETURNED: ["submit", "return"],
            State.REJECTED: ["submit", "reject"],
            State.WITHDRAWN: ["withdraw"],
            State.APPROVED: ["submit", "approve"],
            State.CONGRESS_HELD: ["submit", "approve", "record_congress"],
            State.FILING: ["submit", "approve", "record_congress", "submit_filing"],
            State.FILED: ["submit", "approve", "record_congress", "submit_filing", "complete_filing"],
        }[state]
        for action in path:
            self.do(action)
        assert self.application.state == state
        return self

    def prepare(self, action: str) -> None:
        """Completing the filing is the last recipient's acknowledgement: where nothing waits for one
        (no filing was submitted, or all are acknowledged), put one in an inbox as if it had been."""
        if action == Action.COMPLETE_FILING:
            application = self.application
            if not application.filings.filter(acknowledged_at__isnull=True).exists():
                used = set(application.filings.values_list("recipient", flat=True))
                recipient = next(r for r in Recipient if r not in used)
                application.filings.create(recipient=recipient, region_id="410102")

    def do(self, action: str):
        self.fresh()
        pk, founder, reviewer = self.pk, self.founder, self.reviewer
        if action == Action.SUBMIT:
            return services.submit(pk, by=founder)
        if action == Action.PRE_REVIEW:
            return services.start_pre_review(pk, by=reviewer)
        if action == Action.RETURN:
            return services.return_application(pk, by=reviewer, comment="请补充会员的职称。")
        if action == Action.REJECT:
            return services.reject(pk, by=reviewer, reason="该企业科技工作者人数不足，建议参加区域联建。")
        if action == Action.APPROVE:
            return services.approve(pk, by=reviewer, on=datetime.date(2026, 4, 1))
        if action == Action.WITHDRAW:
            return services.withdraw(pk, by=founder)
        if action == Action.RECORD_CONGRESS:
            application = self.application
            if application.approval_date is None:  # refused anyway; give it a date to compare with
                application.approval_date = datetime.date(2026, 4, 1)
            data, committee, officers = congress_data(application, self.people)
            return services.record_congress(pk, by=founder, data=data, committee=committee, officers=officers)
        if action == Action.SUBMIT_FILING:
            return services.submit_filing(pk, by=founder)
        if action == Action.COMPLETE_FILING:
            # Completed by the last recipient's acknowledgement.
            filings = list(self.application.filings.filter(acknowledged_at__isnull=True))
            acknowledgers = {
                Recipient.KEXIE: reviewer,
                Recipient.ACFIC: self.world.acfic,
                Recipient.SASAC: self.world.sasac,
            }
            for filing in filings:
                services.acknowledge_filing(filing.pk, by=acknowledgers[filing.recipient])
            return None
        raise AssertionError(action)


@pytest.fixture
def walk(world, application, founder):
    return Walk(world, application, founder)


def snapshot(walk: Walk) -> dict:
    application = walk.application
    ct = ContentType.objects.get_for_model(FoundingApplication)
    return {
        "state": application.state,
        "round": application.round,
        "approver": application.approver_id,
        "approval_number": application.approval_number,
        "events": application.events.count(),
        "audit": AuditEntry.objects.count(),
        "state_audit": AuditEntry.objects.filter(content_type=ct, object_id=str(walk.pk)).count(),
        "numbers": list(NumberSequence.objects.values_list("last", flat=True)),
        "association": application.association.status,
        "filings": list(application.filings.values_list("recipient", "acknowledged_at")),
        "congress": hasattr(application, "congress"),
    }


# --- allowed -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("action", "state"), ALLOWED)
def test_an_allowed_transition_moves_once_with_one_event_and_one_audit_entry(walk, action, state):
    walk.to(state)
    before = walk.application
    events = before.events.count()
    ct = ContentType.objects.get_for_model(FoundingApplication)
    state_entries = AuditEntry.objects.filter(
        content_type=ct, object_id=str(walk.pk), changes__has_key="state"
    )
    entries = state_entries.count()

    walk.do(action)

    after = walk.application
    target = TRANSITIONS[(Action(action), State(state))]
    assert after.state == target
    new_events = list(after.events.order_by("id"))[events:]
    assert len(new_events) == 1
    event = new_events[0]
    assert (event.action, event.from_state, event.to_state) == (action, state, target)
    assert state_entries.count() == entries + 1
    entry = state_entries.order_by("-id").first()
    assert entry.changes["state"] == [state, target]


# --- refused -------------------------------------------------------------------------------------

EDITS = {
    "update_dossier": lambda w: services.update_dossier(w.pk, by=w.founder, data={"contact_name": "王五"}),
    "set_group_members": lambda w: services.set_group_members(
        w.pk, by=w.founder, members=[{"name": "王五", "is_leader": True}]
    ),
    "upload_consent": lambda w: services.upload_consent(
        w.pk, by=w.founder, upload=SimpleUploadedFile("同意.pdf", PDF)
    ),
    "save_charter": lambda w: services.save_charter(w.pk, by=w.founder, text="第一章 总则。" * 30),
    "add_founding_member": lambda w: services.add_founding_member(
        w.pk, by=w.founder, data={"name": "钱七", "phone": "13800000009"}
    ),
    "remove_founding_member": lambda w: services.remove_founding_member(
        w.pk, by=w.founder, membership_id=w.application.association.memberships.first().pk
    ),
    "set_candidacy": lambda w: services.set_candidacy(
        w.pk, by=w.founder, person_id=w.people[3].pk, office=Office.DEPUTY_SECRETARY_GENERAL
    ),
    "remove_candidacy": lambda w: services.remove_candidacy(
        w.pk, by=w.founder, candidacy_id=w.application.candidacies.first().pk
    ),
}


@pytest.mark.parametrize("state", [s.value for s in State])
def test_every_action_not_in_the_table_is_refused_naming_state_and_action(walk, state):
    walk.to(state)
    refused = [a for (a, s) in REFUSED if s == state]
    assert refused  # even a closed application refuses something: here, everything
    for action in refused:
        walk.prepare(action)
        before = snapshot(walk)
        with pytest.raises(DomainError) as err:
            walk.do(action)
        message = err.value.message
        assert f"“{State(state).label}”" in message, (action, message)
        assert f"不能执行“{Action(action).label}”" in message, (action, message)
        assert err.value.code == "state"
        assert snapshot(walk) == before, action


@pytest.mark.parametrize("state", sorted(set(State.values) - set(EDITABLE)))
def test_the_dossier_cannot_be_edited_once_submitted(walk, state):
    walk.to(state)
    walk.fresh()
    for name, edit in EDITS.items():
        before = snapshot(walk)
        charters = walk.application.charters.count()
        members = walk.application.association.memberships.count()
        candidacies = walk.application.candidacies.count()
        with pytest.raises(DomainError) as err:
            edit(walk)
        assert err.value.message == f"申请当前状态为“{State(state).label}”，材料不能再修改。", name
        assert snapshot(walk) == before, name
        application = walk.application
        assert application.charters.count() == charters
        assert application.association.memberships.count() == members
        assert application.candidacies.count() == candidacies
        assert application.contact_name == "刘筹备"


@pytest.mark.parametrize("state", sorted(EDITABLE))
def test_the_dossier_can_be_edited_while_preparing_or_returned(walk, state):
    walk.to(state)
    walk.fresh()
    for edit in EDITS.values():
        edit(walk)
    application = walk.application
    assert application.contact_name == "王五" and application.group_leader == "王五"
    assert application.charters.first().version == 2


# --- closing and starting again ---------------------------------------------------------------


@pytest.mark.parametrize("ending", [State.REJECTED, State.WITHDRAWN])
def test_after_reject_or_withdraw_the_enterprise_can_start_again(world, walk, founder, ending):
    walk.to(ending)
    old = walk.application
    assert old.association.status == Status.ABANDONED
    assert old.association.get_status_display() == "未成立"
    if ending == State.REJECTED:
        assert old.decided_at is not None
        assert old.events.last().comment.startswith("该企业科技工作者人数不足")

    again = services.open_application(
        by=world.county_staff, enterprise_id=old.enterprise_id, contact_username=founder.username
    )
    assert again.pk != old.pk and again.state == State.DRAFT
    assert again.association_id != old.association_id
    assert again.association.status == Status.PREPARING
    # The first attempt is kept as it was, with its members.
    old.refresh_from_db()
    assert old.state == ending
    assert old.association.memberships.filter(status=MembershipStatus.FOUNDING).count() == 4
    # And a third is refused while the second is live.
    with pytest.raises(DomainError) as err:
        services.open_application(
            by=world.county_staff, enterprise_id=old.enterprise_id, contact_username=founder.username
        )
    assert "不能重复筹建" in err.value.message


def test_submitting_an_incomplete_dossier_after_a_return_still_names_what_is_missing(walk):
    walk.to(State.RETURNED)
    walk.fresh()
    services.remove_candidacy(
        walk.pk, by=walk.founder, candidacy_id=walk.application.candidacies.get(office=Office.CHAIR).pk
    )
    with pytest.raises(DomainError) as err:
        services.submit(walk.pk, by=walk.founder)
    assert err.value.code == "incomplete" and "主席候选人须有且只有一名" in err.value.message
    assert walk.application.state == State.RETURNED
