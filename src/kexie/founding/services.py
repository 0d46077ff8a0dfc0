"""Writes of the founding procedure. Every state change goes through ``transition``: it checks the
transition table, saves, keeps the event (the rounds of review), writes the audit log and tells
whoever must act next (in-app now, e-mail after commit)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts import scoping
from kexie.accounts.enums import Role
from kexie.accounts.models import User
from kexie.accounts.permissions import require
from kexie.accounts.selectors import holders
from kexie.accounts.services import assign_role
from kexie.associations.enums import JointKind, Kind, Status
from kexie.associations.models import Association
from kexie.associations.services import (
    create_association,
    rename_association,
    set_association_status,
    set_supervisor,
)
from kexie.core import audit
from kexie.core.dates import parse_date, years_after
from kexie.core.errors import DomainError, Forbidden, get_or_not_found
from kexie.core.i18n import sentences, stored_language
from kexie.core.notify import notify
from kexie.enterprises.enums import STATE_OWNED
from kexie.enterprises.permissions import enterprises_for_user, get_enterprise_for_user, owns_enterprise
from kexie.members import services as member_services
from kexie.members.cleaning import clean_name, clean_phone, clean_short
from kexie.members.enums import MembershipStatus, Office
from kexie.members.models import Membership
from kexie.members.rules import check_quorum, head_count
from kexie.regions.models import Region

from . import checks, numbering, routing
from .charter import draft_charter
from .enums import EDITABLE, TRANSITIONS, Action, CongressStage, Recipient
from .models import (
    ApplicationEvent,
    Candidacy,
    CharterVersion,
    Congress,
    ElectionResult,
    Filing,
    FoundingApplication,
    PreparatoryGroupMember,
    RoutingRule,
)
from .permissions import (
    get_filing_for_user,
    get_founding_application_for_user,
    may_acknowledge,
    may_configure_routing,
    may_review,
    routing_rules_for_user,
)

# --- the state machine ---------------------------------------------------------------------


def check_transition(application: FoundingApplication, action: str) -> str:
    """The state ``action`` leads to from the application's state, or a refusal saying why."""
    target = TRANSITIONS.get((action, application.state))
    if target is None:
        raise DomainError(
            gettext("申请当前状态为“%(state)s”，不能执行“%(action)s”。")
            % {"state": application.get_state_display(), "action": Action(action).label},
            code="state",
        )
    return target


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


def _locked(by, pk, perm: str) -> FoundingApplication:
    """The application, if the user may see it (else 404) and act (else 403), locked for this transaction."""
    require(by, perm)
    visible = get_founding_application_for_user(by, pk)
    # Lock the application row only: PostgreSQL cannot lock the nullable side of the approver join.
    return (
        FoundingApplication.objects.select_for_update(of=("self",))
        .select_related("association__region", "enterprise__region", "approver__region")
        .get(pk=visible.pk)
    )


def _editable(application: FoundingApplication) -> None:
    if application.state not in EDITABLE:
        raise DomainError(
            gettext("申请当前状态为“%(state)s”，材料不能再修改。")
            % {"state": application.get_state_display()},
            code="state",
        )


def _url(application: FoundingApplication) -> str:
    return reverse("founding:detail", args=[application.pk])


def _secretaries(application: FoundingApplication) -> list[User]:
    return holders(Role.SECRETARY, association=application.association_id)


def _reviewers(approver: Association) -> list[User]:
    return holders(Role.STAFF_REVIEWER, region=approver.region_id)


# --- opening and editing the dossier -----------------------------------------------------------


