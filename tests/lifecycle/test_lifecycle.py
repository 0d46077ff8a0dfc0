import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kexie.associations.enums import Status
from kexie.core import audit
from kexie.core.errors import DomainError
from kexie.core.models import Notification
from kexie.lifecycle import selectors, services
from kexie.lifecycle.enums import (
    NOT_SENT,
    REPORT_TRANSITIONS,
    DissolutionState,
    ReportAction,
    ReportKind,
    ReportStatus,
)
from kexie.lifecycle.models import WorkReport
from kexie.lifecycle.reminders import send_reminders
from kexie.members.enums import MembershipStatus, Office
from kexie.members.models import Membership, OfficeTerm, Person

REPORT = "本年度计划开展技术交流活动六次、科普开放日两次、职工技术创新成果评选一次。"


@pytest.fixture
def founded(world):
    """Association A, founded 2021-06-01 with three members, 张伟 as chair and 李娜 as secretary-general."""
    association = world.assoc_a
    association.founded_on = datetime.date(2021, 6, 1)
    association.save()
    people = {}
    for name in ("张伟", "李娜", "王强"):
        person = Person.objects.create(name=name, enterprise=world.ent_a)
        people[name] = Membership.objects.create(
            person=person,
            association=association,
            status=MembershipStatus.APPROVED,
            joined_on=association.founded_on,
        )
    end = datetime.date(2026, 6, 1)
    OfficeTerm.objects.create(
        membership=people["张伟"], office=Office.CHAIR, start=association.founded_on, end=end
    )
    OfficeTerm.objects.create(
        membership=people["李娜"], office=Office.SECRETARY_GENERAL, start=association.founded_on, end=end
    )
    return association, people


