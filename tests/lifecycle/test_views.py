"""Pages of an association's later life: the panel on the detail page, the secretary's forms, the
supervising staff's actions and lists. Outcomes are asserted on the rows written (or not)."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from kexie.associations.enums import Status
from kexie.core.dates import years_after
from kexie.lifecycle import permissions as lifecycle_permissions
from kexie.lifecycle import services
from kexie.lifecycle.enums import DissolutionState, ReportStatus
from kexie.lifecycle.models import Dissolution, OfficerChange, Renewal, WorkReport
from kexie.members.enums import MembershipStatus, Office
from kexie.members.models import Membership, OfficeTerm, Person
from tests.factories import AssociationFactory, EnterpriseFactory

REPORT = "本年度计划开展技术交流活动六次、科普开放日两次、职工技术创新成果评选一次。"


def found(world, association=None, *, founded_on=datetime.date(2021, 6, 1)):
    """Association A (or the one given), founded 2021-06-01 with 张伟 as 主席 and 李娜 as 秘书长, and 王强."""
    association = association or world.assoc_a
    association.founded_on = founded_on
    association.save()
    people = {}
    for name in ("张伟", "李娜", "王强"):
        person = Person.objects.create(name=name, enterprise=association.enterprise)
        people[name] = Membership.objects.create(
            person=person, association=association, status=MembershipStatus.APPROVED, joined_on=founded_on
        )
    end = years_after(founded_on, association.term_years)
    OfficeTerm.objects.create(membership=people["张伟"], office=Office.CHAIR, start=founded_on, end=end)
    OfficeTerm.objects.create(
        membership=people["李娜"], office=Office.SECRETARY_GENERAL, start=founded_on, end=end
    )
    return association, people


@pytest.fixture
def founded(world):
    return found(world)


def client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def detail(association) -> str:
    return reverse("associations:detail", args=[association.pk])


def life(name, association, *args) -> str:
    return reverse(f"lifecycle:{name}", args=[association.pk, *args])


def html(response) -> str:
    return response.content.decode()


# --- the panel --------------------------------------------------------------------------------------


def test_panel_shows_term_officers_and_secretary_actions(world, founded):
    association, _ = founded
    page = html(client(world.secretary).get(detail(association)))
    assert "任期与负责人" in page and "2021-06-01 — 2026-06-01" in page
    assert "张伟" in page and "李娜" in page
    assert life("report_new", association) in page and life("officer_change", association) in page
    assert life("renewal", association) in page and life("dissolution_propose", association) in page


def test_panel_read_only_for_member_and_viewer(world, founded):
    association, _ = founded
    services.submit_work_report(association.pk, by=world.secretary, year=2026, kind="plan", text=REPORT)
    for user in (world.member, world.county_viewer):
        page = html(client(user).get(detail(association)))
        assert "年度工作计划" in page and "张伟" in page
        assert life("report_new", association) not in page
        assert life("officer_change", association) not in page
        assert "审阅</a>" not in page  # only "查看"


def test_panel_not_on_a_local_association(world):
    page = html(client(world.county_staff).get(detail(world.assoc_a.parent)))
    assert "任期与负责人" not in page


def test_officers_on_a_past_day(world):
    today = datetime.date.today()
    founded_on = today - datetime.timedelta(days=730)  # the term runs three more years
    association, people = found(world, founded_on=founded_on)
    services.change_officer(
        association.pk,
        by=world.secretary,
        office=Office.CHAIR,
        person_id=people["王强"].person_id,
        decided_on=founded_on + datetime.timedelta(days=365),
        reason="原主席工作调动",
    )
    c = client(world.county_staff)
    day = founded_on + datetime.timedelta(days=180)
    page = html(c.get(detail(association), {"officers_on": day.isoformat()}))
    on_day = page.split(f"{day.isoformat()} 在任", 1)[1].split("</table>", 1)[0]
    assert "张伟" in on_day and "王强" not in on_day
    current = page.split("现任负责人", 1)[1].split("</table>", 1)[0]
    assert "王强" in current and "李娜" in current and "张伟" not in current
    history = page.split("历届负责人", 1)[1]
    assert "张伟" in history and "王强" in history  # both chairs of the term
    bad = html(c.get(detail(association), {"officers_on": "2023-13-01"}))
    assert "日期格式应为 2026-05-20。" in bad


def test_expired_term_shows_last_officers_and_overdue(world, founded):
    association, _ = founded  # the term ended 2026-06-01 without re-election
    page = html(client(world.county_staff).get(detail(association)))
    assert "任期已届满，应尽快换届" in page
    current = page.split("现任负责人", 1)[1].split("</table>", 1)[0]
    assert "本届任期已届满" in current and "张伟" in current and "李娜" in current


# --- yearly plan and summary -------------------------------------------------------------------------


def test_secretary_submits_a_report(world, founded):
    association, _ = founded
    c = client(world.secretary)
    assert c.get(life("report_new", association)).status_code == 200
    response = c.post(life("report_new", association), {"year": 2026, "kind": "plan", "text": REPORT})
    assert response.status_code == 302 and response["Location"].endswith(detail(association) + "#life")
    report = WorkReport.objects.get(association=association)
    assert (report.year, report.kind, report.status) == (2026, "plan", ReportStatus.SUBMITTED)
    assert report.submitted_by == world.secretary


def test_report_errors_in_chinese_nothing_written(world, founded):
    association, _ = founded
    c = client(world.secretary)
    response = c.post(life("report_new", association), {"year": 2026, "kind": "plan", "text": "太短"})
    assert response.status_code == 200 and "报告内容过短，请写明主要工作。" in html(response)
    response = c.post(life("report_new", association), {"year": "明年", "kind": "plan", "text": REPORT})
    assert "年度应为四位数字，如 2026。" in html(response)
    response = c.post(life("report_new", association), {"year": 1990, "kind": "plan", "text": REPORT})
    assert "年度“1990”不在可报送的范围内。" in html(response)
    assert not WorkReport.objects.exists()


def test_staff_reviews_a_report(world, founded):
    association, _ = founded
    report = services.submit_work_report(
        association.pk, by=world.secretary, year=2026, kind="plan", text=REPORT
    )
    url = life("report", association, report.pk)
    staff = client(world.county_staff)
    page = html(staff.get(url))
    assert REPORT in page and "审阅通过" in page
    response = staff.post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 200 and "退回时须写明需要修改的内容。" in html(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    staff.post(url, {"decision": "return", "comment": "请补充经费安排。"})
    report.refresh_from_db()
    assert (report.status, report.comment, report.reviewed_by) == (
        ReportStatus.RETURNED,
        "请补充经费安排。",
        world.county_staff,
    )
    # The secretary sees the comment and sends the report again, prefilled.
    secretary = client(world.secretary)
    again = html(secretary.get(life("report_new", association), {"year": 2026, "kind": "plan"}))
    assert "请补充经费安排。" in again and REPORT in again
    secretary.post(
        life("report_new", association), {"year": 2026, "kind": "plan", "text": REPORT + "已补充。"}
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.text.endswith("已补充。")
    staff.post(url, {"decision": "accept", "comment": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    assert 'value="accept"' not in html(staff.get(url))  # reviewed: no form any more


def test_review_refused_to_wrong_role_and_other_county(world, founded):
    association, _ = founded
    report = services.submit_work_report(
        association.pk, by=world.secretary, year=2026, kind="plan", text=REPORT
    )
    url = life("report", association, report.pk)
    assert client(world.secretary).post(url, {"decision": "accept"}).status_code == 403
    assert client(world.county_viewer).post(url, {"decision": "accept"}).status_code == 403
    assert client(world.other_staff).get(url).status_code == 404
    assert client(world.other_staff).post(url, {"decision": "accept"}).status_code == 404
    # A report of another association is not reached through this one.
    _, _ = found(world, world.assoc_b)
    assert client(world.county_staff).get(life("report", world.assoc_b, report.pk)).status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


# --- officers ---------------------------------------------------------------------------------------------


def test_secretary_changes_an_officer_and_staff_acknowledge(world, founded):
    association, people = founded
    c = client(world.secretary)
    page = html(c.get(life("officer_change", association)))
    assert "王强" in page
    response = c.post(
        life("officer_change", association),
        {
            "office": Office.CHAIR,
            "person": people["王强"].person_id,
            "decided_on": "2024-03-01",
            "reason": "原主席工作调动",
        },
    )
    assert response.status_code == 302
    change = OfficerChange.objects.get(association=association)
    assert change.previous.membership == people["张伟"] and change.successor.membership == people["王强"]
    assert OfficeTerm.objects.get(membership=people["张伟"], office=Office.CHAIR).end == datetime.date(
        2024, 3, 1
    )
    staff_page = html(client(world.county_staff).get(detail(association)))
    assert "确认备案" in staff_page and "原主席工作调动" in staff_page
    ack = life("acknowledge_change", association, change.pk)
    assert client(world.secretary).post(ack).status_code == 403
    assert client(world.other_staff).post(ack).status_code == 404
    assert client(world.county_staff).get(ack).status_code == 405
    response = client(world.county_staff).post(ack)
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.acknowledged_by == world.county_staff and change.acknowledged_at is not None
    response = client(world.county_staff).post(ack, follow=True)
    assert "该变更已确认备案。" in html(response)


def test_officer_change_errors_nothing_written(world, founded):
    association, people = founded
    outsider = Person.objects.create(name="外人")
    c = client(world.secretary)
    base = {"office": Office.CHAIR, "decided_on": "2024-03-01", "reason": "调动"}
    response = c.post(life("officer_change", association), {**base, "person": outsider.pk})
    assert "新任人选须是本科协的正式会员。" in html(response)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = c.post(
        life("officer_change", association),
        {**base, "person": people["王强"].person_id, "decided_on": tomorrow},
    )
    assert response.status_code == 200 and "决定日期不能晚于今天。" in html(response)
    response = c.post(life("officer_change", association), {**base, "person": people["张伟"].person_id})
    assert "新任人选与现任相同。" in html(response)
    assert not OfficerChange.objects.exists()
    assert OfficeTerm.objects.get(membership=people["张伟"], office=Office.CHAIR).end == datetime.date(
        2026, 6, 1
    )


# --- re-election ---------------------------------------------------------------------------------------


def test_secretary_records_a_renewal(world, founded):
    association, people = founded
    c = client(world.secretary)
    page = html(c.get(life("renewal", association)))
    assert f'name="office_{people["王强"].person_id}"' in page
    response = c.post(
        life("renewal", association),
        {
            "held_on": "2026-05-20",
            "members_total": 3,
            "members_present": 3,
            f"office_{people['李娜'].person_id}": Office.CHAIR,
            f"office_{people['王强'].person_id}": Office.SECRETARY_GENERAL,
            f"office_{people['张伟'].person_id}": "",
        },
    )
    assert response.status_code == 302
    renewal = Renewal.objects.get(association=association)
    assert renewal.term_end == datetime.date(2031, 5, 20)
    current = OfficeTerm.objects.filter(membership__association=association, start=datetime.date(2026, 5, 20))
    assert {(t.membership.person.name, t.office) for t in current} == {
        ("李娜", Office.CHAIR),
        ("王强", Office.SECRETARY_GENERAL),
    }
    page = html(c.get(detail(association)))
    assert "2026-05-20 — 2031-05-20" in page and "2021-06-01 至 2026-05-20" in page


def test_renewal_errors_nothing_written(world, founded):
    association, people = founded
    c = client(world.secretary)
    officers = {
        f"office_{people['李娜'].person_id}": Office.CHAIR,
        f"office_{people['王强'].person_id}": Office.SECRETARY_GENERAL,
    }
    response = c.post(
        life("renewal", association),
        {"held_on": "2026-05-20", "members_total": 3, "members_present": 1, **officers},
    )
    assert "实到会员不足应到会员的三分之二" in html(response)
    response = c.post(
        life("renewal", association),
        {"held_on": "2026-05-20", "members_total": 3, "members_present": 3},
    )
    assert "须选出一名主席。" in html(response)
    response = c.post(life("renewal", association), {"held_on": "", "members_total": "三"})
    assert "请填写日期。" in html(response) and "人数应为整数。" in html(response)
    assert not Renewal.objects.exists()
    assert OfficeTerm.objects.filter(membership__association=association).count() == 2


# --- dissolution --------------------------------------------------------------------------------------


def test_a_dissolution_withdrawn_through_the_page(world, founded):
    association, _ = founded
    secretary = client(world.secretary)
    assert life("dissolution_withdraw", association) not in html(secretary.get(detail(association)))
    secretary.post(life("dissolution_propose", association), {"reason": "企业重组"})
    assert life("dissolution_withdraw", association) in html(secretary.get(detail(association)))
    assert life("dissolution_withdraw", association) not in html(
        client(world.county_staff).get(detail(association))
    )
    response = secretary.post(life("dissolution_withdraw", association), {"reason": ""})
    assert response.status_code == 200 and "请写明撤回理由" in html(response)
    assert Dissolution.objects.get(association=association).state == DissolutionState.PROPOSED
    response = secretary.post(life("dissolution_withdraw", association), {"reason": "重组取消"})
    assert response.status_code == 302
    assert Dissolution.objects.get(association=association).state == DissolutionState.WITHDRAWN
    assert (
        client(world.county_staff)
        .post(life("dissolution_withdraw", association), {"reason": "x"})
        .status_code
        == 403
    )


def test_dissolution_through_the_pages_then_read_only(world, founded):
    association, _ = founded
    secretary, staff = client(world.secretary), client(world.county_staff)
    report = services.submit_work_report(
        association.pk, by=world.secretary, year=2026, kind="plan", text=REPORT
    )
    response = secretary.post(life("dissolution_propose", association), {"reason": ""})
    assert "请写明撤销理由。" in html(response) and not Dissolution.objects.exists()
    secretary.post(life("dissolution_propose", association), {"reason": "企业重组，科协并入集团科协。"})
    dissolution = Dissolution.objects.get(association=association)
    assert dissolution.state == DissolutionState.PROPOSED
    assert life("dissolution_decision", association) in html(secretary.get(detail(association)))
    # Approval is refused before the congress has decided.
    staff.post(life("dissolution_approve", association))
    association.refresh_from_db()
    assert association.status == Status.ACTIVE
    decision = {"congress_on": "2026-03-01", "members_total": 3, "members_present": 3, "votes_for": 1}
    response = secretary.post(life("dissolution_decision", association), decision)
    assert "赞成票未达到实到会员的三分之二，撤销决定未通过。" in html(response)
    dissolution.refresh_from_db()
    assert dissolution.state == DissolutionState.PROPOSED
    secretary.post(life("dissolution_decision", association), {**decision, "votes_for": 3})
    dissolution.refresh_from_db()
    assert dissolution.state == DissolutionState.DECIDED and dissolution.votes_for == 3
    assert client(world.secretary).post(life("dissolution_approve", association)).status_code == 403
    assert client(world.other_staff).post(life("dissolution_approve", association)).status_code == 404
    assert "批准撤销" in html(staff.get(detail(association)))
    staff.post(life("dissolution_approve", association))
    association.refresh_from_db()
    dissolution.refresh_from_db()
    assert association.status == Status.DISSOLVED and dissolution.state == DissolutionState.APPROVED

    # Read-only: no forms on the page, the form pages send back with the reason, nothing written.
    page = html(secretary.get(detail(association)))
    assert "该科协已撤销，资料保留，仅供查阅。" in page and "张伟" in page
    for name in ("report_new", "officer_change", "renewal", "dissolution_propose"):
        assert life(name, association) not in page
        response = secretary.get(life(name, association), follow=True)
        assert "不能办理此事项" in html(response)
    response = secretary.post(
        life("report_new", association), {"year": 2026, "kind": "summary", "text": REPORT}
    )
    assert response.status_code == 302 and WorkReport.objects.count() == 1
    # …for the supervising staff too: the report sent before can no longer be reviewed.
    assert 'value="accept"' not in html(staff.get(life("report", association, report.pk)))
    response = staff.post(life("report", association, report.pk), {"decision": "accept"})
    assert "不能办理此事项" in html(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


# --- who may open the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["report_new", "officer_change", "renewal", "dissolution_propose", "dissolution_decision"]
)
def test_secretary_forms_scoped_and_role_checked(world, founded, name):
    association, _ = founded
    url = life(name, association)
    assert client(world.county_staff).get(url).status_code == 403  # wrong role
    assert client(world.member).get(url).status_code == 403
    assert client(world.secretary).get(life(name, world.assoc_b)).status_code == 404  # out of reach
    assert Client().get(url).status_code == 302  # sign in first
    assert client(world.member).post(url, {"reason": "x"}).status_code == 403


def test_secretary_of_a_parent_cannot_act_for_a_sub_unit(world, founded):
    sub_unit = AssociationFactory(enterprise=world.ent_a, parent=world.assoc_a, kind="subunit", name="分会")
    response = client(world.secretary).get(life("report_new", sub_unit))
    assert response.status_code == 403


# --- staff lists ----------------------------------------------------------------------------------------


def test_missing_reports_list(world, founded):
    association, _ = founded
    url = reverse("lifecycle:missing_reports")
    page = html(client(world.county_staff).get(url, {"year": 2025, "kind": "plan"}))
    assert association.name in page and world.assoc_b.name not in page
    assert "报送期限：2025-01-31。" in page
    services.submit_work_report(association.pk, by=world.secretary, year=2025, kind="plan", text=REPORT)
    page = html(client(world.county_staff).get(url, {"year": 2025, "kind": "plan"}))
    assert association.name not in page
    assert association.name in html(client(world.county_staff).get(url, {"year": 2025, "kind": "summary"}))
    assert "年度不能早于2000年。" in html(client(world.county_staff).get(url, {"year": 1999}))
    assert client(world.county_staff).get(url).status_code == 200  # default: this year's plan
    assert client(world.secretary).get(url).status_code == 403
    assert client(world.county_viewer).get(url).status_code == 403


def test_renewals_due_list_highlights_overdue(world, founded):
    association, _ = founded  # term ended 2026-06-01
    late = AssociationFactory(enterprise=EnterpriseFactory(name="郑州老牌机械有限公司"))
    found(world, late, founded_on=datetime.date(2010, 3, 1))  # term ended 2015-03-01
    url = reverse("lifecycle:renewals_due")
    page = html(client(world.county_staff).get(url, {"within_days": 3650}))
    assert association.name in page and late.name in page
    assert page.count('class="overdue"') >= 2 and "已逾期" in page
    assert world.assoc_b.name not in page
    assert world.assoc_b.name not in html(client(world.other_staff).get(url, {"within_days": 3650}))
    assert late.name not in html(client(world.other_staff).get(url, {"within_days": 3650}))
    assert "天数不能为负数。" in html(client(world.county_staff).get(url, {"within_days": -1}))
    assert client(world.secretary).get(url).status_code == 403


def test_home_links_the_staff_lists(world):
    staff_home = html(client(world.county_staff).get("/"))
    assert (
        reverse("lifecycle:missing_reports") in staff_home and reverse("lifecycle:renewals_due") in staff_home
    )
    assert reverse("lifecycle:missing_reports") not in html(client(world.secretary).get("/"))


# --- what the pages ask the services ------------------------------------------------------------------


def test_may_manage_and_may_supervise(world, founded):
    association, _ = founded
    assert lifecycle_permissions.may_manage(world.secretary, association)
    assert not lifecycle_permissions.may_manage(world.county_staff, association)
    assert not lifecycle_permissions.may_manage(world.member, association)
    assert lifecycle_permissions.may_supervise(world.county_staff, association)
    assert lifecycle_permissions.may_supervise(world.province_staff, association)  # the region above
    assert not lifecycle_permissions.may_supervise(world.other_staff, association)
    assert not lifecycle_permissions.may_supervise(world.county_viewer, association)
    assert not lifecycle_permissions.may_supervise(world.secretary, association)
    lifecycle_permissions.check_manageable(world.secretary, association)  # no error
    association.status = Status.DISSOLVED
    assert not lifecycle_permissions.may_manage(world.secretary, association)
    assert not lifecycle_permissions.may_supervise(world.county_staff, association)
    with pytest.raises(services.DomainError, match="不能办理"):
        lifecycle_permissions.check_manageable(world.secretary, association)
    with pytest.raises(services.Forbidden):
        lifecycle_permissions.check_manageable(world.county_staff, world.assoc_b)


def test_out_of_range_input_is_refused_not_a_500(world, founded):
    association, people = founded
    c = client(world.secretary)
    huge = str(10**30)
    assert c.get(life("report_new", association), {"year": huge, "kind": "plan"}).status_code == 200
    response = c.post(life("report_new", association), {"year": huge, "kind": "plan", "text": REPORT})
    assert response.status_code == 200 and "不在可报送的范围内" in html(response)
    response = c.post(
        life("renewal", association),
        {"held_on": "2026-05-20", "members_total": huge, "members_present": huge},
    )
    assert "人数过大，请核对。" in html(response)
    response = c.post(
        life("officer_change", association),
        {"office": "chair", "person": huge, "decided_on": "2024-03-01", "reason": "调动"},
    )
    assert "新任人选须是本科协的正式会员。" in html(response)
    assert client(world.county_staff).get(life("report", association, 2**62)).status_code == 404
    assert not WorkReport.objects.exists() and not Renewal.objects.exists()