@transaction.atomic
def open_application(
    *,
    by,
    enterprise_id: int,
    contact_username: str,
    name: str = "",
    joint_kind: str = "",
    covered_ids: Iterable[int] = (),
) -> FoundingApplication:
    """A 科协's staff open the founding file of an enterprise in their area and name the preparatory
    group's contact, who becomes the secretary of the 科协 being founded; or an enterprise user
    starts it for their own enterprise, as its contact.

    With ``joint_kind`` (园区/区域联建/行业统建) it founds a joint 科协 led by the enterprise and
    covering the enterprises ``covered_ids`` (firms with too few S&T workers of their own)."""
    require(by, "founding.open")
    enterprise = get_enterprise_for_user(by, enterprise_id)
    if not scoping.region_in_reach(by, enterprise.region):
        # An enterprise user starts the founding of their own enterprise's 科协 and is its contact.
        if not owns_enterprise(by, enterprise):
            raise Forbidden(gettext("该企业不在您的管辖范围内。"))
        contact_username = (contact_username or "").strip() or by.get_username()
        if contact_username != by.get_username():
            raise DomainError(gettext("企业用户只能由本人担任筹备组联系人。"), field="contact_username")
    covered = _covered_enterprises(by, enterprise, joint_kind, covered_ids)
    live = Association.objects.filter(
        kind=Kind.ENTERPRISE, enterprise=enterprise, status__in=[Status.PREPARING, Status.ACTIVE]
    ).first()
    if live is not None and not joint_kind:
        raise DomainError(
            gettext("企业“%(enterprise)s”已有科协“%(name)s”（%(status)s），不能重复筹建。")
            % {"enterprise": enterprise.name, "name": live.name, "status": live.get_status_display()},
            field="enterprise",
        )
    contact = User.objects.filter(username=(contact_username or "").strip(), is_active=True).first()
    if contact is None:
        raise DomainError(
            gettext("联系人账号“%(username)s”不存在。") % {"username": contact_username},
            field="contact_username",
        )
    default_name = f"{enterprise.region.name}{JointKind(joint_kind).label}" if joint_kind else enterprise.name
    name = (name or "").strip() or f"{default_name}科学技术协会"
    association = create_association(
        by=by,
        kind=Kind.JOINT if joint_kind else Kind.ENTERPRISE,
        joint_kind=joint_kind,
        name=name[:200],
        region=enterprise.region,
        enterprise=enterprise,
        covered=covered,
        status=Status.PREPARING,
    )
    application = FoundingApplication.objects.create(
        association=association,
        enterprise=enterprise,
        created_by=by,
        contact_name=contact.display_name,
        contact_phone=contact.phone,
    )
    route = routing.route_for(enterprise)
    CharterVersion.objects.create(
        application=application,
        version=1,
        created_by=by,
        text=draft_charter(
            association=name,
            enterprise=enterprise.name,
            supervisor=route.approver.name,
            term=association.term_years,
        ),
    )
    assign_role(contact, Role.SECRETARY, by=by, association=association)
    audit.record(
        actor=by, action="create", instance=application, changes={"enterprise": [None, enterprise.name]}
    )
    with stored_language():
        notify(
            [contact],
            text=gettext("您已被指定为“%(name)s”筹备组联系人，请完善筹建材料。") % {"name": name},
            url=_url(application),
        )
    return application


def _covered_enterprises(by, lead, joint_kind: str, covered_ids: Iterable[int]) -> list:
    if not joint_kind:
        if covered_ids:
            raise DomainError(gettext("只有联合科协才能覆盖多家企业。"), field="covered")
        return []
    if joint_kind not in JointKind.values:
        raise DomainError(
            gettext("联建方式“%(kind)s”不是有效选项。") % {"kind": joint_kind}, field="joint_kind"
        )
    ids = {int(i) for i in covered_ids} | {lead.pk}
    covered = list(enterprises_for_user(by).filter(pk__in=ids))
    if len(covered) != len(ids):
        raise DomainError(gettext("覆盖企业中有不存在或不在您管辖范围内的企业。"), field="covered")
    if len(covered) < 2:
        raise DomainError(gettext("联合科协须覆盖至少两家企业。"), field="covered")
    return covered


DOSSIER_FIELDS = ("group_leader", "contact_name", "contact_phone", "party_organization", "preparatory_report")


@transaction.atomic
def update_dossier(pk, *, by, data: Mapping[str, Any]) -> FoundingApplication:
    application = _locked(by, pk, "founding.edit")
    _editable(application)
    before = audit.snapshot(application, DOSSIER_FIELDS)
    cleaners = {
        "group_leader": clean_short("group_leader", gettext("筹备组组长")),
        "contact_name": clean_short("contact_name", gettext("联系人")),
        "contact_phone": lambda v: clean_phone(v, field="contact_phone"),
        "party_organization": clean_short("party_organization", gettext("企业党组织"), 100),
        "preparatory_report": clean_short("preparatory_report", gettext("筹备工作报告"), 20000),
    }
    for name, clean in cleaners.items():
        if name in data:
            setattr(application, name, clean(data[name]))
    if "name" in data:
        rename_association(application.association, data["name"], by=by)
    changes = audit.diff(before, audit.snapshot(application, DOSSIER_FIELDS))
    application.save()
    if changes:
        audit.record(actor=by, action="update", instance=application, changes=changes)
    return application


