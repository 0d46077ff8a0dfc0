"""The founding procedure through /api/v1/founding/: the whole path, scoping, roles, errors, masking."""

import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from kexie.accounts.enums import Role
from kexie.associations.enums import Status
from kexie.founding import services
from kexie.founding.enums import Recipient, State
from kexie.founding.models import ApplicationEvent, Filing, FoundingApplication, NumberSequence, RoutingRule
from kexie.members.enums import MembershipStatus

from ..factories import HEBEI_COUNTY, JINSHUI, ZHONGYUAN, EnterpriseFactory, UserFactory, grant, local
from ..founding.conftest import complete_dossier, congress_data
from .conftest import API, ApiClient, token_for

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NOT_FOUND = {"message": "对象不存在。", "field": None}
FORBIDDEN = {"message": "您的角色无权执行此操作。", "field": None}

MEMBERS = [
    {"name": "张伟", "sex": "男", "birth_month": "1975.03", "education": "硕士", "political": "中共党员",
     "title_level": "正高级", "title_name": "正高级工程师", "position": "总经理", "phone": "13800000001"},
    {"name": "李娜", "sex": "女", "birth_month": "1982-7", "education": "大学本科", "political": "群众",
     "title_level": "副高级", "position": "技术部经理", "phone": "13800000002"},
    {"name": "王强", "sex": "男", "birth_month": "1988年11月", "education": "本科", "political": "党员",
     "title_level": "中级", "position": "工程师", "phone": "13800000003"},
    {"name": "赵敏", "sex": "女", "birth_month": "199002", "education": "硕士研究生", "political": "共青团员",
     "title_level": "中级", "position": "研发工程师", "phone": "13800000004"},
]  # fmt: skip


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def founder(world):
    return UserFactory(username="founder", display_name="刘筹备", phone="13900000000")


@pytest.fixture
def high_tech(db):
    return EnterpriseFactory(
        name="郑州中原芯片科技有限公司", region_id=ZHONGYUAN, is_high_tech=True, ownership="private"
    )


@pytest.fixture
def staff(world, as_user):
    return as_user(world.county_staff)


@pytest.fixture
def group(founder, as_user):
    return as_user(founder)


