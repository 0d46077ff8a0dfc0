"""The founding procedure (企业科协成立): the same services, selectors and scoping as the pages.

Reads start from ``scoping`` (out of reach → 404) after ``permissions.require`` (wrong role → 403);
every write is one call of ``founding.services``, which checks the role, the reach and the state
machine itself. An action the state does not allow is a 400 with the service's sentence.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Query, Router, Status, UploadedFile

from kexie.accounts.permissions import require
from kexie.core.errors import NotFound
from kexie.core.masking import mask_phone
from kexie.enterprises.permissions import get_enterprise_for_user
from kexie.founding import checks, documents, routing, selectors, services
from kexie.founding.enums import Action
from kexie.founding.models import Congress, Filing, FoundingApplication, RoutingRule
from kexie.founding.permissions import (
    get_filing_for_user,
    get_founding_application_for_user,
    may_see_contacts,
    routing_rules_for_user,
)
from kexie.members.enums import MembershipStatus
from kexie.members.models import Membership, Person

from ..founding_schemas import (
    ApplicationDetail,
    ApplicationIn,
    ApplicationPage,
    ApplicationQuery,
    CandidateIn,
    CandidateOut,
    CharterIn,
    CharterOut,
    CongressIn,
    DossierPatch,
    FilingOut,
    FilingPage,
    FilingQuery,
    GroupMemberIn,
    GroupMemberOut,
    MemberIn,
    MemberOut,
    MemberPage,
    QueuePage,
    ReviewIn,
    RouteOut,
    RouteQuery,
    RuleIn,
    RuleOut,
    RulePage,
)
from ..schemas import PageQuery, responses

router = Router(tags=["founding"])

# The founding members of the 科协; once the filing is complete they are its approved members.
MEMBER_STATUSES = (MembershipStatus.FOUNDING, MembershipStatus.APPROVED)


# --- building the output --------------------------------------------------------------------------


def _ref(obj) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": obj.name}


def _phone(value: str, masked: bool) -> str:
    return mask_phone(value) if masked else value


def _person(person: Person, masked: bool) -> dict[str, Any]:
    return {
        "person": person.pk,
        "name": person.name,
        "sex": person.sex,
        "sex_label": person.get_sex_display(),
        "birth_month": person.birth_month,
        "age": person.age,
        "education": person.education,
        "education_label": person.get_education_display(),
        "political": person.political,
        "political_label": person.get_political_display(),
        "title_level": person.title_level,
        "title_level_label": person.get_title_level_display(),
        "title_name": person.title_name,
        "position": person.position,
        "phone": _phone(person.phone, masked),
    }


def _member(membership: Membership, masked: bool) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "status": membership.status,
        "status_label": membership.get_status_display(),
        **_person(membership.person, masked),
    }


def _candidate(candidacy, masked: bool) -> dict[str, Any]:
    return {
        "id": candidacy.pk,
        "office": candidacy.office,
        "office_label": candidacy.get_office_display(),
        **_person(candidacy.person, masked),
    }


def _filing(filing: Filing) -> dict[str, Any]:
    application = filing.application
    return {
        "id": filing.pk,
        "application": application.pk,
        "association": application.association.name,
        "enterprise": application.enterprise.name,
        "recipient": filing.recipient,
        "recipient_label": filing.get_recipient_display(),
        "region": filing.region_id,
        "region_name": filing.region.name,
        "submitted_at": filing.submitted_at,
        "acknowledged_at": filing.acknowledged_at,
        "acknowledged_by": str(filing.acknowledged_by) if filing.acknowledged_by else None,
    }


def _item(application: FoundingApplication) -> dict[str, Any]:
    return {
        "id": application.pk,
        "name": application.association.name,
        "state": application.state,
        "state_label": application.get_state_display(),
        "enterprise": _ref(application.enterprise),
        "approver": _ref(application.approver),
        "round": application.round,
        "submitted_at": application.submitted_at,
        "approval_number": application.approval_number,
        "updated_at": application.updated_at,
    }


def _congress(application: FoundingApplication) -> dict[str, Any] | None:
    try:
        congress = application.congress
    except Congress.DoesNotExist:
        return None
    return {
        "held_on": congress.held_on,
        "place": congress.place,
        "members_total": congress.members_total,
        "members_present": congress.members_present,
        "committee_meeting_on": congress.committee_meeting_on,
        "results": [
            {
                "stage": r.stage,
                "stage_label": r.get_stage_display(),
                "person": r.person_id,
                "name": r.person.name,
                "office": r.office,
                "office_label": r.get_office_display(),
                "votes_for": r.votes_for,
                "votes_against": r.votes_against,
                "abstentions": r.abstentions,
                "elected": r.elected,
            }
            for r in congress.results.select_related("person")
        ],
    }


def _documents(application: FoundingApplication) -> list[dict[str, str]]:
    """The official documents issued so far, each format a download link (the pages' URLs, which
    check the role and the reach again and audit the export)."""
    links = [
        {
            "name": name,
            "title": kind.title,
            "format": fmt,
            "url": reverse("founding:document", args=[application.pk, name, fmt]),
        }
        for name, kind in documents.available(application)
        for fmt in kind.formats
    ]
    dossier = {"name": "dossier", "title": "成立申报材料合订本", "format": "pdf"}
    return [*links, {**dossier, "url": reverse("founding:dossier", args=[application.pk])}]


def _detail(user, application: FoundingApplication) -> dict[str, Any]:
    masked = not may_see_contacts(user, application)
    approver, reason, final = selectors.route_of(application)
    charter = application.charters.only("version").first()
    association = application.association
    return {
        **_item(application),
        "association": {
            "id": association.pk,
            "name": association.name,
            "status": association.status,
            "status_label": association.get_status_display(),
        },
        "approver": _ref(approver),
        "route_reason": reason,
        "route_final": final,
        "decided_at": application.decided_at,
        "approval_date": application.approval_date,
        "approval_note": application.approval_note,
        "group_leader": application.group_leader,
        "contact_name": application.contact_name,
        "contact_phone": _phone(application.contact_phone, masked),
        "party_organization": application.party_organization,
        "preparatory_report": application.preparatory_report,
        "consent_uploaded": bool(application.consent_document),
        "phones_masked": masked,
        "problems": checks.submission_problems(application),
        "warnings": checks.candidate_warnings(application),
        "group_members": [
            {
                "name": m.name,
                "position": m.position,
                "is_leader": m.is_leader,
                "phone": _phone(m.phone, masked),
            }
            for m in application.group_members.all()
        ],
        "charter_version": charter.version if charter else None,
        "members_count": association.memberships.filter(status__in=MEMBER_STATUSES).count(),
        "candidates": [_candidate(c, masked) for c in application.candidacies.select_related("person")],
        "events": [
            {
                "action": e.action,
                "action_label": _action_label(e.action),
                "from_state": e.from_state,
                "from_state_label": e.get_from_state_display(),
                "to_state": e.to_state,
                "to_state_label": e.get_to_state_display(),
                "round": e.round,
                "actor": str(e.actor) if e.actor else None,
                "comment": e.comment,
                "at": e.at,
            }
            for e in application.events.select_related("actor")
        ],
        "filings": [
            _filing(f)
            for f in application.filings.select_related(
                "application__association", "application__enterprise", "region", "acknowledged_by"
            )
        ],
        "congress": _congress(application),
        "documents": _documents(application),
    }


def _action_label(action: str) -> str:
    return str(Action(action).label) if action in Action.values else action


def _application(request: HttpRequest, application_id: int) -> FoundingApplication:
    require(request.auth, "founding.view")
    return get_founding_application_for_user(request.auth, application_id)


def _fresh_detail(request: HttpRequest, application_id: int) -> dict[str, Any]:
    """The detail after a write, read again through scoping."""
    return _detail(request.auth, get_founding_application_for_user(request.auth, application_id))


# --- applications -----------------------------------------------------------------------------------

APP = "/applications/{application_id}"


@router.get("/applications", response=responses({200: ApplicationPage}), summary="筹建申请列表（按权限范围）")
def list_applications(request: HttpRequest, query: Query[ApplicationQuery]):
    require(request.auth, "founding.view")
    qs = selectors.application_list(request.auth, state=query.state)
    return {"count": qs.count(), "items": [_item(a) for a in qs[query.offset : query.offset + query.limit]]}


@router.post(
    "/applications",
    response=responses({201: ApplicationDetail}),
    summary="开启筹建申请（科协工作人员为本辖区企业开启，并指定筹备组联系人）",
)
def open_application(request: HttpRequest, payload: ApplicationIn):
    application = services.open_application(
        by=request.auth,
        enterprise_id=payload.enterprise,
        contact_username=payload.contact_username,
        name=payload.name,
    )
    return Status(201, _fresh_detail(request, application.pk))


@router.get(APP, response=responses({200: ApplicationDetail}), summary="筹建申请详情")
def detail(request: HttpRequest, application_id: int):
    return _detail(request.auth, _application(request, application_id))


@router.patch(APP, response=responses({200: ApplicationDetail}), summary="修改申请材料（部分字段）")
def update_dossier(request: HttpRequest, application_id: int, payload: DossierPatch):
    services.update_dossier(application_id, by=request.auth, data=payload.model_dump(exclude_unset=True))
    return _fresh_detail(request, application_id)


@router.put(
    APP + "/group", response=responses({200: list[GroupMemberOut]}), summary="设置筹备组成员（整体替换）"
)
def set_group(request: HttpRequest, application_id: int, payload: list[GroupMemberIn]):
    services.set_group_members(application_id, by=request.auth, members=[m.model_dump() for m in payload])
    return _fresh_detail(request, application_id)["group_members"]


@router.get(APP + "/charter", response=responses({200: CharterOut}), summary="章程当前版本")
def charter(request: HttpRequest, application_id: int):
    application = _application(request, application_id)
    current = application.charters.first()
    if current is None:
        raise NotFound
    return current


@router.post(APP + "/charter", response=responses({201: CharterOut}), summary="保存章程（新版本）")
def save_charter(request: HttpRequest, application_id: int, payload: CharterIn):
    return Status(201, services.save_charter(application_id, by=request.auth, text=payload.text))


@router.get(APP + "/members", response=responses({200: MemberPage}), summary="会员名单（会员汇总表）")
def list_members(request: HttpRequest, application_id: int, query: Query[PageQuery]):
    application = _application(request, application_id)
    masked = not may_see_contacts(request.auth, application)
    qs = (
        application.association.memberships.filter(status__in=MEMBER_STATUSES)
        .select_related("person")
        .order_by("created_at", "id")
    )
    rows = qs[query.offset : query.offset + query.limit]
    return {"count": qs.count(), "items": [_member(m, masked) for m in rows]}


@router.post(APP + "/members", response=responses({201: MemberOut}), summary="登记一名会员")
def add_member(request: HttpRequest, application_id: int, payload: MemberIn):
    membership = services.add_founding_member(application_id, by=request.auth, data=payload.model_dump())
    application = get_founding_application_for_user(request.auth, application_id)
    return Status(201, _member(membership, not may_see_contacts(request.auth, application)))


@router.delete(APP + "/members/{membership_id}", response=responses({204: None}), summary="移除一名会员")
def remove_member(request: HttpRequest, application_id: int, membership_id: int):
    services.remove_founding_member(application_id, by=request.auth, membership_id=membership_id)
    return Status(204, None)


@router.post(APP + "/candidates", response=responses({201: CandidateOut}), summary="提名候选人")
def add_candidate(request: HttpRequest, application_id: int, payload: CandidateIn):
    candidacy = services.set_candidacy(
        application_id, by=request.auth, person_id=payload.person, office=payload.office
    )
    application = get_founding_application_for_user(request.auth, application_id)
    return Status(201, _candidate(candidacy, not may_see_contacts(request.auth, application)))


@router.delete(APP + "/candidates/{candidacy_id}", response=responses({204: None}), summary="撤销提名")
def remove_candidate(request: HttpRequest, application_id: int, candidacy_id: int):
    services.remove_candidacy(application_id, by=request.auth, candidacy_id=candidacy_id)
    return Status(204, None)


@router.post(
    APP + "/consent",
    response=responses({200: ApplicationDetail}),
    summary="上传企业党组织或管理层的同意文件",
    description="multipart/form-data，文件字段名 file；PDF、PNG 或 JPG，不超过 10 MB。",
)
def upload_consent(request: HttpRequest, application_id: int, file: File[UploadedFile]):
    services.upload_consent(application_id, by=request.auth, upload=file)
    return _fresh_detail(request, application_id)


# --- actions ----------------------------------------------------------------------------------------


@router.post(
    APP + "/submit",
    response=responses({200: ApplicationDetail}),
    summary="提交申请（按路由规则送审批科协）",
    description="材料不全时返回 400，message 逐条列出尚缺的材料。",
)
def submit(request: HttpRequest, application_id: int):
    services.submit(application_id, by=request.auth)
    return _fresh_detail(request, application_id)


@router.post(APP + "/withdraw", response=responses({200: ApplicationDetail}), summary="撤回申请")
def withdraw(request: HttpRequest, application_id: int):
    services.withdraw(application_id, by=request.auth)
    return _fresh_detail(request, application_id)


REVIEW_ACTIONS = {
    "pre_review": lambda pk, by, comment: services.start_pre_review(pk, by=by),
    "return": lambda pk, by, comment: services.return_application(pk, by=by, comment=comment),
    "reject": lambda pk, by, comment: services.reject(pk, by=by, reason=comment),
    "approve": lambda pk, by, comment: services.approve(pk, by=by, note=comment),
}


@router.post(
    APP + "/review",
    response=responses({200: ApplicationDetail}),
    summary="审核：初审、退回修改、不予批准或批复同意",
    description="仅审批科协的审核人员可操作。批复同意时自动取得批复文号；两人同时批复时只有一次生效，另一次返回 400。",
)
def review(request: HttpRequest, application_id: int, payload: ReviewIn):
    REVIEW_ACTIONS[payload.action](application_id, request.auth, payload.comment)
    return _fresh_detail(request, application_id)


@router.post(
    APP + "/congress",
    response=responses({200: ApplicationDetail}),
    summary="登记成立大会及委员会第一次会议的选举结果",
)
def record_congress(request: HttpRequest, application_id: int, payload: CongressIn):
    data = payload.model_dump(exclude={"committee", "officers"})
    services.record_congress(
        application_id,
        by=request.auth,
        data=data,
        committee=[row.model_dump() for row in payload.committee],
        officers=[row.model_dump() for row in payload.officers],
    )
    return _fresh_detail(request, application_id)


@router.post(
    APP + "/filing",
    response=responses({200: ApplicationDetail}),
    summary="报送备案（同级科协，及国资监管机构或工商联）",
)
def submit_filing(request: HttpRequest, application_id: int):
    services.submit_filing(application_id, by=request.auth)
    return _fresh_detail(request, application_id)


# --- filings, queue, routing ----------------------------------------------------------------------------


@router.get("/filings", response=responses({200: FilingPage}), summary="备案收件箱（按权限范围）")
def filings(request: HttpRequest, query: Query[FilingQuery]):
    require(request.auth, "filing.view")
    qs = selectors.filing_inbox(request.auth, pending_only=query.pending).select_related("acknowledged_by")
    return {"count": qs.count(), "items": [_filing(f) for f in qs[query.offset : query.offset + query.limit]]}


@router.post(
    "/filings/{filing_id}/acknowledge",
    response=responses({200: FilingOut}),
    summary="确认备案（全部备案机关确认后科协正式成立）",
)
def acknowledge_filing(request: HttpRequest, filing_id: int):
    services.acknowledge_filing(filing_id, by=request.auth)
    return _filing(get_filing_for_user(request.auth, filing_id))


@router.get(
    "/queue",
    response=responses({200: QueuePage}),
    summary="待审核队列（先到先审，含等待天数和超期标记）",
)
def queue(request: HttpRequest, query: Query[PageQuery]):
    require(request.auth, "founding.review")
    items = selectors.review_queue(request.auth)
    rows = items[query.offset : query.offset + query.limit]
    return {
        "count": len(items),
        "items": [{**_item(w.application), "age_days": w.age_days, "overdue": w.overdue} for w in rows],
    }


def _rule(rule: RoutingRule) -> dict[str, Any]:
    return {
        "id": rule.pk,
        "province": rule.province_id,
        "province_name": rule.province.name,
        "ownership": rule.ownership,
        "flag": rule.flag,
        "target_level": rule.target_level,
        "target_level_label": rule.get_target_level_display(),
        "priority": rule.priority,
        "reason": rule.reason,
        "active": rule.active,
    }


@router.get("/routing-rules", response=responses({200: RulePage}), summary="审批路由规则（您所在省份）")
def list_rules(request: HttpRequest, query: Query[PageQuery]):
    require(request.auth, "founding.view")
    qs = routing_rules_for_user(request.auth)
    return {"count": qs.count(), "items": [_rule(r) for r in qs[query.offset : query.offset + query.limit]]}


@router.post(
    "/routing-rules", response=responses({201: RuleOut}), summary="新增审批路由规则（省级科协工作人员）"
)
def add_rule(request: HttpRequest, payload: RuleIn):
    rule = services.add_routing_rule(
        by=request.auth,
        province_code=payload.province,
        ownership=payload.ownership,
        flag=payload.flag,
        target_level=payload.target_level,
        reason=payload.reason,
        priority=payload.priority,
    )
    return Status(201, _rule(rule))


@router.delete("/routing-rules/{rule_id}", response=responses({204: None}), summary="删除审批路由规则")
def delete_rule(request: HttpRequest, rule_id: int):
    services.delete_routing_rule(rule_id, by=request.auth)
    return Status(204, None)


@router.get("/route", response=responses({200: RouteOut}), summary="查询企业的审批科协及路由理由")
def route(request: HttpRequest, query: Query[RouteQuery]):
    require(request.auth, "founding.view")
    enterprise = get_enterprise_for_user(request.auth, query.enterprise)
    found = routing.route_for(enterprise)
    return {
        "enterprise": _ref(enterprise),
        "approver": _ref(found.approver),
        "reason": found.reason,
        "rule": found.rule.pk if found.rule else None,
    }