@transaction.atomic
def set_group_members(pk, *, by, members: Iterable[Mapping[str, Any]]) -> list[PreparatoryGroupMember]:
    application = _locked(by, pk, "founding.edit")
    _editable(application)
    rows = []
    for index, raw in enumerate(members, start=1):
        try:
            rows.append(
                PreparatoryGroupMember(
                    application=application,
                    name=clean_name(raw.get("name")),
                    position=clean_short("position", gettext("职务"))(raw.get("position")),
                    phone=clean_phone(raw.get("phone")),
                    is_leader=bool(raw.get("is_leader")),
                )
            )
        except DomainError as exc:
            raise DomainError(
                gettext("筹备组第%(n)d人：%(reason)s") % {"n": index, "reason": exc.message},
                field="group_members",
            ) from exc
    if rows and sum(r.is_leader for r in rows) != 1:
        raise DomainError(gettext("筹备组须有且只有一名组长。"), field="group_members")
    application.group_members.all().delete()
    PreparatoryGroupMember.objects.bulk_create(rows)
    leader = next((r.name for r in rows if r.is_leader), "")
    if leader != application.group_leader:
        application.group_leader = leader
        application.save(update_fields=["group_leader", "updated_at"])
    audit.record(
        actor=by,
        action="update",
        instance=application,
        changes={"group_members": [None, [r.name for r in rows]]},
    )
    return rows


CONSENT_TYPES = {"pdf": b"%PDF", "png": b"\x89PNG", "jpg": b"\xff\xd8\xff", "jpeg": b"\xff\xd8\xff"}
CONSENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def upload_consent(pk, *, by, upload) -> FoundingApplication:
    application = _locked(by, pk, "founding.edit")
    _editable(application)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in CONSENT_TYPES:
        raise DomainError(gettext("同意文件只能是 PDF、PNG 或 JPG 格式。"), field="consent_document")
    if upload.size > CONSENT_MAX_BYTES:
        raise DomainError(gettext("同意文件不能超过 10 MB。"), field="consent_document")
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(CONSENT_TYPES[extension]):
        raise DomainError(
            gettext("文件内容与扩展名“.%(ext)s”不符，请上传真实的 PDF 或图片。") % {"ext": extension},
            field="consent_document",
        )
    old = application.consent_document.name if application.consent_document else None
    application.consent_document.save(upload.name, upload, save=True)
    audit.record(
        actor=by, action="update", instance=application, changes={"consent_document": [old, "（已上传）"]}
    )
    return application


@transaction.atomic
def save_charter(pk, *, by, text: str) -> CharterVersion:
    application = _locked(by, pk, "founding.edit")
    _editable(application)
    text = (text or "").strip()
    if len(text) < 100:
        raise DomainError(
            gettext("章程内容过短，请按组织通则写明总则、任务、会员、组织、经费、附则。"), field="charter"
        )
    current = application.charters.first()
    if current is not None and current.text.strip() == text:
        return current
    version = CharterVersion.objects.create(
        application=application, version=(current.version + 1 if current else 1), text=text, created_by=by
    )
    audit.record(
        actor=by,
        action="update",
        instance=application,
        changes={"charter": [current and current.version, version.version]},
    )
    return version


# --- members and candidates ----------------------------------------------------------------------


@transaction.atomic
def add_founding_member(pk, *, by, data: Mapping[str, Any]) -> Membership:
    application = _locked(by, pk, "founding.edit")
    _editable(application)
    return member_services.register_founding_member(application.association, data, by=by)


@transaction.atomic
def remove_founding_member(pk, *, by, membership_id: int) -> None:
    application = _locked(by, pk, "founding.edit")
    _editable(application)
    with stored_language():
        note = gettext("从筹备会员名单移除")
    person = member_services.remove_founding_member(application.association, membership_id, by=by, note=note)
    application.candidacies.filter(person=person).delete()


@transaction.atomic
def set_candidacy(pk, *, by, person_id: int, office: str) -> Candidacy:
    application = _locked(by, pk, "founding.edit")
    _editable(application)
    if office not in Office.values:
        raise DomainError(gettext("拟任职务“%(office)s”不是有效选项。") % {"office": office}, field="office")
    membership = (
        application.association.memberships.filter(person_id=person_id, status=MembershipStatus.FOUNDING)
        .select_related("person")
        .first()
    )
    if membership is None:
        raise DomainError(gettext("候选人须是已登记的会员。"), field="person")
    if office in (Office.CHAIR, Office.SECRETARY_GENERAL):
        taken = (
            application.candidacies.filter(office=office)
            .exclude(person_id=person_id)
            .select_related("person")
            .first()
        )
        if taken is not None:
            raise DomainError(
                gettext("%(office)s候选人只能有一名，已提名“%(name)s”。")
                % {"office": Office(office).label, "name": taken.person.name},
                field="office",
            )
    candidacy, _created = Candidacy.objects.get_or_create(
        application=application, person=membership.person, office=office
    )
    audit.record(
        actor=by,
        action="update",
        instance=application,
        changes={"candidacy": [None, f"{membership.person.name} {Office(office).label}"]},
    )
    return candidacy