@pytest.fixture
def app_id(staff, founder, high_tech):
    """A draft opened through the API by the 中原区 staff, with 刘筹备 as the group's contact."""
    response = staff.post(
        "/founding/applications", {"enterprise": high_tech.pk, "contact_username": "founder"}
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def put(client: ApiClient, path: str, body):
    return client._send("put", path, body)


def delete(client: ApiClient, path: str):
    return client._send("delete", path)


def upload(client: ApiClient, path: str, name: str = "同意.pdf", content: bytes = PDF):
    files = {"file": SimpleUploadedFile(name, content)} if name else {}
    return client.client.post(API + path, files, headers=client.headers)


def fill_dossier(group: ApiClient, pk: int) -> list[int]:
    """Everything the group must provide, through the API; returns the members' person ids."""
    base = f"/founding/applications/{pk}"
    response = group.patch(
        base,
        {
            "contact_name": "刘筹备",
            "contact_phone": "139-0000-0000",
            "preparatory_report": "筹备工作已完成。",
        },
    )
    assert response.status_code == 200, response.content
    response = put(
        group,
        base + "/group",
        [
            {"name": "张伟", "position": "总经理", "is_leader": True, "phone": "13700000001"},
            {"name": "李娜", "position": "技术部经理"},
        ],
    )
    assert response.status_code == 200, response.content
    assert upload(group, base + "/consent").status_code == 200
    people = []
    for member in MEMBERS:
        response = group.post(base + "/members", member)
        assert response.status_code == 201, response.content
        people.append(response.json()["person"])
    for person, office in zip(people, ["chair", "vice_chair", "secretary_general", "committee"], strict=True):
        response = group.post(base + "/candidates", {"person": person, "office": office})
        assert response.status_code == 201, response.content
    return people


def congress_body(approval_date: str, people: list[int]) -> dict:
    return {
        "held_on": approval_date,
        "committee_meeting_on": approval_date,
        "place": "公司报告厅",
        "members_total": 4,
        "members_present": 4,
        "approval_read": True,
        "charter_adopted": True,
        "committee": [{"person": p, "votes_for": 4} for p in people],
        "officers": [
            {"person": people[0], "office": "chair", "votes_for": 4},
            {"person": people[1], "office": "vice_chair", "votes_for": 4},
            {"person": people[2], "office": "secretary_general", "votes_for": 3, "votes_against": 1},
        ],
    }


def documents_of(detail: dict) -> set[tuple[str, str]]:
    return {(d["name"], d["format"]) for d in detail["documents"]}


def walk_to_filing(world, application, founder):
    """Through the services (the API walk is tested once below): submitted, approved, congress, filing."""
    people = complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    services.approve(application.pk, by=world.county_staff)
    application.refresh_from_db()
    data, committee, officers = congress_data(application, people)
    services.record_congress(application.pk, by=founder, data=data, committee=committee, officers=officers)
    services.submit_filing(application.pk, by=founder)
    return {f.recipient: f for f in Filing.objects.filter(application=application)}


# --- the whole path -----------------------------------------------------------------------------------


def test_whole_path_through_the_api(world, staff, group, as_user, app_id, high_tech):
    base = f"/founding/applications/{app_id}"
    opened = group.get(base).json()
    assert opened["state"] == "draft" and opened["state_label"] == "筹备中"
    assert opened["enterprise"] == {"id": high_tech.pk, "name": "郑州中原芯片科技有限公司"}
    assert opened["association"]["name"] == "郑州中原芯片科技有限公司科学技术协会"
    assert opened["association"]["status"] == "preparing"
    assert opened["approver"] == {"id": local(ZHONGYUAN).pk, "name": local(ZHONGYUAN).name}
    assert opened["route_final"] is False and "默认由企业注册地所在县" in opened["route_reason"]
    assert opened["charter_version"] == 1 and opened["round"] == 0
    assert "尚未上传企业党组织或管理层的同意文件。" in opened["problems"]
    assert documents_of(opened) == {
        ("application", "docx"), ("application", "pdf"), ("report", "docx"), ("report", "pdf"),
        ("candidates", "docx"), ("candidates", "xlsx"), ("candidates", "pdf"), ("members", "docx"),
        ("members", "xlsx"), ("members", "pdf"), ("form", "docx"), ("form", "pdf"),
        ("charter", "docx"), ("charter", "pdf"), ("dossier", "pdf"),
    }  # fmt: skip

    people = fill_dossier(group, app_id)
    filled = group.get(base).json()
    assert filled["problems"] == [] and filled["consent_uploaded"] is True
    assert filled["members_count"] == 4 and len(filled["candidates"]) == 4
    assert filled["group_leader"] == "张伟"
    charter = group.post(
        base + "/charter", {"text": group.get(base + "/charter").json()["text"] + "\n第二十条 补充条款。"}
    )
    assert charter.status_code == 201 and charter.json()["version"] == 2
    assert group.get(base).json()["charter_version"] == 2

    submitted = group.post(base + "/submit")
    assert submitted.status_code == 200, submitted.content
    body = submitted.json()
    assert body["state"] == "submitted" and body["round"] == 1 and body["route_final"] is True
    assert body["approver"]["id"] == local(ZHONGYUAN).pk

    queue = staff.get("/founding/queue").json()
    assert queue["count"] == 1
    assert queue["items"][0]["id"] == app_id
    assert queue["items"][0]["age_days"] == 0 and queue["items"][0]["overdue"] is False

    returned = staff.post(base + "/review", {"action": "return", "comment": "请补充主要科技成果。"})
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    assert returned.json()["events"][-1]["comment"] == "请补充主要科技成果。"
    assert staff.get("/founding/queue").json()["count"] == 0
    assert (
        group.patch(base, {"preparatory_report": "筹备工作已完成，主要科技成果见附件。"}).status_code == 200
    )
    resubmitted = group.post(base + "/submit").json()
    assert resubmitted["state"] == "submitted" and resubmitted["round"] == 2

    assert staff.post(base + "/review", {"action": "pre_review"}).json()["state"] == "pre_review"
    approved = staff.post(base + "/review", {"action": "approve", "comment": "同意成立。"})
    assert approved.status_code == 200, approved.content
    approval = approved.json()
    assert approval["state"] == "approved" and approval["approval_note"] == "同意成立。"
    assert approval["approval_number"].startswith("中原科协函〔")
    assert approval["approval_number"].endswith("〕1号")
    assert {("approval", "docx"), ("approval", "pdf")} <= documents_of(approval)
    assert ("filing", "pdf") not in documents_of(approval)

    held = group.post(base + "/congress", congress_body(approval["approval_date"], people))
    assert held.status_code == 200, held.content
    congress = held.json()["congress"]
    assert held.json()["state"] == "congress_held"
    assert ("filing", "pdf") in documents_of(held.json())
    assert congress["members_present"] == 4
    assert {(r["name"], r["office"]) for r in congress["results"] if r["stage"] == "officers"} == {
        ("张伟", "chair"),
        ("李娜", "vice_chair"),
        ("王强", "secretary_general"),
    }

    filing = group.post(base + "/filing")
    assert filing.status_code == 200, filing.content
    filings = {f["recipient"]: f for f in filing.json()["filings"]}
    assert set(filings) == {"kexie", "acfic"}  # a private enterprise files with the 工商联
    assert filing.json()["state"] == "filing"

    inbox = staff.get("/founding/filings", pending="true").json()
    assert [f["id"] for f in inbox["items"]] == [filings["kexie"]["id"]]
    ack = staff.post(f"/founding/filings/{filings['kexie']['id']}/acknowledge")
    assert ack.status_code == 200 and ack.json()["acknowledged_at"]
    assert staff.get("/founding/filings", pending="true").json()["count"] == 0
    assert group.get(base).json()["state"] == "filing"

    acfic = as_user(world.acfic)
    assert [f["id"] for f in acfic.get("/founding/filings").json()["items"]] == [filings["acfic"]["id"]]
    assert acfic.post(f"/founding/filings/{filings['acfic']['id']}/acknowledge").status_code == 200

    done = group.get(base).json()
    assert done["state"] == "filed" and done["association"]["status"] == "active"
    assert [e["to_state"] for e in done["events"]] == [
        "submitted",
        "returned",
        "submitted",
        "pre_review",
        "approved",
        "congress_held",
        "filing",
        "filed",
    ]
    assert done["events"][1]["actor"] == str(world.county_staff)
    assert all(f["acknowledged_at"] for f in done["filings"])
    application = FoundingApplication.objects.get(pk=app_id)
    assert application.association.status == Status.ACTIVE
    assert application.association.memberships.filter(status=MembershipStatus.APPROVED).count() == 4


def test_application_list_is_scoped_and_filters_by_state(world, staff, group, as_user, app_id):
    assert [a["id"] for a in group.get("/founding/applications").json()["items"]] == [app_id]
    assert staff.get("/founding/applications", state="draft").json()["count"] == 1
    assert staff.get("/founding/applications", state="submitted").json()["count"] == 0
    assert as_user(world.other_staff).get("/founding/applications").json() == {"count": 0, "items": []}
    bad = staff.get("/founding/applications", state="bogus")
    assert bad.status_code == 400 and bad.json()["field"] == "state"


def test_members_and_candidates_are_added_and_removed(group, app_id):
    base = f"/founding/applications/{app_id}"
    member = group.post(base + "/members", MEMBERS[0]).json()
    assert member["sex"] == "M" and member["education"] == "master" and member["birth_month"] == "1975-03"
    assert member["political_label"] == "中共党员" and member["status"] == "founding"
    duplicate = group.post(base + "/members", MEMBERS[0])
    assert duplicate.status_code == 400 and duplicate.json() == {
        "message": "会员“张伟”已在筹备名单中，不能重复登记。",
        "field": "name",
    }
    bad = group.post(base + "/members", {**MEMBERS[1], "education": "幼儿园"})
    assert bad.status_code == 400 and bad.json()["field"] == "education"

    candidacy = group.post(base + "/candidates", {"person": member["person"], "office": "chair"}).json()
    assert candidacy["office_label"] == "主席" and candidacy["name"] == "张伟"
    wrong = group.post(base + "/candidates", {"person": member["person"], "office": "emperor"})
    assert wrong.status_code == 400 and wrong.json()["field"] == "office"
    assert delete(group, f"{base}/candidates/{candidacy['id']}").status_code == 204
    assert group.get(base).json()["candidates"] == []
    again = delete(group, f"{base}/candidates/{candidacy['id']}")
    assert again.status_code == 400 and again.json() == {"message": "该候选人不存在。", "field": "candidacy"}

    assert delete(group, f"{base}/members/{member['id']}").status_code == 204
    assert group.get(base + "/members").json() == {"count": 0, "items": []}
    gone = delete(group, f"{base}/members/{member['id']}")
    assert gone.status_code == 400 and gone.json()["field"] == "membership"


def test_group_needs_exactly_one_leader(group, app_id):
    response = put(group, f"/founding/applications/{app_id}/group", [{"name": "张伟"}, {"name": "李娜"}])
    assert response.status_code == 400
    assert response.json() == {"message": "筹备组须有且只有一名组长。", "field": "group_members"}


def test_consent_of_wrong_type_or_content_is_refused(group, app_id):
    path = f"/founding/applications/{app_id}/consent"
    text = upload(group, path, "同意.txt", b"hello")
    assert text.status_code == 400 and text.json()["field"] == "consent_document"
    fake = upload(group, path, "同意.pdf", b"GIF89a not a pdf")
    assert fake.status_code == 400 and "扩展名" in fake.json()["message"]
    assert group.get(f"/founding/applications/{app_id}").json()["consent_uploaded"] is False


def test_document_links_download_in_a_signed_in_session(world, founder, group, app_id):
    links = {
        (d["name"], d["format"]): d for d in group.get(f"/founding/applications/{app_id}").json()["documents"]
    }
    link = links[("members", "xlsx")]
    assert link["url"] == f"/founding/{app_id}/documents/members.xlsx" and link["title"] == "会员汇总表"
    assert links[("dossier", "pdf")]["url"] == f"/founding/{app_id}/dossier.pdf"
    browser = Client()
    browser.force_login(founder)
    response = browser.get(link["url"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    browser.force_login(world.other_staff)
    assert browser.get(link["url"]).status_code == 404


# --- bad input, illegal transitions -------------------------------------------------------------------


def test_incomplete_submit_is_400_naming_what_is_missing(group, app_id):
    response = group.post(f"/founding/applications/{app_id}/submit")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "submission" and body["message"].startswith("申请材料不完整：")
    for part in ("筹备组成员", "同意文件", "筹备工作报告", "尚未登记会员", "主席候选人", "秘书长候选人"):
        assert part in body["message"]
    assert FoundingApplication.objects.get(pk=app_id).state == State.DRAFT


def test_actions_not_allowed_in_the_state_are_400_with_why(world, staff, group, app_id):
    base = f"/founding/applications/{app_id}"
    approve = staff.post(base + "/review", {"action": "approve"})
    assert approve.status_code == 400
    assert approve.json() == {"message": "申请当前状态为“筹备中”，不能执行“批复同意”。", "field": None}
    filing = group.post(base + "/filing")
    assert filing.json() == {"message": "申请当前状态为“筹备中”，不能执行“报送备案”。", "field": None}
    people = fill_dossier(group, app_id)
    group.post(base + "/submit")
    congress = group.post(base + "/congress", congress_body("2030-01-01", people))
    assert congress.status_code == 400
    assert congress.json() == {
        "message": "申请当前状态为“已提交，待审核”，不能执行“登记成立大会”。",
        "field": None,
    }
    withdraw = group.post(base + "/withdraw")
    assert withdraw.status_code == 400 and "不能执行“撤回申请”" in withdraw.json()["message"]
    edit = group.patch(base, {"preparatory_report": "改"})
    assert edit.status_code == 400
    assert edit.json() == {"message": "申请当前状态为“已提交，待审核”，材料不能再修改。", "field": None}
    no_reason = staff.post(base + "/review", {"action": "reject"})
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "comment"
    rejected = staff.post(base + "/review", {"action": "reject", "comment": "不符合条件。"})
    assert rejected.json()["state"] == "rejected" and rejected.json()["association"]["status"] == "abandoned"
    assert group.post(base + "/submit").status_code == 400


def test_withdraw_a_draft(group, app_id):
    response = group.post(f"/founding/applications/{app_id}/withdraw")
    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn" and response.json()["association"]["status"] == "abandoned"


def test_second_approval_is_400_and_takes_no_second_number(world, staff, as_user, founder):
    application = services.open_application(
        by=world.county_staff,
        enterprise_id=EnterpriseFactory(region_id=ZHONGYUAN).pk,
        contact_username="founder",
    )
    complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    path = f"/founding/applications/{application.pk}/review"
    first = staff.post(path, {"action": "approve"})
    second = as_user(world.admin).post(path, {"action": "approve"})
    assert first.status_code == 200
    assert second.status_code == 400
    assert second.json() == {"message": "申请当前状态为“已批复”，不能执行“批复同意”。", "field": None}
    assert NumberSequence.objects.get(issuer=local(ZHONGYUAN)).last == 1
    assert ApplicationEvent.objects.filter(application=application, action="approve").count() == 1


def test_schema_errors_are_422_in_the_error_shape(staff, group, app_id):
    base = f"/founding/applications/{app_id}"
    assert staff.post(
        "/founding/applications", {"enterprise": "abc", "contact_username": "founder"}
    ).json() == {
        "message": "字段“enterprise”格式不正确：应为整数。",
        "field": "enterprise",
    }
    missing = staff.post("/founding/applications", {"enterprise": 1})
    assert missing.status_code == 422
    assert missing.json() == {"message": "缺少必填字段“contact_username”。", "field": "contact_username"}
    action = staff.post(base + "/review", {"action": "approve_all"})
    assert action.status_code == 422 and action.json()["field"] == "action"
    typo = group.patch(base, {"preparatory_reprot": "x"})
    assert typo.status_code == 422
    assert typo.json() == {
        "message": "字段“preparatory_reprot”不是可识别的字段。",
        "field": "preparatory_reprot",
    }
    not_a_list = put(group, base + "/group", {"name": "张伟"})
    assert not_a_list.status_code == 422 and set(not_a_list.json()) == {"message", "field"}
    bad_date = group.post(
        base + "/congress", {**congress_body("2030-01-01", [1, 2, 3]), "held_on": "2030-13-01"}
    )
    assert bad_date.status_code == 422
    assert bad_date.json() == {
        "message": "字段“held_on”格式不正确：应为日期（YYYY-MM-DD）。",
        "field": "held_on",
    }
    votes = group.post(
        base + "/congress", {**congress_body("2030-01-01", [1, 2, 3]), "committee": [{"person": 1}]}
    )
    assert votes.status_code == 422 and votes.json()["field"] == "committee"
    no_file = upload(group, base + "/consent", name="")
    assert no_file.status_code == 422
    assert no_file.json() == {"message": "缺少必填字段“file”。", "field": "file"}
    route = staff.get("/founding/route")
    assert route.status_code == 422 and route.json()["field"] == "enterprise"


# --- who may do what ------------------------------------------------------------------------------------


def test_wrong_role_is_403(world, staff, group, as_user, app_id, high_tech):
    base = f"/founding/applications/{app_id}"
    viewer = as_user(world.county_viewer)
    assert viewer.get(base).status_code == 200
    assert viewer.post(base + "/review", {"action": "pre_review"}).json() == FORBIDDEN
    assert staff.patch(base, {"contact_name": "改"}).json() == FORBIDDEN  # the dossier is the group's
    assert staff.post(base + "/members", MEMBERS[0]).status_code == 403
    assert group.post(base + "/review", {"action": "approve"}).json() == FORBIDDEN
    assert (
        group.post(
            "/founding/applications", {"enterprise": high_tech.pk, "contact_username": "x"}
        ).status_code
        == 403
    )
    assert group.get("/founding/queue").status_code == 403
    assert viewer.post("/founding/routing-rules", {"province": "410000", "target_level": "province",
                                                   "reason": "x"}).status_code == 403  # fmt: skip
    for user in (world.member, world.provider, world.nobody, world.sasac, world.acfic):
        client = as_user(user)
        assert client.get("/founding/applications").json() == FORBIDDEN
        assert client.get(base).status_code == 403
    for user in (world.member, world.provider, world.secretary):
        assert as_user(user).get("/founding/filings").status_code == 403
    assert as_user(world.nobody).get("/founding/filings").status_code == 403


def test_forbidden_from_a_service_is_403_with_its_sentence(world, group, as_user, app_id, founder):
    complete_dossier(FoundingApplication.objects.get(pk=app_id), founder)
    group.post(f"/founding/applications/{app_id}/submit")
    # The province's reviewer sees the application (it is in Henan) but 中原区 approves it.
    response = as_user(world.province_staff).post(
        f"/founding/applications/{app_id}/review", {"action": "approve"}
    )
    assert response.status_code == 403
    assert response.json() == {"message": f"该申请由{local(ZHONGYUAN).name}审批，您无权审核。", "field": None}
    county = as_user(world.county_staff).post(
        "/founding/routing-rules",
        {"province": "410000", "target_level": "province", "reason": "头部民营企业由省科协审批"},
    )
    assert county.status_code == 403
    assert county.json() == {"message": "只有省级科协工作人员可以设置本省的审批路由规则。", "field": None}


def test_other_county_gets_404_on_every_endpoint(world, as_user, app_id, founder, high_tech):
    # A preparatory group in 金水区: a secretary, but of another 科协.
    UserFactory(username="jinshui_founder")
    services.open_application(
        by=world.other_staff,
        enterprise_id=EnterpriseFactory(region_id=JINSHUI).pk,
        contact_username="jinshui_founder",
    )
    other_group = as_user(UserFactory(username="jinshui_founder"))
    other_staff = as_user(world.other_staff)
    base = f"/founding/applications/{app_id}"
    application = FoundingApplication.objects.get(pk=app_id)
    walk_to_filing(world, application, founder)
    filing = Filing.objects.get(application=application, recipient=Recipient.KEXIE)
    member = application.association.memberships.first()
    candidacy = application.candidacies.first()
    calls = [
        (other_staff, "get", base, None),
        (other_staff, "get", base + "/members", None),
        (other_staff, "get", base + "/charter", None),
        (other_staff, "post", base + "/review", {"action": "approve"}),
        (other_staff, "post", f"/founding/filings/{filing.pk}/acknowledge", {}),
        (other_group, "get", base, None),
        (other_group, "patch", base, {"contact_name": "改"}),
        (other_group, "put", base + "/group", []),
        (other_group, "post", base + "/charter", {"text": "章" * 200}),
        (other_group, "post", base + "/members", MEMBERS[0]),
        (other_group, "delete", f"{base}/members/{member.pk}", None),
        (other_group, "post", base + "/candidates", {"person": member.person_id, "office": "chair"}),
        (other_group, "delete", f"{base}/candidates/{candidacy.pk}", None),
        (other_group, "post", base + "/submit", {}),
        (other_group, "post", base + "/withdraw", {}),
        (other_group, "post", base + "/congress", congress_body("2030-01-01", [member.person_id] * 3)),
        (other_group, "post", base + "/filing", {}),
    ]
    for client, method, path, body in calls:
        response = client._send(method, path, body) if body is not None else client._send(method, path)
        assert (method, path, response.status_code) == (method, path, 404)
        assert response.json() == NOT_FOUND
    assert upload(other_group, base + "/consent").json() == NOT_FOUND
    assert other_staff.get("/founding/route", enterprise=high_tech.pk).json() == NOT_FOUND
    assert other_staff.get("/founding/filings").json()["count"] == 0
    assert other_staff.get("/founding/queue").json()["count"] == 0
    assert application.filings.filter(acknowledged_at__isnull=False).count() == 0


def test_sasac_and_acfic_see_and_acknowledge_only_their_filings(world, as_user, founder, high_tech):
    private = services.open_application(
        by=world.county_staff, enterprise_id=high_tech.pk, contact_username="founder"
    )
    UserFactory(username="state_founder")
    state_owned = services.open_application(
        by=world.county_staff, enterprise_id=world.ent_s.pk, contact_username="state_founder"
    )
    private_filings = walk_to_filing(world, private, founder)
    state_filings = walk_to_filing(world, state_owned, UserFactory(username="state_founder"))
    assert set(state_filings) == {Recipient.KEXIE, Recipient.SASAC}

    sasac, acfic = as_user(world.sasac), as_user(world.acfic)
    assert [f["id"] for f in sasac.get("/founding/filings").json()["items"]] == [state_filings["sasac"].pk]
    assert [f["id"] for f in acfic.get("/founding/filings").json()["items"]] == [private_filings["acfic"].pk]
    assert sasac.post(f"/founding/filings/{private_filings['acfic'].pk}/acknowledge").json() == NOT_FOUND
    assert acfic.post(f"/founding/filings/{private_filings['kexie'].pk}/acknowledge").json() == NOT_FOUND
    # The 工商联 of another county sees nothing.
    elsewhere = UserFactory(username="acfic_jinshui")
    grant(elsewhere, Role.ACFIC_VIEWER, region=JINSHUI)
    assert as_user(elsewhere).get("/founding/filings").json() == {"count": 0, "items": []}
    assert (
        as_user(elsewhere).post(f"/founding/filings/{private_filings['acfic'].pk}/acknowledge").status_code
        == 404
    )
    # A staff viewer sees the 科协 copies but may not acknowledge.
    viewer = as_user(world.county_viewer)
    assert viewer.get("/founding/filings").json()["count"] == 2
    assert viewer.post(f"/founding/filings/{private_filings['kexie'].pk}/acknowledge").json() == FORBIDDEN

    ack = sasac.post(f"/founding/filings/{state_filings['sasac'].pk}/acknowledge")
    assert ack.status_code == 200 and ack.json()["acknowledged_by"] == str(world.sasac)
    twice = sasac.post(f"/founding/filings/{state_filings['sasac'].pk}/acknowledge")
    assert twice.status_code == 400 and "已于" in twice.json()["message"]
    assert sasac.get("/founding/filings", pending="true").json()["count"] == 0


# --- personal data ------------------------------------------------------------------------------------------


def test_phones_full_for_the_group_and_the_approvers_reviewers_masked_for_others(
    world, group, as_user, app_id
):
    fill_dossier(group, app_id)
    base = f"/founding/applications/{app_id}"

    def phones(client):
        detail = client.get(base).json()
        members = client.get(base + "/members").json()["items"]
        return (
            detail["contact_phone"],
            detail["group_members"][0]["phone"],
            detail["candidates"][0]["phone"],
            sorted(m["phone"] for m in members)[0],
            detail["phones_masked"],
        )

    full = ("13900000000", "13700000001", "13800000001", "13800000001", False)
    masked = ("139****0000", "137****0001", "138****0001", "138****0001", True)
    assert phones(group) == full
    assert phones(as_user(world.county_staff)) == masked  # no approving 科协 before submission
    assert group.post(base + "/submit").status_code == 200
    assert phones(group) == full
    assert phones(as_user(world.county_staff)) == full  # a reviewer of the approving 科协
    assert phones(as_user(world.county_viewer)) == masked  # same 科协, not a reviewer
    assert phones(as_user(world.province_staff)) == masked  # a reviewer, of another level
    assert phones(as_user(world.admin)) == masked
    text = json.dumps(as_user(world.county_viewer).get(base).json(), ensure_ascii=False)
    assert "13800000001" not in text and "13900000000" not in text


def test_routing_rules_and_route_through_the_api(world, group, as_user, app_id, high_tech):
    province = as_user(world.province_staff)
    high_tech.is_leading_private = True
    high_tech.save()
    created = province.post(
        "/founding/routing-rules",
        {"province": "410000", "flag": "is_leading_private", "target_level": "province", "reason": "头部民营企业由省科协审批", "priority": 30},
    )  # fmt: skip
    assert created.status_code == 201, created.content
    rule = created.json()
    assert rule["province_name"] == "河南省" and rule["target_level_label"] == "省级科协"
    assert [r["id"] for r in province.get("/founding/routing-rules").json()["items"]] == [rule["id"]]
    assert as_user(world.county_staff).get("/founding/routing-rules").json()["count"] == 1

    route = as_user(world.county_staff).get("/founding/route", enterprise=high_tech.pk).json()
    assert route["approver"]["id"] == local("410000").pk and route["rule"] == rule["id"]
    assert "头部民营企业由省科协审批" in route["reason"]
    detail = group.get(f"/founding/applications/{app_id}").json()
    assert detail["approver"]["id"] == local("410000").pk and detail["route_final"] is False
    fill_dossier(group, app_id)
    submitted = group.post(f"/founding/applications/{app_id}/submit").json()
    assert submitted["approver"]["id"] == local("410000").pk and submitted["route_final"] is True
    assert [a["id"] for a in province.get("/founding/queue").json()["items"]] == [app_id]
    assert as_user(world.county_staff).get("/founding/queue").json()["count"] == 0
    # The province's reviewers are the approver's now: they see phones, the county's do not.
    assert province.get(f"/founding/applications/{app_id}").json()["phones_masked"] is False
    assert as_user(world.county_staff).get(f"/founding/applications/{app_id}").json()["phones_masked"] is True

    invalid = province.post(
        "/founding/routing-rules", {"province": "410000", "target_level": "county", "reason": "x"}
    )
    assert invalid.status_code == 400 and invalid.json()["field"] == "target_level"
    hebei = RoutingRule.objects.create(
        province_id=HEBEI_COUNTY[:2] + "0000", target_level="province", reason="河北省的规则"
    )
    assert delete(province, f"/founding/routing-rules/{hebei.pk}").json() == NOT_FOUND
    assert delete(as_user(world.county_staff), f"/founding/routing-rules/{rule['id']}").status_code == 403
    assert delete(province, f"/founding/routing-rules/{rule['id']}").status_code == 204
    back = as_user(world.county_staff).get("/founding/route", enterprise=high_tech.pk).json()
    assert back["approver"]["id"] == local(ZHONGYUAN).pk and back["rule"] is None


# --- documentation ----------------------------------------------------------------------------------------


def test_openapi_documents_the_founding_paths(anonymous):
    schema = anonymous.get("/openapi.json").json()
    paths = schema["paths"]
    expected = {
        "/api/v1/founding/applications": {"get", "post"},
        "/api/v1/founding/applications/{application_id}": {"get", "patch"},
        "/api/v1/founding/applications/{application_id}/group": {"put"},
        "/api/v1/founding/applications/{application_id}/charter": {"get", "post"},
        "/api/v1/founding/applications/{application_id}/members": {"get", "post"},
        "/api/v1/founding/applications/{application_id}/members/{membership_id}": {"delete"},
        "/api/v1/founding/applications/{application_id}/candidates": {"post"},
        "/api/v1/founding/applications/{application_id}/candidates/{candidacy_id}": {"delete"},
        "/api/v1/founding/applications/{application_id}/consent": {"post"},
        "/api/v1/founding/applications/{application_id}/submit": {"post"},
        "/api/v1/founding/applications/{application_id}/withdraw": {"post"},
        "/api/v1/founding/applications/{application_id}/review": {"post"},
        "/api/v1/founding/applications/{application_id}/congress": {"post"},
        "/api/v1/founding/applications/{application_id}/filing": {"post"},
        "/api/v1/founding/filings": {"get"},
        "/api/v1/founding/filings/{filing_id}/acknowledge": {"post"},
        "/api/v1/founding/queue": {"get"},
        "/api/v1/founding/routing-rules": {"get", "post"},
        "/api/v1/founding/routing-rules/{rule_id}": {"delete"},
        "/api/v1/founding/route": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            operation = paths[path][method]
            assert any("\u4e00" <= ch <= "\u9fff" for ch in operation["summary"]), (path, method)
            assert {"400", "403", "404", "422"} <= set(operation["responses"]), (path, method)


# --- two reviewers at the same moment (PostgreSQL: real row locks across connections) -----------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions")
class TestConcurrentApproval:
    def test_two_reviewers_approving_at_once_give_one_approval(self, world, founder):
        second = UserFactory(username="zhongyuan_staff_2")
        grant(second, Role.STAFF_REVIEWER, association=local(ZHONGYUAN))
        application = services.open_application(
            by=world.county_staff,
            enterprise_id=EnterpriseFactory(region_id=ZHONGYUAN).pk,
            contact_username="founder",
        )
        complete_dossier(application, founder)
        services.submit(application.pk, by=founder)
        clients = [ApiClient(token_for(world.county_staff)), ApiClient(token_for(second))]
        barrier = threading.Barrier(len(clients))
        responses = []

        def approve(client):
            try:
                barrier.wait(timeout=10)
                responses.append(
                    client.post(f"/founding/applications/{application.pk}/review", {"action": "approve"})
                )
            finally:
                connection.close()

        threads = [threading.Thread(target=approve, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sorted(r.status_code for r in responses) == [200, 400]
        refused = next(r for r in responses if r.status_code == 400)
        assert refused.json() == {"message": "申请当前状态为“已批复”，不能执行“批复同意”。", "field": None}
        application.refresh_from_db()
        assert application.state == State.APPROVED and application.approval_number.endswith("〕1号")
        assert NumberSequence.objects.get(issuer=local(ZHONGYUAN)).last == 1
        assert ApplicationEvent.objects.filter(application=application, action="approve").count() == 1