def test_work_report_submitted_and_reviewed(world, founded):
    association, _ = founded
    report = services.submit_work_report(
        association.pk, by=world.secretary, year=2026, kind="plan", text=REPORT
    )
    assert report.due_on == datetime.date(2026, 1, 31) and report.status == ReportStatus.SUBMITTED
    assert Notification.objects.filter(user=world.county_staff, text__contains="年度工作计划").exists()
    with pytest.raises(DomainError, match="已报送"):
        services.submit_work_report(association.pk, by=world.secretary, year=2026, kind="plan", text=REPORT)
    services.review_work_report(report.pk, by=world.county_staff, accept=False, comment="请补充经费安排。")
    resubmitted = services.submit_work_report(
        association.pk, by=world.secretary, year=2026, kind="plan", text=REPORT + "经费安排已补充。"
    )
    assert resubmitted.pk == report.pk and resubmitted.status == ReportStatus.SUBMITTED
    services.review_work_report(report.pk, by=world.county_staff, accept=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_work_report_other_county_staff_cannot_review(world, founded):
    association, _ = founded
    report = services.submit_work_report(
        association.pk, by=world.secretary, year=2026, kind="plan", text=REPORT
    )
    with pytest.raises(Http404):
        services.review_work_report(report.pk, by=world.other_staff, accept=True)
    with pytest.raises(PermissionDenied):
        services.review_work_report(report.pk, by=world.county_viewer, accept=True)


def test_missing_reports_listed_after_due_date(world, founded):
    association, _ = founded
    assert (
        selectors.missing_reports(
            world.county_staff, year=2026, kind="plan", today=datetime.date(2026, 1, 15)
        )
        == []
    )
    overdue = selectors.missing_reports(
        world.county_staff, year=2026, kind="plan", today=datetime.date(2026, 2, 2)
    )
    assert association in overdue and world.assoc_b not in overdue  # 金水区 is out of reach
    services.submit_work_report(association.pk, by=world.secretary, year=2026, kind="plan", text=REPORT)
    assert association not in selectors.missing_reports(
        world.county_staff, year=2026, kind="plan", today=datetime.date(2026, 2, 2)
    )


def test_renewals_due_and_reminders(world, founded):
    association, _ = founded
    rows = selectors.renewals_due(world.county_staff, today=datetime.date(2026, 4, 1))
    assert [(a, end) for a, end, _days in rows] == [(association, datetime.date(2026, 6, 1))]
    sent = send_reminders(today=datetime.date(2026, 4, 1))
    texts = list(Notification.objects.filter(user=world.secretary).values_list("text", flat=True))
    assert any("请筹备换届" in t for t in texts) and any("年度工作计划已逾期" in t for t in texts)
    assert sent == len(texts)
    assert send_reminders(today=datetime.date(2026, 4, 2)) == 0  # not repeated within a week


def test_officer_change_closes_old_term_and_files(world, founded):
    association, people = founded
    change = services.change_officer(
        association.pk,
        by=world.secretary,
        office=Office.CHAIR,
        person_id=people["王强"].person_id,
        decided_on="2024-03-01",
        reason="原主席工作调动",
    )
    old = OfficeTerm.objects.get(membership=people["张伟"], office=Office.CHAIR)
    assert old.end == datetime.date(2024, 3, 1)
    assert change.successor.membership == people["王强"] and change.successor.end == datetime.date(2026, 6, 1)
    holders = OfficeTerm.objects.filter(
        membership__association=association,
        office=Office.CHAIR,
        start__lte="2023-01-01",
        end__gt="2023-01-01",
    )
    assert [t.membership.person.name for t in holders] == ["张伟"]  # who was chair in 2023
    services.acknowledge_officer_change(change.pk, by=world.county_staff)
    with pytest.raises(DomainError, match="已确认"):
        services.acknowledge_officer_change(change.pk, by=world.county_staff)


def test_officer_change_needs_a_member(world, founded):
    association, _ = founded
    outsider = Person.objects.create(name="外人")
    with pytest.raises(DomainError) as err:
        services.change_officer(
            association.pk,
            by=world.secretary,
            office=Office.CHAIR,
            person_id=outsider.pk,
            decided_on="2024-03-01",
            reason="x",
        )
    assert err.value.field == "person"


def test_renewal_starts_new_term(world, founded):
    association, people = founded
    renewal = services.record_renewal(
        association.pk,
        by=world.secretary,
        data={"held_on": "2026-05-20", "members_total": 3, "members_present": 3},
        officers=[
            {"person": people["李娜"].person_id, "office": Office.CHAIR},
            {"person": people["王强"].person_id, "office": Office.SECRETARY_GENERAL},
        ],
    )
    assert renewal.term_end == datetime.date(2031, 5, 20)
    assert services.term_end(association) == datetime.date(2031, 5, 20)
    current = OfficeTerm.objects.filter(membership__association=association, end=datetime.date(2031, 5, 20))
    assert {(t.membership.person.name, t.office) for t in current} == {
        ("李娜", "chair"),
        ("王强", "secretary_general"),
    }
    assert not OfficeTerm.objects.filter(
        membership__association=association, end__gt="2026-05-20", start__lt="2026-05-20"
    ).exists()


def test_renewal_without_quorum_writes_nothing(world, founded):
    association, people = founded
    with pytest.raises(DomainError, match="三分之二"):
        services.record_renewal(
            association.pk,
            by=world.secretary,
            data={"held_on": "2026-05-20", "members_total": 3, "members_present": 1},
            officers=[],
        )
    assert not association.renewals.exists()


def test_dissolution_proposed_decided_approved_then_read_only(world, founded):
    association, _ = founded
    services.propose_dissolution(association.pk, by=world.secretary, reason="企业重组，科协并入集团科协。")
    with pytest.raises(DomainError, match="进行中"):
        services.propose_dissolution(association.pk, by=world.secretary, reason="重复")
    with pytest.raises(DomainError, match="三分之二"):
        services.decide_dissolution(
            association.pk,
            by=world.secretary,
            congress_on="2026-03-01",
            members_total=3,
            members_present=3,
            votes_for=1,
        )
    services.decide_dissolution(
        association.pk,
        by=world.secretary,
        congress_on="2026-03-01",
        members_total=3,
        members_present=3,
        votes_for=3,
    )
    with pytest.raises(PermissionDenied):
        services.approve_dissolution(association.pk, by=world.secretary)
    dissolution = services.approve_dissolution(association.pk, by=world.county_staff)
    association.refresh_from_db()
    assert dissolution.state == DissolutionState.APPROVED and association.status == Status.DISSOLVED
    with pytest.raises(DomainError, match="不能办理"):
        services.submit_work_report(
            association.pk, by=world.secretary, year=2026, kind=ReportKind.PLAN, text=REPORT
        )
    assert association.memberships.count() == 3  # data kept


# --- the two small state machines: yearly reports and dissolutions -------------------------------------

REPORT_STATES = [NOT_SENT, *ReportStatus.values]


@pytest.mark.parametrize("state", REPORT_STATES)
@pytest.mark.parametrize("action", ReportAction.values)
def test_every_report_action_in_every_state(world, founded, action, state):
    """``set_report_status`` is the only writer of a report's status: each pair is allowed or refused
    as the table says, and a refusal leaves the report as it was."""
    association, _ = founded
    report = WorkReport(association=association, year=2026, kind="plan", due_on=datetime.date(2026, 1, 31))
    report.text = REPORT
    if state != NOT_SENT:
        report.status, report.submitted_by = state, world.secretary
        report.save()
    target = REPORT_TRANSITIONS.get((action, state))
    if target is None:
        with pytest.raises(DomainError) as refused:
            services.set_report_status(report, action, by=world.county_staff, comment="意见")
        assert refused.value.code == "state"
        assert WorkReport.objects.filter(pk=report.pk, status=state).count() == (
            0 if state == NOT_SENT else 1
        )
        return
    services.set_report_status(report, action, by=world.county_staff, comment="意见")
    report.refresh_from_db()
    assert report.status == target
    entry = audit.history(report).first()
    assert entry.changes == {"status": [state or None, target]}


def test_a_reviewed_report_tells_the_secretary(world, founded):
    association, _ = founded
    report = services.submit_work_report(
        association.pk, by=world.secretary, year=2026, kind="plan", text=REPORT
    )
    services.review_work_report(report.pk, by=world.county_staff, accept=False, comment="请补充经费安排。")
    assert Notification.objects.filter(user=world.secretary, text__contains="被退回修改").exists()


@pytest.mark.parametrize("decided", [False, True])
def test_a_dissolution_is_withdrawn_and_the_association_carries_on(world, founded, decided):
    association, _ = founded
    services.propose_dissolution(association.pk, by=world.secretary, reason="企业重组")
    if decided:
        services.decide_dissolution(
            association.pk,
            by=world.secretary,
            congress_on="2026-02-01",
            members_total=3,
            members_present=3,
            votes_for=3,
        )
    with pytest.raises(DomainError) as refused:
        services.withdraw_dissolution(association.pk, by=world.secretary, reason="")
    assert refused.value.field == "reason"
    with pytest.raises(PermissionDenied):
        services.withdraw_dissolution(association.pk, by=world.county_staff, reason="重组取消")
    dissolution = services.withdraw_dissolution(association.pk, by=world.secretary, reason="重组取消")
    assert dissolution.state == DissolutionState.WITHDRAWN
    association.refresh_from_db()
    assert association.status == Status.ACTIVE
    told = Notification.objects.filter(user=world.county_staff, text__contains="撤回了撤销申请").exists()
    assert told == decided  # the supervising 科协 was only asked once the congress had decided
    assert audit.history(association).filter(note__contains="重组取消").exists()
    # Withdrawn, nothing is open any more: a new proposal may follow.
    with pytest.raises(DomainError, match="没有进行中的撤销程序"):
        services.withdraw_dissolution(association.pk, by=world.secretary, reason="再次撤回")
    services.propose_dissolution(association.pk, by=world.secretary, reason="再次提议")


def test_an_approved_dissolution_cannot_be_withdrawn(world, founded):
    association, _ = founded
    services.propose_dissolution(association.pk, by=world.secretary, reason="企业注销")
    services.decide_dissolution(
        association.pk,
        by=world.secretary,
        congress_on="2026-02-01",
        members_total=3,
        members_present=3,
        votes_for=3,
    )
    services.approve_dissolution(association.pk, by=world.county_staff)
    with pytest.raises(DomainError):
        services.withdraw_dissolution(association.pk, by=world.secretary, reason="反悔")
    association.refresh_from_db()
    assert association.status == Status.DISSOLVED