@transaction.atomic
def remove_candidacy(pk, *, by, candidacy_id: int) -> None:
    application = _locked(by, pk, "founding.edit")
    _editable(application)
    deleted, _ = application.candidacies.filter(pk=candidacy_id).delete()
    if not deleted:
        raise DomainError(gettext("该候选人不存在。"), field="candidacy")


# --- submission and review ---------------------------------------------------------------------


@transaction.atomic
def submit(pk, *, by) -> FoundingApplication:
    application = _locked(by, pk, "founding.edit")
    check_transition(application, Action.SUBMIT)  # the state first: a filed dossier is not "incomplete"
    problems = checks.submission_problems(application)
    if problems:
        raise DomainError(
            gettext("申请材料不完整：%(problems)s") % {"problems": sentences(problems)},
            field="submission",
            code="incomplete",
        )
    route = routing.route_for(application.enterprise)
    application.approver = route.approver
    application.route_reason = route.reason
    application.round += 1
    application.submitted_at = timezone.now()
    transition(application, Action.SUBMIT, by=by)
    with stored_language():
        notify(
            _reviewers(route.approver),
            text=gettext("“%(name)s”提交了成立申请（第%(round)d次），请审核。")
            % {"name": application.association.name, "round": application.round},
            url=_url(application),
        )
    return application


def _review(pk, by, action: str) -> FoundingApplication:
    """The application, locked, if ``action`` is allowed now and ``by`` reviews for its approver."""
    application = _locked(by, pk, "founding.review")
    check_transition(application, action)
    if not may_review(by, application):
        raise Forbidden(
            gettext("该申请由%(approver)s审批，您无权审核。") % {"approver": application.approver.name}
        )
    return application


@transaction.atomic
def start_pre_review(pk, *, by) -> FoundingApplication:
    application = _review(pk, by, Action.PRE_REVIEW)
    transition(application, Action.PRE_REVIEW, by=by)
    return application


@transaction.atomic
def return_application(pk, *, by, comment: str) -> FoundingApplication:
    comment = (comment or "").strip()
    if not comment:
        raise DomainError(gettext("退回时须写明需要修改的内容。"), field="comment")
    application = _review(pk, by, Action.RETURN)
    transition(application, Action.RETURN, by=by, comment=comment)
    with stored_language():
        notify(
            _secretaries(application),
            text=gettext("“%(name)s”的成立申请被退回修改：%(comment)s")
            % {"name": application.association.name, "comment": comment},
            url=_url(application),
        )
    return application


@transaction.atomic
def reject(pk, *, by, reason: str) -> FoundingApplication:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(gettext("不予批准时须写明理由。"), field="comment")
    application = _review(pk, by, Action.REJECT)
    application.decided_at = timezone.now()
    transition(application, Action.REJECT, by=by, comment=reason)
    set_association_status(
        application.association, Status.ABANDONED, by=by, reason=f"成立申请未获批准：{reason}"
    )
    with stored_language():
        notify(
            _secretaries(application),
            text=gettext("“%(name)s”的成立申请未获批准：%(reason)s")
            % {"name": application.association.name, "reason": reason},
            url=_url(application),
        )
    return application


@transaction.atomic
def approve(pk, *, by, note: str = "", on: datetime.date | None = None) -> FoundingApplication:
    application = _review(pk, by, Action.APPROVE)  # checked before a number is taken
    on = on or timezone.localdate()
    application.approval_number = numbering.next_number(application.approver, on)
    application.approval_date = on
    application.approval_note = (note or "").strip()
    application.decided_at = timezone.now()
    transition(application, Action.APPROVE, by=by, comment=application.approval_number)
    with stored_language():
        notify(
            _secretaries(application),
            text=gettext("“%(name)s”的成立申请已批复（%(number)s），请筹备召开成立大会。")
            % {"name": application.association.name, "number": application.approval_number},
            url=_url(application),
        )
    return application


