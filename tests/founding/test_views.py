"""The pages of the founding procedure: each renders for the right role and state, writes through the
services, shows a refusal in Chinese next to its field and writes nothing, answers 403/404 as the
permission matrix says."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kexie.associations.enums import Status
from kexie.core.models import Notification
from kexie.founding import services
from kexie.founding.enums import Recipient, State
from kexie.founding.models import (
    Candidacy,
    CharterVersion,
    Congress,
    Filing,
    FoundingApplication,
    PreparatoryGroupMember,
    RoutingRule,
)
from kexie.members.enums import MembershipStatus, Office
from kexie.members.models import Membership, Person

from ..factories import HENAN, JINSHUI, ZHONGYUAN, EnterpriseFactory, UserFactory, grant
from .conftest import MEMBERS, PDF, Role, complete_dossier, congress_data


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(name, application=None, *args):
    return reverse(f"founding:{name}", args=[application.pk, *args] if application is not None else args)


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def submitted(world, application, founder):
    people = complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    application.refresh_from_db()
    application.people = people
    return application


@pytest.fixture
def approved(world, submitted):
    services.approve(submitted.pk, by=world.county_staff, note="同意成立。")
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def filing(world, approved, founder):
    data, committee, officers = congress_data(approved, approved.people)
    services.record_congress(approved.pk, by=founder, data=data, committee=committee, officers=officers)
    services.submit_filing(approved.pk, by=founder)
    approved.refresh_from_db()
    return approved


# --- list, open, queue ----------------------------------------------------------------------------


def test_list_shows_applications_in_reach(client, world, application, founder):
    for user in (world.county_staff, world.county_viewer, world.province_staff, founder):
        client.force_login(user)
        response = client.get(url("list"))
        assert response.status_code == 200
        assert [a.pk for a in response.context["page_obj"]] == [application.pk]
        assert "郑州中原芯片科技有限公司科学技术协会" in body(response)
    client.force_login(world.other_staff)
    assert client.get(url("list")).context["page_obj"].paginator.count == 0


def test_list_filters_by_state(client, world, application):
    client.force_login(world.county_staff)
    assert client.get(url("list"), {"state": "draft"}).context["page_obj"].paginator.count == 1
    assert client.get(url("list"), {"state": "approved"}).context["page_obj"].paginator.count == 0


def test_list_bad_state_shows_chinese_message(client, world, application):
    client.force_login(world.county_staff)
    response = client.get(url("list"), {"state": "nonsense"})
    assert response.status_code == 200
    assert "状态不是有效选项" in body(response)


def test_list_htmx_returns_results_partial(client, world, application):
    client.force_login(world.county_staff)
    response = client.get(url("list"), {"state": "draft"}, HTTP_HX_REQUEST="true")
    assert "<html" not in body(response) and "郑州中原芯片科技有限公司科学技术协会" in body(response)


def test_list_open_button_only_for_reviewers(client, world, application, founder):
    client.force_login(world.county_staff)
    assert url("open") in body(client.get(url("list")))
    client.force_login(founder)
    assert url("open") not in body(client.get(url("list")))


def test_open_page_searches_enterprises_in_reach_only(client, world, high_tech):
    EnterpriseFactory(name="郑州金水芯片有限公司", region_id=JINSHUI)
    client.force_login(world.county_staff)
    response = client.get(url("open"), {"q": "芯片"})
    assert [e.name for e in response.context["choices"]] == ["郑州中原芯片科技有限公司"]


def test_open_creates_application_and_names_contact(client, world, founder, high_tech):
    client.force_login(world.county_staff)
    response = client.post(
        url("open"), {"enterprise": high_tech.pk, "contact_username": "founder", "name": ""}
    )
    application = FoundingApplication.objects.get(enterprise=high_tech)
    assert response.status_code == 302 and response["Location"] == url("detail", application)
    assert application.state == State.DRAFT
    assert application.association.name == "郑州中原芯片科技有限公司科学技术协会"
    assert founder.roles.filter(role=Role.SECRETARY, association=application.association).exists()


def test_open_joint_association_covers_enterprises_by_credit_code(client, world, founder, high_tech):
    small = EnterpriseFactory(name="郑州中原小微科技有限公司", region_id=ZHONGYUAN)
    client.force_login(world.county_staff)
    response = client.post(
        url("open"),
        {
            "enterprise": high_tech.pk,
            "contact_username": "founder",
            "joint_kind": "regional",
            "covered": small.credit_code,
        },
    )
    assert response.status_code == 302
    association = FoundingApplication.objects.get(enterprise=high_tech).association
    assert set(association.covered_enterprises.values_list("pk", flat=True)) == {high_tech.pk, small.pk}


def test_open_unknown_covered_code_shows_error_and_writes_nothing(client, world, founder, high_tech):
    other = EnterpriseFactory(name="郑州金水小微有限公司", region_id=JINSHUI)
    client.force_login(world.county_staff)
    response = client.post(
        url("open"),
        {
            "enterprise": high_tech.pk,
            "contact_username": "founder",
            "joint_kind": "regional",
            "covered": other.credit_code,
        },
    )
    assert response.status_code == 200
    assert "不在您可查看的企业中" in body(response)
    assert not FoundingApplication.objects.exists()


def test_open_unknown_contact_shows_error_and_writes_nothing(client, world, high_tech):
    client.force_login(world.county_staff)
    response = client.post(url("open"), {"enterprise": high_tech.pk, "contact_username": "nosuchuser"})
    assert response.status_code == 200
    assert "联系人账号“nosuchuser”不存在" in body(response)
    assert response.context["form"].errors["contact_username"]
    assert not FoundingApplication.objects.exists()


def test_open_without_enterprise_asks_to_choose(client, world, founder):
    client.force_login(world.county_staff)
    response = client.post(url("open"), {"contact_username": "founder"})
    assert "请先搜索并选择企业" in body(response)
    assert not FoundingApplication.objects.exists()


def test_open_second_application_refused_next_to_enterprise(client, world, application, high_tech):
    client.force_login(world.county_staff)
    response = client.post(url("open"), {"enterprise": high_tech.pk, "contact_username": "founder"})
    assert "不能重复筹建" in body(response)
    assert FoundingApplication.objects.count() == 1


@pytest.mark.parametrize("persona", ["county_viewer", "secretary", "acfic"])
def test_open_by_non_reviewer_is_forbidden(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(url("open")).status_code == 403


def test_queue_lists_waiting_applications_and_flags_overdue(client, world, submitted, settings):
    client.force_login(world.county_staff)
    response = client.get(url("queue"))
    [item] = response.context["items"]
    assert item.application.pk == submitted.pk and not item.overdue
    assert 'class="overdue"' not in body(response)
    waited = settings.KEXIE_REVIEW_OVERDUE_DAYS + 3
    FoundingApplication.objects.filter(pk=submitted.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=waited)
    )
    response = client.get(url("queue"))
    [item] = response.context["items"]
    assert item.overdue and item.age_days == waited
    assert 'class="overdue"' in body(response) and "超期" in body(response)


def test_queue_of_other_county_reviewer_is_empty(client, world, submitted):
    client.force_login(world.other_staff)
    assert client.get(url("queue")).context["items"] == []


def test_queue_for_viewer_is_forbidden(client, world):
    client.force_login(world.county_viewer)
    assert client.get(url("queue")).status_code == 403


# --- detail --------------------------------------------------------------------------------------


def test_detail_draft_shows_missing_parts_route_and_edit_links(client, world, application, founder):
    client.force_login(founder)
    response = client.get(url("detail", application))
    text = body(response)
    assert response.status_code == 200
    for part in ("尚未登记筹备组成员", "尚未上传企业党组织或管理层的同意文件", "尚未登记会员"):
        assert part in text
    # a draft shows the route it would take
    assert "中原区科学技术协会" in text and "预计" in text and "默认由企业注册地所在县" in text
    for name in ("edit", "group", "consent"):
        assert url(name, application) in text
    assert url("submit", application) in text
    steps = {s["key"]: s["status"] for s in response.context["steps"]}
    assert steps["charter"] == "done" and steps["group"] == "current" and steps["filing"] == "todo"


def test_detail_for_staff_has_no_edit_links_or_review_before_submission(client, world, application):
    client.force_login(world.county_staff)
    text = body(client.get(url("detail", application)))
    assert url("edit", application) not in text and url("submit", application) not in text
    assert 'id="review"' not in text


def test_detail_links_every_document_available(client, world, application, approved):
    client.force_login(world.county_staff)
    text = body(client.get(url("detail", approved)))
    for document, fmt in (
        ("application", "docx"),
        ("report", "pdf"),
        ("candidates", "xlsx"),
        ("members", "xlsx"),
        ("form", "docx"),
        ("charter", "pdf"),
        ("approval", "pdf"),
    ):
        assert reverse("founding:document", args=[approved.pk, document, fmt]) in text
    assert (
        reverse("founding:document", args=[approved.pk, "filing", "pdf"]) not in text
    )  # before the congress
    assert reverse("founding:dossier", args=[approved.pk]) in text


def test_detail_other_county_is_404_and_member_403(client, world, application):
    client.force_login(world.other_staff)
    assert client.get(url("detail", application)).status_code == 404
    client.force_login(world.member)
    assert client.get(url("detail", application)).status_code == 403
    client.force_login(world.county_staff)
    assert client.get(reverse("founding:detail", args=[10**6])).status_code == 404


def test_detail_masks_contact_phone(client, world, application, founder):
    services.update_dossier(application.pk, by=founder, data={"contact_phone": "13912345678"})
    client.force_login(world.county_staff)
    text = body(client.get(url("detail", application)))
    assert "139****5678" in text and "13912345678" not in text


# --- editing the dossier -----------------------------------------------------------------------------


def test_edit_saves_dossier_through_service(client, application, founder):
    client.force_login(founder)
    response = client.post(
        url("edit", application),
        {
            "name": "芯片科协",
            "contact_name": "刘筹备",
            "contact_phone": "13912345678",
            "party_organization": "公司党委",
            "preparatory_report": "筹备工作报告正文。",
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.association.name == "芯片科协"
    assert application.party_organization == "公司党委" and application.contact_phone == "13912345678"


def test_edit_empty_phone_keeps_stored_phone(client, application, founder):
    services.update_dossier(application.pk, by=founder, data={"contact_phone": "13912345678"})
    client.force_login(founder)
    response = client.get(url("edit", application))
    assert "13912345678" not in body(response) and "139****5678" in body(response)
    client.post(url("edit", application), {"name": "芯片科协", "contact_name": "刘", "contact_phone": ""})
    application.refresh_from_db()
    assert application.contact_phone == "13912345678"


def test_edit_bad_phone_shows_chinese_error_and_writes_nothing(client, application, founder):
    client.force_login(founder)
    response = client.post(
        url("edit", application), {"name": "芯片科协", "contact_name": "改名", "contact_phone": "12345"}
    )
    assert response.status_code == 200
    assert "电话“12345”格式不正确" in str(response.context["form"].errors["contact_phone"])
    application.refresh_from_db()
    assert application.contact_name != "改名" and application.association.name != "芯片科协"


def test_edit_by_staff_is_forbidden_and_other_secretary_404(client, world, application):
    client.force_login(world.county_staff)
    assert client.get(url("edit", application)).status_code == 403
    client.force_login(world.secretary)  # secretary of another 科协
    assert client.get(url("edit", application)).status_code == 404


def test_edit_after_submission_refused_with_reason(client, submitted, founder):
    client.force_login(founder)
    response = client.post(url("edit", submitted), {"name": "新名称", "contact_name": "刘"})
    assert "材料不能再修改" in body(response)
    submitted.refresh_from_db()
    assert submitted.association.name != "新名称"


def group_post(rows, leader, **extra):
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": "0", "leader": str(leader), **extra}
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def test_group_saves_rows_with_the_chosen_leader(client, application, founder):
    client.force_login(founder)
    rows = [
        {"name": "张伟", "position": "总经理", "phone": "13800000001"},
        {"name": "李娜", "position": "经理"},
        {"name": "", "position": ""},
    ]
    response = client.post(url("group", application), group_post(rows, 1))
    assert response.status_code == 302
    members = {m.name: m for m in PreparatoryGroupMember.objects.filter(application=application)}
    assert set(members) == {"张伟", "李娜"}
    assert members["李娜"].is_leader and not members["张伟"].is_leader
    application.refresh_from_db()
    assert application.group_leader == "李娜"


def test_group_empty_phone_keeps_the_stored_one(client, application, founder):
    services.set_group_members(
        application.pk, by=founder, members=[{"name": "张伟", "phone": "13800000001", "is_leader": True}]
    )
    stored = application.group_members.get()
    client.force_login(founder)
    page = body(client.get(url("group", application)))
    assert "13800000001" not in page and "138****0001" in page
    client.post(
        url("group", application),
        group_post([{"member": stored.pk, "name": "张伟", "position": "董事长"}], 0),
    )
    member = application.group_members.get()
    assert member.phone == "13800000001" and member.position == "董事长"


def test_group_add_row_writes_nothing_and_shows_one_more_row(client, application, founder):
    client.force_login(founder)
    response = client.post(url("group", application), group_post([{"name": "张伟"}], 0, add_row="1"))
    assert response.status_code == 200
    assert response.context["formset"].total_form_count() == 2
    assert not PreparatoryGroupMember.objects.exists()


def test_group_without_leader_shows_chinese_error_and_writes_nothing(client, application, founder):
    client.force_login(founder)
    response = client.post(url("group", application), group_post([{"name": "张伟"}, {"name": "李娜"}], ""))
    assert response.status_code == 200
    assert "筹备组须有且只有一名组长" in body(response)
    assert not PreparatoryGroupMember.objects.exists()


def test_consent_upload_is_stored_and_served_only_in_scope(client, world, application, founder):
    client.force_login(founder)
    response = client.post(url("consent", application), {"file": SimpleUploadedFile("同意.pdf", PDF)})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.consent_document.name.endswith(".pdf")
    for user in (founder, world.county_staff, world.county_viewer):
        client.force_login(user)
        served = client.get(url("consent_file", application))
        assert served.status_code == 200
        assert b"".join(served.streaming_content) == PDF
        assert served["Content-Disposition"].startswith("attachment")
        assert served["X-Content-Type-Options"] == "nosniff"
    client.force_login(world.other_staff)
    assert client.get(url("consent_file", application)).status_code == 404
    client.force_login(world.secretary)
    assert client.get(url("consent_file", application)).status_code == 404
    client.force_login(world.acfic)
    assert client.get(url("consent_file", application)).status_code == 403


def test_consent_file_absent_is_404(client, world, application):
    client.force_login(world.county_staff)
    assert client.get(url("consent_file", application)).status_code == 404


def test_consent_wrong_type_refused_with_chinese_message(client, application, founder):
    client.force_login(founder)
    response = client.post(url("consent", application), {"file": SimpleUploadedFile("同意.pdf", b"<html>")})
    assert response.status_code == 200
    assert "文件内容与扩展名“.pdf”不符" in body(response)
    response = client.post(url("consent", application), {"file": SimpleUploadedFile("同意.exe", b"MZ")})
    assert "只能是 PDF、PNG 或 JPG 格式" in body(response)
    application.refresh_from_db()
    assert not application.consent_document


def test_charter_save_creates_a_version_and_lists_versions(client, application, founder):
    client.force_login(founder)
    current = application.charters.get()
    response = client.post(
        url("charter", application), {"text": current.text + "\n第十八条 本章程自通过之日起施行。"}
    )
    assert response.status_code == 302
    assert list(CharterVersion.objects.filter(application=application).values_list("version", flat=True)) == [
        2,
        1,
    ]
    page = body(client.get(url("charter", application)))
    assert "第 2 版" in page and "第 1 版" in page and "第十八条" in page
    old = client.get(url("charter", application), {"version": 1})
    assert old.context["shown"].version == 1 and "第十八条" not in old.context["shown"].text


def test_charter_unchanged_makes_no_new_version(client, application, founder):
    client.force_login(founder)
    client.post(url("charter", application), {"text": application.charters.get().text})
    assert application.charters.count() == 1


def test_charter_too_short_refused_and_nothing_written(client, application, founder):
    client.force_login(founder)
    response = client.post(url("charter", application), {"text": "太短"})
    assert response.status_code == 200
    assert "章程内容过短" in body(response)
    assert application.charters.count() == 1


def test_charter_readable_by_staff_but_not_writable(client, world, application):
    client.force_login(world.county_viewer)
    response = client.get(url("charter", application))
    assert response.status_code == 200 and "<textarea" not in body(response)
    assert client.post(url("charter", application), {"text": "x" * 200}).status_code == 403
    assert application.charters.count() == 1


# --- members and candidates ---------------------------------------------------------------------------


def member_data(**overrides):
    return {
        **MEMBERS[0],
        "sex": "M",
        "education": "master",
        "political": "cpc",
        "title_level": "senior",
        "birth_month": "1975-03",
        **overrides,
    }


def test_members_add_one_and_show_phone_masked(client, world, application, founder):
    client.force_login(founder)
    response = client.post(url("members", application), member_data())
    assert response.status_code == 302
    person = Person.objects.get(name="张伟")
    assert person.birth_month == "1975-03" and person.education == "master"
    assert Membership.objects.filter(
        person=person, association=application.association, status=MembershipStatus.FOUNDING
    ).exists()
    for user in (founder, world.county_staff):
        client.force_login(user)
        page = body(client.get(url("members", application)))
        assert "张伟" in page and "138****0001" in page and "13800000001" not in page


def test_members_bad_row_shows_every_error_and_writes_nothing(client, application, founder):
    client.force_login(founder)
    response = client.post(url("members", application), member_data(name="", birth_month="明年", phone="123"))
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert "姓名不能为空" in str(errors["name"])
    assert "出生年月“明年”无法识别" in str(errors["birth_month"])
    assert "格式不正确" in str(errors["phone"])
    assert not Person.objects.exists()


def test_members_htmx_add_returns_the_panel(client, application, founder):
    client.force_login(founder)
    response = client.post(url("members", application), member_data(name=""), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="members-panel"' in body(response)


def test_members_duplicate_refused_next_to_name(client, application, founder):
    client.force_login(founder)
    client.post(url("members", application), member_data())
    response = client.post(url("members", application), member_data())
    assert "会员“张伟”已在筹备名单中" in str(response.context["form"].errors["name"])
    assert Person.objects.count() == 1


def test_member_remove_deletes_membership_and_candidacy(client, application, founder):
    people = complete_dossier(application, founder)
    membership = application.association.memberships.get(person=people[0])
    client.force_login(founder)
    response = client.post(url("member_remove", application, membership.pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not Candidacy.objects.filter(application=application, person=people[0]).exists()


def test_member_remove_requires_post_and_edit_right(client, world, application, founder):
    people = complete_dossier(application, founder)
    membership = application.association.memberships.get(person=people[0])
    client.force_login(founder)
    assert client.get(url("member_remove", application, membership.pk)).status_code == 405
    client.force_login(world.county_staff)
    assert client.post(url("member_remove", application, membership.pk)).status_code == 403
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_members_import_shows_created_and_refused_rows(client, application, founder):
    csv = "姓名,性别,出生年月,文化程度,政治面貌,职称,职务,电话\n张伟,男,1975-03,硕士研究生,中共党员,正高级,总经理,13800000001\n,女,1980-01,本科,群众,中级,工程师,13800000002\n"
    client.force_login(founder)
    response = client.post(
        url("members_import", application), {"file": SimpleUploadedFile("名单.csv", csv.encode())}
    )
    assert response.status_code == 200
    result = response.context["result"]
    assert result.created == 1 and result.errors
    assert 'class="responsive import-errors"' in body(response)
    assert application.association.memberships.filter(person__name="张伟").exists()


def test_members_import_without_file_asks_for_one(client, application, founder):
    client.force_login(founder)
    response = client.post(url("members_import", application), {})
    assert "请选择要上传的文件" in body(response)


def test_candidates_nominate_and_show_summary_fields(client, world, application, founder):
    client.force_login(founder)
    for row in MEMBERS[:2]:
        services.add_founding_member(application.pk, by=founder, data=row)
    chair = Person.objects.get(name="张伟")
    response = client.post(url("candidates", application), {"person": chair.pk, "office": Office.CHAIR})
    assert response.status_code == 302
    assert Candidacy.objects.filter(application=application, person=chair, office=Office.CHAIR).exists()
    client.force_login(world.county_staff)
    page = body(client.get(url("candidates", application)))
    assert "张伟" in page and "主席" in page and "总经理" in page and "138****0001" in page
    assert f'<td data-label="年龄">{chair.age}</td>' in page
    assert "13800000001" not in page


def test_candidates_second_chair_refused_next_to_office(client, application, founder):
    for row in MEMBERS[:2]:
        services.add_founding_member(application.pk, by=founder, data=row)
    first, second = Person.objects.get(name="张伟"), Person.objects.get(name="李娜")
    services.set_candidacy(application.pk, by=founder, person_id=first.pk, office=Office.CHAIR)
    client.force_login(founder)
    response = client.post(url("candidates", application), {"person": second.pk, "office": Office.CHAIR})
    assert "主席候选人只能有一名，已提名“张伟”" in str(response.context["form"].errors["office"])
    assert application.candidacies.count() == 1


def test_candidates_warn_when_no_vice_chair(client, application, founder):
    services.add_founding_member(application.pk, by=founder, data=MEMBERS[2])
    person = Person.objects.get(name="王强")
    services.set_candidacy(application.pk, by=founder, person_id=person.pk, office=Office.CHAIR)
    client.force_login(founder)
    page = body(client.get(url("candidates", application)))
    assert "未提名副主席候选人" in page and "通常由企业负责人或分管科技的领导担任" in page


def test_candidate_remove(client, application, founder):
    complete_dossier(application, founder)
    candidacy = application.candidacies.first()
    client.force_login(founder)
    assert client.post(url("candidate_remove", application, candidacy.pk)).status_code == 302
    assert not Candidacy.objects.filter(pk=candidacy.pk).exists()


# --- submit, review, withdraw -----------------------------------------------------------------------


def test_submit_incomplete_shows_every_missing_part_and_stays_draft(client, application, founder):
    client.force_login(founder)
    response = client.post(url("submit", application))
    text = body(response)
    assert response.status_code == 200 and "申请未能提交" in text
    for part in (
        "尚未登记筹备组成员",
        "尚未上传企业党组织或管理层的同意文件",
        "尚未填写筹备工作报告",
        "尚未登记会员",
        "主席候选人须有且只有一名",
        "秘书长候选人须有且只有一名",
    ):
        assert part in text
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_submit_complete_routes_and_notifies(client, world, application, founder):
    complete_dossier(application, founder)
    client.force_login(founder)
    response = client.post(url("submit", application))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.approver.region_id == ZHONGYUAN
    assert Notification.objects.filter(user=world.county_staff, url=url("detail", application)).exists()


def test_review_buttons_follow_state_and_reviewer(client, world, submitted):
    client.force_login(world.county_staff)
    text = body(client.get(url("detail", submitted)))
    for action in ("pre_review", "return", "reject", "approve"):
        assert url("review", submitted, action) in text
    client.force_login(world.county_viewer)
    assert 'id="review"' not in body(client.get(url("detail", submitted)))
    client.force_login(world.province_staff)  # sees it, but the county approves
    assert 'id="review"' not in body(client.get(url("detail", submitted)))


def test_review_return_without_comment_refused_next_to_comment(client, world, submitted):
    client.force_login(world.county_staff)
    response = client.post(url("review", submitted, "return"), {"comment": "  "})
    assert response.status_code == 200
    assert "退回时须写明需要修改的内容" in str(response.context["review_form"].errors["comment"])
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_review_return_with_comment_is_shown_to_the_founder(client, world, submitted, founder):
    client.force_login(world.county_staff)
    response = client.post(url("review", submitted, "return"), {"comment": "请补充主要科技成果。"})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == State.RETURNED
    client.force_login(founder)
    text = body(client.get(url("detail", submitted)))
    assert "请补充主要科技成果。" in text and "重新提交申请" in text
    assert url("edit", submitted) in text


def test_review_pre_review_then_reject_with_reason(client, world, submitted):
    client.force_login(world.county_staff)
    client.post(url("review", submitted, "pre_review"))
    submitted.refresh_from_db()
    assert submitted.state == State.PRE_REVIEW
    client.post(url("review", submitted, "reject"), {"comment": "不符合条件。"})
    submitted.refresh_from_db()
    assert submitted.state == State.REJECTED and submitted.association.status == Status.ABANDONED
    assert submitted.events.last().comment == "不符合条件。"


def test_review_approve_shows_the_number(client, world, submitted):
    client.force_login(world.county_staff)
    response = client.post(url("review", submitted, "approve"), {"comment": "同意成立。"}, follow=True)
    submitted.refresh_from_db()
    year = timezone.localdate().year
    assert submitted.state == State.APPROVED and submitted.approval_number == f"中原科协函〔{year}〕1号"
    assert f"中原科协函〔{year}〕1号" in body(response) and "同意成立。" in body(response)


def test_review_in_wrong_state_refused_with_reason(client, world, approved):
    client.force_login(world.county_staff)
    response = client.post(url("review", approved, "approve"), follow=True)
    assert "不能执行“批复同意”" in body(response)
    approved.refresh_from_db()
    assert approved.approval_number.endswith("〕1号")


def test_review_by_reviewer_of_another_level_is_403_with_reason(client, world, submitted):
    client.force_login(world.province_staff)
    response = client.post(url("review", submitted, "approve"))
    assert response.status_code == 403
    assert "该申请由中原区科学技术协会审批，您无权审核" in body(response)
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


@pytest.mark.parametrize(("persona", "code"), [("county_viewer", 403), ("other_staff", 404), ("acfic", 403)])
def test_review_refused_for_other_personas(client, world, submitted, persona, code):
    client.force_login(getattr(world, persona))
    assert client.post(url("review", submitted, "approve")).status_code == code
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


def test_review_by_founder_is_forbidden(client, submitted, founder):
    client.force_login(founder)
    assert client.post(url("review", submitted, "approve")).status_code == 403


def test_review_unknown_action_is_404(client, world, submitted):
    client.force_login(world.county_staff)
    assert client.post(url("review", submitted, "bless")).status_code == 404


def test_withdraw_abandons_the_association(client, application, founder):
    client.force_login(founder)
    assert client.post(url("withdraw", application)).status_code == 302
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN and application.association.status == Status.ABANDONED


def test_withdraw_after_submission_refused_with_reason(client, submitted, founder):
    client.force_login(founder)
    response = client.post(url("withdraw", submitted), follow=True)
    assert "不能执行“撤回申请”" in body(response)
    submitted.refresh_from_db()
    assert submitted.state == State.SUBMITTED


# --- congress and filing -----------------------------------------------------------------------------


def congress_post(application, people, **overrides):
    date = application.approval_date.isoformat()
    data = {
        "held_on": date,
        "committee_meeting_on": date,
        "place": "公司报告厅",
        "members_total": "4",
        "members_present": "4",
        "approval_read": "on",
        "charter_adopted": "on",
    }
    for person in people:
        data[f"committee-{person.pk}-votes_for"] = "4"
    offices = [Office.CHAIR, Office.VICE_CHAIR, Office.SECRETARY_GENERAL]
    for person, office in zip(people, offices, strict=False):
        data[f"officers-{person.pk}-office"] = office
        data[f"officers-{person.pk}-votes_for"] = "4"
    data.update(overrides)
    return data


def test_congress_page_before_approval_has_no_form(client, submitted, founder):
    client.force_login(founder)
    response = client.get(url("congress", submitted))
    assert response.status_code == 200 and 'id="congress-form"' not in body(response)
    assert "批复后才能登记成立大会" in body(response)


def test_congress_form_prefills_offices_from_candidacies(client, approved, founder):
    client.force_login(founder)
    response = client.get(url("congress", approved))
    offices = {row["person"].name: row["office"] for row in response.context["officer_rows"]}
    assert offices == {
        "张伟": Office.CHAIR,
        "李娜": Office.VICE_CHAIR,
        "王强": Office.SECRETARY_GENERAL,
        "赵敏": "",
    }


def test_congress_records_results_and_filing_goes_out(client, world, approved, founder):
    client.force_login(founder)
    response = client.post(url("congress", approved), congress_post(approved, approved.people))
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.state == State.CONGRESS_HELD
    congress = Congress.objects.get(application=approved)
    assert congress.results.filter(stage="committee", elected=True).count() == 4
    assert congress.results.get(stage="officers", office=Office.CHAIR).person.name == "张伟"
    page = body(client.get(url("detail", approved)))
    assert url("submit_filing", approved) in page
    assert client.post(url("submit_filing", approved)).status_code == 302
    assert set(Filing.objects.filter(application=approved).values_list("recipient", flat=True)) == {
        Recipient.KEXIE,
        Recipient.ACFIC,
    }


def test_congress_without_quorum_refused_and_nothing_written(client, approved, founder):
    client.force_login(founder)
    response = client.post(
        url("congress", approved), congress_post(approved, approved.people, members_present="2")
    )
    assert response.status_code == 200
    assert "实到会员不足应到会员的三分之二" in body(response)
    # what was typed is shown again
    assert response.context["committee_rows"][0]["votes_for"] == "4"
    approved.refresh_from_db()
    assert approved.state == State.APPROVED and not Congress.objects.exists()


def test_congress_without_chair_elected_refused(client, approved, founder):
    people = approved.people
    data = congress_post(approved, people, **{f"officers-{people[0].pk}-office": ""})
    client.force_login(founder)
    response = client.post(url("congress", approved), data)
    assert "委员会须选出一名主席" in body(response)
    assert not Congress.objects.exists()


def test_congress_by_staff_is_forbidden(client, world, approved):
    client.force_login(world.county_staff)
    assert client.post(url("congress", approved), congress_post(approved, approved.people)).status_code == 403


# --- filings inbox ------------------------------------------------------------------------------------


def test_filings_inbox_per_recipient(client, world, filing):
    client.force_login(world.acfic)
    response = client.get(url("filings"))
    [shown] = response.context["page_obj"]
    assert shown.recipient == Recipient.ACFIC and shown.can_ack
    # the 工商联 gets the 备案表 through its own filing, not through the founding file it cannot open
    assert reverse("founding:filing_document", args=[shown.pk, "pdf"]) in body(response)
    assert url("detail", filing) not in body(response)
    client.force_login(world.county_staff)
    response = client.get(url("filings"))
    [shown] = response.context["page_obj"]
    assert shown.recipient == Recipient.KEXIE and shown.can_ack
    assert reverse("founding:filing_document", args=[shown.pk, "pdf"]) in body(response)
    assert url("detail", filing) in body(response)
    client.force_login(world.county_viewer)
    [shown] = client.get(url("filings")).context["page_obj"]
    assert not shown.can_ack
    client.force_login(world.sasac)
    assert list(client.get(url("filings")).context["page_obj"]) == []


def test_filings_pending_come_first(client, world, filing):
    kexie = Filing.objects.get(application=filing, recipient=Recipient.KEXIE)
    services.acknowledge_filing(kexie.pk, by=world.county_staff)
    other = EnterpriseFactory(name="郑州中原第二科技有限公司", region_id=ZHONGYUAN, ownership="private")
    founder2 = UserFactory(username="founder2")
    second = services.open_application(
        by=world.county_staff, enterprise_id=other.pk, contact_username="founder2"
    )
    people = complete_dossier(second, founder2)
    services.submit(second.pk, by=founder2)
    services.approve(second.pk, by=world.county_staff)
    second.refresh_from_db()
    data, committee, officers = congress_data(second, people)
    services.record_congress(second.pk, by=founder2, data=data, committee=committee, officers=officers)
    services.submit_filing(second.pk, by=founder2)
    Filing.objects.filter(application=second).update(
        submitted_at=timezone.now() - datetime.timedelta(days=30)
    )
    client.force_login(world.county_staff)
    shown = list(client.get(url("filings")).context["page_obj"])
    assert [f.acknowledged_at is None for f in shown] == [True, False]
    pending = client.get(url("filings"), {"pending": "1"}).context["page_obj"]
    assert [f.application_id for f in pending] == [second.pk]


def test_acknowledge_both_filings_founds_the_association(client, world, filing):
    client.force_login(world.acfic)
    acfic = Filing.objects.get(application=filing, recipient=Recipient.ACFIC)
    assert client.post(url("filing_ack", None, acfic.pk)).status_code == 302
    acfic.refresh_from_db()
    assert acfic.acknowledged_by == world.acfic
    client.force_login(world.county_staff)
    kexie = Filing.objects.get(application=filing, recipient=Recipient.KEXIE)
    client.post(url("filing_ack", None, kexie.pk))
    filing.refresh_from_db()
    assert filing.state == State.FILED and filing.association.status == Status.ACTIVE
    assert "已备案" in body(client.get(url("detail", filing)))


def test_acknowledge_twice_refused_with_reason(client, world, filing):
    acfic = Filing.objects.get(application=filing, recipient=Recipient.ACFIC)
    client.force_login(world.acfic)
    client.post(url("filing_ack", None, acfic.pk))
    response = client.post(url("filing_ack", None, acfic.pk), follow=True)
    assert "该备案已于" in body(response)


def test_acknowledge_out_of_reach_is_404(client, world, filing):
    acfic = Filing.objects.get(application=filing, recipient=Recipient.ACFIC)
    other_acfic = UserFactory(username="acfic_jinshui")
    grant(other_acfic, Role.ACFIC_VIEWER, region=JINSHUI)
    for user in (other_acfic, world.sasac, world.county_staff):
        client.force_login(user)
        assert client.post(url("filing_ack", None, acfic.pk)).status_code == 404
    client.force_login(world.county_viewer)
    assert client.post(url("filing_ack", None, acfic.pk)).status_code == 403
    acfic.refresh_from_db()
    assert acfic.acknowledged_at is None


# --- routing rules ------------------------------------------------------------------------------------


def test_routing_province_staff_adds_and_deletes_rule(client, world):
    client.force_login(world.province_staff)
    page = body(client.get(url("routing")))
    assert "由企业注册地所在县（区）科协审批" in page
    response = client.post(
        url("routing"),
        {
            "province": HENAN,
            "ownership": "provincial",
            "flag": "",
            "target_level": "province",
            "priority": "10",
            "reason": "省管企业由省科协审批",
        },
    )
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert (rule.province_id, rule.ownership, rule.target_level, rule.priority) == (
        HENAN,
        "provincial",
        "province",
        10,
    )
    assert "省管企业由省科协审批" in body(client.get(url("routing")))
    assert client.post(url("routing_delete", None, rule.pk)).status_code == 302
    assert not RoutingRule.objects.exists()


def test_routing_rule_without_condition_refused_with_reason(client, world):
    client.force_login(world.province_staff)
    response = client.post(
        url("routing"), {"province": HENAN, "target_level": "county", "priority": "5", "reason": "默认"}
    )
    assert response.status_code == 200 and "即默认规则，无需添加" in body(response)
    assert not RoutingRule.objects.exists()


def test_routing_county_staff_sees_rules_but_cannot_change_them(client, world):
    rule = services.add_routing_rule(
        by=world.province_staff,
        province_code=HENAN,
        ownership="provincial",
        flag="",
        target_level="province",
        reason="省管企业由省科协审批",
    )
    client.force_login(world.county_staff)
    response = client.get(url("routing"))
    assert "省管企业由省科协审批" in body(response) and response.context["provinces"] == []
    response = client.post(url("routing_delete", None, rule.pk))
    assert response.status_code == 403 and "只有省级科协工作人员" in body(response)
    assert RoutingRule.objects.filter(pk=rule.pk).exists()


def test_routing_rule_changes_route_shown_on_draft(client, world, founder):
    state_owned = EnterpriseFactory(name="河南省管示范集团", region_id=ZHONGYUAN, ownership="provincial")
    application = services.open_application(
        by=world.county_staff, enterprise_id=state_owned.pk, contact_username="founder"
    )
    services.add_routing_rule(
        by=world.province_staff,
        province_code=HENAN,
        ownership="provincial",
        flag="",
        target_level="province",
        reason="省管企业由省科协审批",
        priority=10,
    )
    client.force_login(founder)
    text = body(client.get(url("detail", application)))
    assert "河南省科学技术协会" in text and "省管企业由省科协审批" in text


# --- history and notifications -----------------------------------------------------------------------


def test_history_lists_audit_entries(client, world, submitted):
    client.force_login(world.county_staff)
    response = client.get(url("history", submitted))
    assert response.status_code == 200 and response.context["page_obj"].paginator.count >= 3


def test_notifications_inbox_unread_first_and_nav_count(client, world, application, founder):
    older = Notification.objects.create(user=founder, text="旧通知", url="/founding/")
    Notification.objects.filter(pk=older.pk).update(read_at=timezone.now())
    Notification.objects.create(user=world.county_staff, text="别人的通知")
    client.force_login(founder)
    response = client.get(reverse("core:notifications"))
    items = list(response.context["page_obj"])
    assert [n.text for n in items][-1] == "旧通知" and items[0].read_at is None
    assert "别人的通知" not in body(response)
    assert 'class="unread-count"' in body(response)
    assert client.post(reverse("core:notifications_read")).status_code == 302
    assert not Notification.objects.filter(user=founder, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=world.county_staff, read_at__isnull=True).exists()
    assert 'class="unread-count"' not in body(client.get(reverse("core:notifications")))


def test_notification_open_marks_read_and_follows_local_url(client, world, application, founder):
    notification = Notification.objects.get(user=founder)
    client.force_login(founder)
    response = client.post(reverse("core:notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == url("detail", application)
    notification.refresh_from_db()
    assert notification.read_at is not None
    evil = Notification.objects.create(user=founder, text="外部链接", url="https://evil.example/")
    response = client.post(reverse("core:notification_open", args=[evil.pk]))
    assert response["Location"] == reverse("core:notifications")
    client.force_login(world.county_staff)
    assert client.post(reverse("core:notification_open", args=[evil.pk])).status_code == 404


def test_nav_links_follow_permissions(client, world):
    client.force_login(world.county_staff)
    page = body(client.get(reverse("home")))
    for name in ("list", "queue", "filings"):
        assert f'href="{url(name)}"' in page
    client.force_login(world.acfic)
    page = body(client.get(reverse("home")))
    assert f'href="{url("filings")}"' in page
    assert f'href="{url("queue")}"' not in page and f'href="{url("list")}"' not in page
    assert reverse("core:notifications") in page
