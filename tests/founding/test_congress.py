"""The founding congress (成立大会) and the committee's first meeting: what is refused, and what the
filed result leaves behind (officers with their terms, members approved)."""

import datetime

import pytest

from kexie.associations.enums import Status
from kexie.core.errors import DomainError
from kexie.founding import services
from kexie.founding.enums import CongressStage, Recipient, State
from kexie.founding.models import Congress, ElectionResult, Filing
from kexie.members.enums import MembershipStatus, Office
from kexie.members.models import OfficeTerm

from .conftest import complete_dossier

APPROVED_ON = datetime.date(2026, 4, 1)


@pytest.fixture
def approved(world, application, founder):
    people = complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    services.approve(application.pk, by=world.county_staff, on=APPROVED_ON)
    application.refresh_from_db()
    return application, people


def ballot(people, **overrides):
    """A valid record: 4 of 4 present, all four elected to the committee, then 主席, 副主席, 秘书长."""
    data = {
        "held_on": "2026-04-18",
        "committee_meeting_on": "2026-04-18",
        "place": "公司一号会议室",
        "members_total": 4,
        "members_present": 4,
        "approval_read": True,
        "charter_adopted": True,
    }
    data.update(overrides)
    committee = [{"person": p.pk, "votes_for": 4} for p in people]
    officers = [
        {"person": people[0].pk, "office": Office.CHAIR, "votes_for": 4},
        {"person": people[1].pk, "office": Office.VICE_CHAIR, "votes_for": 3, "abstentions": 1},
        {"person": people[2].pk, "office": Office.SECRETARY_GENERAL, "votes_for": 3, "votes_against": 1},
    ]
    return data, committee, officers


def record(application, founder, data, committee, officers):
    return services.record_congress(
        application.pk, by=founder, data=data, committee=committee, officers=officers
    )


def refused(application, founder, data, committee, officers) -> DomainError:
    """Record, expect a refusal, and check that nothing of it was written."""
    events = application.events.count()
    with pytest.raises(DomainError) as err:
        record(application, founder, data, committee, officers)
    application.refresh_from_db()
    assert application.state == State.APPROVED
    assert application.events.count() == events
    assert not Congress.objects.exists() and not ElectionResult.objects.exists()
    assert err.value.message.endswith("。")
    return err.value


def test_a_valid_record_moves_to_congress_held_with_both_stages(approved, founder):
    application, people = approved
    data, committee, officers = ballot(people, committee_meeting_on="2026-04-19")
    congress = record(application, founder, data, committee, officers)
    application.refresh_from_db()
    assert application.state == State.CONGRESS_HELD
    assert congress.held_on == datetime.date(2026, 4, 18)
    assert congress.committee_meeting_on == datetime.date(2026, 4, 19)
    assert congress.approval_read and congress.charter_adopted
    stages = {
        (r.stage, r.person.name, r.office, r.elected) for r in congress.results.select_related("person")
    }
    assert (CongressStage.COMMITTEE, "赵敏", Office.COMMITTEE, True) in stages
    assert (CongressStage.OFFICERS, "张伟", Office.CHAIR, True) in stages
    assert (CongressStage.OFFICERS, "王强", Office.SECRETARY_GENERAL, True) in stages
    assert congress.results.count() == 7


# --- quorum and votes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "present", "ok"), [(6, 4, True), (6, 3, False), (3, 2, True), (10, 6, False)]
)
def test_quorum_is_two_thirds_of_the_members(approved, founder, total, present, ok):
    application, people = approved
    data, committee, officers = ballot(people, members_total=total, members_present=present)
    committee = [{"person": p.pk, "votes_for": present} for p in people]
    officers = [dict(o, votes_for=4, votes_against=0, abstentions=0) for o in officers]
    if ok:
        record(application, founder, data, committee, officers)
        assert Congress.objects.get().members_present == present
    else:
        error = refused(application, founder, data, committee, officers)
        assert error.field == "members_present" and "三分之二" in error.message


def test_more_present_than_members_is_refused(approved, founder):
    application, people = approved
    error = refused(application, founder, *ballot(people, members_total=4, members_present=5))
    assert error.field == "members_present"