@transaction.atomic
def withdraw(pk, *, by) -> FoundingApplication:
    application = _locked(by, pk, "founding.edit")
    transition(application, Action.WITHDRAW, by=by)
    set_association_status(application.association, Status.ABANDONED, by=by, reason="筹备组撤回成立申请")
    return application


# --- founding congress and filing ------------------------------------------------------------------


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
    application = _locked(by, pk, "founding.edit")
    check_transition(application, Action.RECORD_CONGRESS)  # no congress before approval
    held_on = parse_date(data.get("held_on"), "held_on", gettext("大会日期"))
    meeting_on = parse_date(
        data.get("committee_meeting_on") or held_on, "committee_meeting_on", gettext("委员会第一次会议日期")
    )
    if held_on < application.approval_date:
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


def _filing_recipients(application: FoundingApplication) -> list[str]:
    other = Recipient.SASAC if application.enterprise.ownership in STATE_OWNED else Recipient.ACFIC
    return [Recipient.KEXIE, other]


@transaction.atomic
def submit_filing(pk, *, by) -> list[Filing]:
    application = _locked(by, pk, "founding.edit")
    transition(application, Action.SUBMIT_FILING, by=by)
    region = application.approver.region
    filings = [
        Filing.objects.create(application=application, recipient=recipient, region=region)
        for recipient in _filing_recipients(application)
    ]
    inbox = reverse("founding:filings")
    roles = {
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
    if application.approver.region_id != association.region_id:
        # Supervised by the 科协 that approved it (the audit log is kept in Chinese).
        set_supervisor(association, application.approver, by=by, reason="由批复成立的科协主管")
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
            _secretaries(application),
            text=gettext("“%(name)s”备案完成，科协正式成立。") % {"name": association.name},
            url=_url(application),
        )


# --- routing rules -----------------------------------------------------------------------------------


@transaction.atomic
def add_routing_rule(
    *, by, province_code: str, ownership: str, flag: str, target_level: str, reason: str, priority: int = 100
):
    require(by, "routing.configure")
    if not may_configure_routing(by, province_code):
        raise Forbidden(gettext("只有省级科协工作人员可以设置本省的审批路由规则。"))
    province = Region.objects.filter(code=province_code, level="province").first()
    if province is None:
        raise DomainError(gettext("省份代码“%(code)s”不存在。") % {"code": province_code}, field="province")
    routing.validate_rule(ownership=ownership, flag=flag, target_level=target_level)
    priority = routing.clean_priority(priority)
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise DomainError(gettext("请写明规则说明，它会显示给申请人。"), field="reason")
    rule = RoutingRule.objects.create(
        province=province,
        ownership=ownership,
        flag=flag,
        target_level=target_level,
        reason=reason[:200],
        priority=priority,
    )
    audit.record(actor=by, action="create", instance=rule, changes={"reason": [None, rule.reason]})
    return rule


@transaction.atomic
def delete_routing_rule(rule_id: int, *, by) -> None:
    require(by, "routing.configure")
    rule = get_or_not_found(routing_rules_for_user(by), rule_id, gettext("该规则不存在。"))
    if not may_configure_routing(by, rule.province_id):
        raise Forbidden(gettext("只有省级科协工作人员可以设置本省的审批路由规则。"))
    audit.record(actor=by, action="delete", instance=rule, changes={"reason": [rule.reason, None]})
    rule.delete()


# --- importing the member roster (会员汇总表) ------------------------------------------------------


@transaction.atomic
def import_founding_members(pk, *, by, people: Iterable[Mapping[str, Any]]) -> tuple[int, int, int]:
    """Register many founding members at once (the 会员汇总表 import), all in this transaction.

    ``people`` are rows cleaned by ``members.cleaning.clean_person`` (cleaned again here: this is the
    gate). A person already on the roster, same name and phone, is updated, never duplicated; an
    empty value never clears what is stored. Returns (created, updated, unchanged)."""
    application = _locked(by, pk, "founding.edit")
    _editable(application)
    before_count = member_services.founding_memberships(application.association).count()
    # The audit log is a permanent record kept in Chinese.
    note = f"导入会员汇总表：{application.association.name}"
    created, updated, unchanged = member_services.register_founding_members(
        application.association, people, by=by, note=note
    )
    audit.record(
        actor=by,
        action="import",
        instance=application,
        changes={"members": [before_count, before_count + created]},
        note=f"导入会员汇总表：新增{created}人，更新{updated}人，未变{unchanged}人。",
    )
    return created, updated, unchanged
