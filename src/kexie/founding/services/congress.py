"""The founding congress (成立大会) elects the committee; the committee's first meeting elects
the officers. A person is elected with more than half of those present."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from kexie.core.dates import parse_date
from kexie.core.errors import DomainError
from kexie.members.enums import MembershipStatus, Office
from kexie.members.rules import check_quorum, head_count

from .. import checks
from ..enums import Action, CongressStage
from ..models import Congress, ElectionResult
from .base import check_transition, locked, transition


def _results(application, rows, stage: str, present: int, *, eligible: set[int]) -> list[ElectionResult]:
    """Clean the vote counts of one stage; a person is elected with more than half of those present."""
    people = {
        m.person_id: m.person
        for m in application.association.memberships.filter(status=MembershipStatus.FOUNDING).select_related(
            "person"
        )
    }
    results = []
    seen: set[tuple[int, str]] = set()
    for raw in rows:
        try:
            person = people.get(int(str(raw.get("person") or 0).strip()))
        except ValueError:
            person = None
        if person is None or (eligible and person.pk not in eligible):
            raise DomainError(gettext("当选人须是本次可当选的会员。"), field=f"{stage}_results")
        # The congress elects committee members; offices are given at the committee's first meeting.
        office = Office.COMMITTEE if stage == CongressStage.COMMITTEE else raw.get("office")
        if office not in Office.values:
            raise DomainError(
                gettext("职务“%(office)s”不是有效选项。") % {"office": office}, field=f"{stage}_results"
            )
        if (person.pk, office) in seen:
            raise DomainError(
                gettext("“%(name)s”的“%(office)s”票数填写了两次，请只填一行。")
                % {"name": person.name, "office": Office(office).label},
                field=f"{stage}_results",
            )
        seen.add((person.pk, office))
        votes = {
            key: head_count(raw.get(key, 0), f"{stage}_results", label)
            for key, label in (
                ("votes_for", gettext("赞成票")),
                ("votes_against", gettext("反对票")),
                ("abstentions", gettext("弃权票")),
            )
        }
        if sum(votes.values()) > present:
            raise DomainError(
                gettext("“%(name)s”的票数合计%(total)d，多于实到人数%(present)d。")
                % {"name": person.name, "total": sum(votes.values()), "present": present},
                field=f"{stage}_results",
            )
        elected = votes["votes_for"] * 2 > present
        results.append(ElectionResult(stage=stage, person=person, office=office, elected=elected, **votes))
    return results


@transaction.atomic
def record_congress(
    pk, *, by, data: Mapping[str, Any], committee: list[Mapping], officers: list[Mapping]
) -> Congress:
    """The founding congress elects the committee; the committee's first meeting elects the officers."""
    application = locked(by, pk, "founding.edit")
    check_transition(application, Action.RECORD_CONGRESS)  # no congress before approval
    held_on = parse_date(data.get("held_on"), "held_on", gettext("大会日期"))
    meeting_on = parse_date(
        data.get("committee_meeting_on") or held_on, "committee_meeting_on", gettext("委员会第一次会议日期")
    )
    approved_on = application.approval_date
    assert approved_on is not None  # the transition table allows a congress only once approved
    if held_on < approved_on:
        raise DomainError(gettext("成立大会不能早于批复日期。"), field="held_on")
    if meeting_on < held_on:
        raise DomainError(gettext("委员会第一次会议不能早于成立大会。"), field="committee_meeting_on")
    place = " ".join(str(data.get("place") or "").split())
    if not place:
        raise DomainError(gettext("请填写大会地点。"), field="place")
    total = head_count(data.get("members_total"), "members_total", gettext("应到会员"))
    present = head_count(data.get("members_present"), "members_present", gettext("实到会员"))
    check_quorum(total, present)
    if not data.get("approval_read") or not data.get("charter_adopted"):
        raise DomainError(gettext("成立大会须宣读批复并通过章程。"), field="charter_adopted")
    committee_results = _results(application, committee, CongressStage.COMMITTEE, present, eligible=set())
    elected_committee = {r.person_id for r in committee_results if r.elected}
    if len(elected_committee) < checks.MIN_COMMITTEE:
        raise DomainError(
            gettext("当选委员不少于%(min)d人。") % {"min": checks.MIN_COMMITTEE}, field="committee_results"
        )
    officer_results = _results(
        application, officers, CongressStage.OFFICERS, len(elected_committee), eligible=elected_committee
    )
    for office in (Office.CHAIR, Office.SECRETARY_GENERAL):
        winners = [r for r in officer_results if r.office == office and r.elected]
        if len(winners) != 1:
            raise DomainError(
                gettext("委员会须选出一名%(office)s。") % {"office": Office(office).label},
                field="officers_results",
            )
    congress = Congress.objects.create(
        application=application,
        held_on=held_on,
        place=place[:200],
        members_total=total,
        members_present=present,
        approval_read=True,
        charter_adopted=True,
        committee_meeting_on=meeting_on,
        recorded_by=by,
    )
    for result in committee_results + officer_results:
        result.congress = congress
    ElectionResult.objects.bulk_create(committee_results + officer_results)
    transition(application, Action.RECORD_CONGRESS, by=by)
    return congress