@pytest.mark.parametrize(
    ("field", "value"),
    [("members_total", "四"), ("members_present", -1), ("members_total", None), ("place", "  ")],
)
def test_bad_numbers_and_a_missing_place_are_refused_by_field(approved, founder, field, value):
    application, people = approved
    error = refused(application, founder, *ballot(people, **{field: value}))
    assert error.field == field


def test_the_approval_must_be_read_and_the_charter_adopted(approved, founder):
    application, people = approved
    for flag in ("approval_read", "charter_adopted"):
        error = refused(application, founder, *ballot(people, **{flag: False}))
        assert error.field == "charter_adopted" and "宣读批复并通过章程" in error.message


def test_votes_adding_up_to_more_than_those_present_are_refused(approved, founder):
    application, people = approved
    data, committee, officers = ballot(people)
    committee[1] = {"person": people[1].pk, "votes_for": 3, "votes_against": 1, "abstentions": 1}
    error = refused(application, founder, data, committee, officers)
    assert error.field == "committee_results"
    assert "“李娜”的票数合计5，多于实到人数4" in error.message


def test_officer_votes_are_counted_against_the_elected_committee(approved, founder):
    application, people = approved
    data, committee, officers = ballot(people)
    committee[3] = {
        "person": people[3].pk,
        "votes_for": 1,
        "votes_against": 3,
    }  # not elected: 3 on the committee
    officers[0] = {"person": people[0].pk, "office": Office.CHAIR, "votes_for": 4}
    error = refused(application, founder, data, committee, officers)
    assert error.field == "officers_results" and "多于实到人数3" in error.message


def test_a_committee_smaller_than_three_is_refused(approved, founder):
    application, people = approved
    data, committee, officers = ballot(people)
    committee = [dict(c, votes_for=2 if i < 2 else 1) for i, c in enumerate(committee)]
    error = refused(application, founder, data, committee, officers)
    assert error.field == "committee_results" and "3" in error.message


# --- the officers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("office", [Office.CHAIR, Office.SECRETARY_GENERAL])
def test_exactly_one_chair_and_one_secretary_general(approved, founder, office):
    application, people = approved
    label = Office(office).label
    data, committee, officers = ballot(people)
    without = [o for o in officers if o["office"] != office]
    error = refused(application, founder, data, committee, without)
    assert error.field == "officers_results" and f"须选出一名{label}" in error.message

    not_elected = [
        dict(o, votes_for=2, votes_against=0, abstentions=2) if o["office"] == office else o for o in officers
    ]
    error = refused(application, founder, data, committee, not_elected)
    assert f"须选出一名{label}" in error.message

    two = officers + [{"person": people[3].pk, "office": office, "votes_for": 3}]
    error = refused(application, founder, data, committee, two)
    assert f"须选出一名{label}" in error.message


def test_officers_must_be_elected_committee_members(approved, founder):
    application, people = approved
    data, committee, officers = ballot(people)
    committee[0] = {"person": people[0].pk, "votes_for": 2, "votes_against": 2}  # 张伟 not elected
    error = refused(application, founder, data, committee, officers)
    assert error.field == "officers_results" and "可当选" in error.message


@pytest.mark.parametrize("person", [0, 10**9, "张伟", None])
def test_a_person_who_is_not_a_founding_member_is_refused(approved, founder, person):
    application, people = approved
    data, committee, officers = ballot(people)
    committee.append({"person": person, "votes_for": 4})
    error = refused(application, founder, data, committee, officers)
    assert error.field == "committee_results"


def test_a_person_listed_twice_in_one_stage_is_refused(approved, founder):
    application, people = approved
    data, committee, officers = ballot(people)
    committee.append({"person": people[0].pk, "votes_for": 4})
    error = refused(application, founder, data, committee, officers)
    assert error.field == "committee_results" and "张伟" in error.message


def test_an_unknown_office_is_refused(approved, founder):
    application, people = approved
    data, committee, officers = ballot(people)
    officers.append({"person": people[3].pk, "office": "treasurer", "votes_for": 4})
    error = refused(application, founder, data, committee, officers)
    assert error.field == "officers_results" and "treasurer" in error.message


# --- dates -------------------------------------------------------------------------------------


def test_the_congress_cannot_be_before_the_approval(approved, founder):
    application, people = approved
    error = refused(
        application, founder, *ballot(people, held_on="2026-03-31", committee_meeting_on="2026-04-02")
    )
    assert error.field == "held_on" and "批复日期" in error.message
    # The day of the approval itself is fine.
    record(application, founder, *ballot(people, held_on="2026-04-01", committee_meeting_on="2026-04-01"))


def test_the_committee_cannot_meet_before_the_congress(approved, founder):
    application, people = approved
    error = refused(
        application, founder, *ballot(people, held_on="2026-04-18", committee_meeting_on="2026-04-17")
    )
    assert error.field == "committee_meeting_on"


@pytest.mark.parametrize("value", ["2026/04/18", "下周一", "", None])
def test_a_date_that_is_not_a_date_is_refused(approved, founder, value):
    application, people = approved
    error = refused(application, founder, *ballot(people, held_on=value))
    assert error.field == "held_on" and "2026-05-20" in error.message


# --- after filing --------------------------------------------------------------------------------


def file_it(world, application, founder, data, committee, officers):
    record(application, founder, data, committee, officers)
    services.submit_filing(application.pk, by=founder)
    for filing in Filing.objects.filter(application=application):
        by = world.county_staff if filing.recipient == Recipient.KEXIE else world.acfic
        services.acknowledge_filing(filing.pk, by=by)
    application.refresh_from_db()
    assert application.state == State.FILED


def test_filing_puts_the_officers_in_office_for_the_term_and_approves_the_members(world, approved, founder):
    application, people = approved
    association = application.association
    association.term_years = 3
    association.save()
    data, committee, officers = ballot(people, held_on="2026-04-18", committee_meeting_on="2026-04-20")
    file_it(world, application, founder, data, committee, officers)

    association.refresh_from_db()
    assert association.status == Status.ACTIVE and association.founded_on == datetime.date(2026, 4, 18)
    memberships = association.memberships.all()
    assert {m.status for m in memberships} == {MembershipStatus.APPROVED}
    assert {m.joined_on for m in memberships} == {datetime.date(2026, 4, 18)}

    terms = {
        (t.membership.person.name, t.office): t
        for t in OfficeTerm.objects.filter(membership__association=association).select_related(
            "membership__person"
        )
    }
    assert set(terms) == {
        ("张伟", Office.COMMITTEE),
        ("李娜", Office.COMMITTEE),
        ("王强", Office.COMMITTEE),
        ("赵敏", Office.COMMITTEE),
        ("张伟", Office.CHAIR),
        ("李娜", Office.VICE_CHAIR),
        ("王强", Office.SECRETARY_GENERAL),
    }
    # Committee members from the congress, officers from the committee's first meeting; the whole
    # first committee's term ends together, term_years after the congress (换届 is for all of it).
    assert terms[("赵敏", Office.COMMITTEE)].start == datetime.date(2026, 4, 18)
    assert terms[("张伟", Office.CHAIR)].start == datetime.date(2026, 4, 20)
    assert {t.end for t in terms.values()} == {datetime.date(2029, 4, 18)}
    assert terms[("王强", Office.SECRETARY_GENERAL)].votes_for == 3


def test_a_term_from_29_february_ends_on_28_february(world, application, founder):
    people = complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    services.approve(application.pk, by=world.county_staff, on=datetime.date(2028, 2, 29))
    application.refresh_from_db()
    file_it(
        world, application, founder, *ballot(people, held_on="2028-02-29", committee_meeting_on="2028-02-29")
    )
    ends = set(OfficeTerm.objects.values_list("end", flat=True))
    assert ends == {datetime.date(2033, 2, 28)}


def test_members_not_elected_still_become_members_without_an_office(world, approved, founder):
    application, people = approved
    data, committee, officers = ballot(people)
    committee[3] = {"person": people[3].pk, "votes_for": 1, "votes_against": 3}
    officers = [dict(o, votes_for=3, votes_against=0, abstentions=0) for o in officers]
    file_it(world, application, founder, data, committee, officers)
    zhao = application.association.memberships.get(person=people[3])
    assert zhao.status == MembershipStatus.APPROVED and not zhao.offices.exists()
