"""The later life of an association through /api/v1/: the same services as the pages, scoped, with
the one error shape."""

import datetime

import pytest

from kexie.associations.enums import Status
from kexie.lifecycle.enums import DissolutionState, ReportStatus
from kexie.lifecycle.models import Dissolution, OfficerChange, Renewal, WorkReport
from kexie.members.models import OfficeTerm, Person
from tests.factories import AssociationFactory, EnterpriseFactory
from tests.lifecycle.test_views import REPORT, found


@pytest.fixture
def founded(world):
    return found(world)


def base(association) -> str:
    return f"/associations/{association.pk}"


def assert_error(response, status: int, field=None, contains: str = ""):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"message", "field"} and body["field"] == field
    assert contains in body["message"]


# --- yearly plan and summary -------------------------------------------------------------------------


def test_report_submitted_listed_and_reviewed(world, founded, as_user):
    association, _ = founded
    secretary, staff = as_user(world.secretary), as_user(world.county_staff)
    response = secretary.post(f"{base(association)}/reports", {"year": 2026, "kind": "plan", "text": REPORT})
    assert response.status_code == 201
    body = response.json()
    assert (body["year"], body["kind"], body["status"], body["due_on"]) == (
        2026,
        "plan",
        "submitted",
        "2026-01-31",
    )
    assert body["kind_label"] == "年度工作计划" and body["association"] == association.pk
    report_id = body["id"]
    listed = as_user(world.member).get(f"{base(association)}/reports").json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == report_id

    assert_error(
        staff.post(f"/reports/{report_id}/review", {"accept": False}), 400, "comment", "退回时须写明"
    )
    response = staff.post(f"/reports/{report_id}/review", {"accept": False, "comment": "请补充经费安排。"})
    assert response.status_code == 200 and response.json()["status"] == "returned"
    response = secretary.post(
        f"{base(association)}/reports", {"year": 2026, "kind": "plan", "text": REPORT + "已补充。"}
    )
    assert response.status_code == 201 and response.json()["id"] == report_id
    response = staff.post(f"/reports/{report_id}/review", {"accept": True})
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert_error(staff.post(f"/reports/{report_id}/review", {"accept": True}), 400, None, "已审阅")
    assert WorkReport.objects.get().status == ReportStatus.ACCEPTED


def test_report_errors_write_nothing(world, founded, as_user):
    association, _ = founded
    secretary = as_user(world.secretary)
    url = f"{base(association)}/reports"
    assert_error(secretary.post(url, {"year": 2026, "kind": "plan", "text": "太短"}), 400, "text", "过短")
    assert_error(secretary.post(url, {"year": 2026, "kind": "memo", "text": REPORT}), 400, "kind")
    assert_error(secretary.post(url, {"year": 1990, "kind": "plan", "text": REPORT}), 400, "year", "1990")
    assert_error(secretary.post(url, {"year": 2026, "kind": "plan"}), 422, "text", "缺少必填字段")
    assert_error(secretary.post(url, {"year": 2026, "kind": "plan", "text": REPORT, "x": 1}), 422, "x")
    assert not WorkReport.objects.exists()


def test_reports_scoped_and_role_checked(world, founded, as_user, anonymous):
    association, _ = founded
    report = WorkReport.objects.create(
        association=association,
        year=2026,
        kind="plan",
        due_on=datetime.date(2026, 1, 31),
        text=REPORT,
        submitted_by=world.secretary,
    )
    body = {"year": 2026, "kind": "summary", "text": REPORT}
    assert_error(as_user(world.other_staff).get(f"{base(association)}/reports"), 404, None, "不存在")
    assert_error(as_user(world.secretary).post(f"{base(world.assoc_b)}/reports", body), 404)
    assert_error(as_user(world.county_staff).post(f"{base(association)}/reports", body), 403)
    assert_error(as_user(world.member).post(f"{base(association)}/reports", body), 403)
    assert_error(as_user(world.secretary).post(f"/reports/{report.pk}/review", {"accept": True}), 403)
    assert_error(as_user(world.other_staff).post(f"/reports/{report.pk}/review", {"accept": True}), 404)
    assert_error(as_user(world.county_viewer).post(f"/reports/{report.pk}/review", {"accept": True}), 403)
    assert anonymous.get(f"{base(association)}/reports").status_code == 401
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and WorkReport.objects.count() == 1


# --- officers -------------------------------------------------------------------------------------------


def test_officers_current_and_history(world, founded, as_user):
    association, people = founded
    secretary = as_user(world.secretary)
    response = secretary.post(
        f"{base(association)}/officer-changes",
        {"office": "chair", "person": people["王强"].person_id, "decided_on": "2024-03-01", "reason": "调动"},
    )
    assert response.status_code == 201
    change = response.json()
    assert change["previous"]["name"] == "张伟" and change["successor"]["name"] == "王强"
    assert change["acknowledged_at"] is None

    body = as_user(world.county_staff).get(f"{base(association)}/officers", on="2023-06-01").json()
    assert body["on"] == "2023-06-01" and body["term_end"] == "2026-06-01"
    assert {(o["office"], o["name"]) for o in body["current"]} == {
        ("chair", "张伟"),
        ("secretary_general", "李娜"),
    }
    body = as_user(world.member).get(f"{base(association)}/officers", on="2025-01-01").json()
    assert ("chair", "王强") in {(o["office"], o["name"]) for o in body["current"]}
    [term] = body["history"]
    assert term["start"] == "2021-06-01"
    chairs = [(o["name"], o["start"], o["end"]) for o in term["officers"] if o["office"] == "chair"]
    assert chairs == [("张伟", "2021-06-01", "2024-03-01"), ("王强", "2024-03-01", "2026-06-01")]
    assert_error(as_user(world.member).get(f"{base(association)}/officers", on="2023-13-01"), 422, "on")
    assert_error(as_user(world.other_staff).get(f"{base(association)}/officers"), 404)


def test_officer_change_acknowledged(world, founded, as_user):
    association, people = founded
    outsider = Person.objects.create(name="外人")
    secretary = as_user(world.secretary)
    url = f"{base(association)}/officer-changes"
    payload = {"office": "chair", "decided_on": "2024-03-01", "reason": "调动"}
    assert_error(secretary.post(url, {**payload, "person": outsider.pk}), 400, "person", "正式会员")
    assert_error(
        secretary.post(url, {**payload, "person": people["王强"].person_id, "decided_on": "2024/3/1"}),
        422,
        "decided_on",
        "应为日期",
    )
    assert_error(
        secretary.post(url, {**payload, "person": people["王强"].person_id, "reason": " "}), 400, "reason"
    )
    assert not OfficerChange.objects.exists()
    assert OfficeTerm.objects.get(membership=people["张伟"]).end == datetime.date(2026, 6, 1)

    change_id = secretary.post(url, {**payload, "person": people["王强"].person_id}).json()["id"]
    ack = f"/officer-changes/{change_id}/acknowledge"
    assert_error(secretary.post(ack), 403)
    assert_error(as_user(world.other_staff).post(ack), 404)
    response = as_user(world.county_staff).post(ack)
    assert response.status_code == 200 and response.json()["acknowledged_at"] is not None
    assert_error(as_user(world.county_staff).post(ack), 400, None, "已确认")
    assert OfficerChange.objects.get().acknowledged_by == world.county_staff


# --- re-election -----------------------------------------------------------------------------------------


def test_renewal(world, founded, as_user):
    association, people = founded
    secretary = as_user(world.secretary)
    url = f"{base(association)}/renewals"
    officers = [
        {"office": "chair", "person": people["李娜"].person_id},
        {"office": "secretary_general", "person": people["王强"].person_id},
    ]
    body = {"held_on": "2026-05-20", "members_total": 3, "members_present": 1, "officers": officers}
    assert_error(secretary.post(url, body), 400, "members_present", "三分之二")
    assert_error(
        secretary.post(url, {**body, "members_present": 3, "officers": officers[:1]}), 400, "officers"
    )
    assert_error(secretary.post(url, {**body, "members_present": -1}), 422, "members_present")
    assert_error(as_user(world.county_staff).post(url, {**body, "members_present": 3}), 403)
    assert not Renewal.objects.exists()
    response = secretary.post(url, {**body, "members_present": 3})
    assert response.status_code == 201 and response.json()["term_end"] == "2031-05-20"
    current = as_user(world.secretary).get(f"{base(association)}/officers", on="2026-06-01").json()
    assert {(o["office"], o["name"]) for o in current["current"]} == {
        ("chair", "李娜"),
        ("secretary_general", "王强"),
    }
    assert [t["start"] for t in current["history"]] == ["2026-05-20", "2021-06-01"]


# --- dissolution -----------------------------------------------------------------------------------------


def test_dissolution_then_read_only(world, founded, as_user):
    association, _ = founded
    secretary, staff = as_user(world.secretary), as_user(world.county_staff)
    url = f"{base(association)}/dissolution"
    report_id = secretary.post(
        f"{base(association)}/reports", {"year": 2026, "kind": "plan", "text": REPORT}
    ).json()["id"]
    assert_error(secretary.post(url, {"reason": ""}), 400, "reason")
    response = secretary.post(url, {"reason": "企业重组，科协并入集团科协。"})
    assert response.status_code == 201 and response.json()["state"] == "proposed"
    assert_error(secretary.post(url, {"reason": "重复"}), 400, None, "进行中")
    assert_error(staff.post(f"{url}/approve"), 400, None, "不能执行")
    decision = {"congress_on": "2026-03-01", "members_total": 3, "members_present": 3, "votes_for": 1}
    assert_error(secretary.post(f"{url}/decision", decision), 400, "votes_for", "三分之二")
    assert Dissolution.objects.get().state == DissolutionState.PROPOSED
    response = secretary.post(f"{url}/decision", {**decision, "votes_for": 3})
    assert response.status_code == 200 and response.json()["state"] == "decided"
    assert_error(secretary.post(f"{url}/approve"), 403)
    assert_error(as_user(world.other_staff).post(f"{url}/approve"), 404)
    response = staff.post(f"{url}/approve")
    assert response.status_code == 200 and response.json()["state"] == "approved"
    association.refresh_from_db()
    assert association.status == Status.DISSOLVED

    # Read-only: every write is refused with the reason; reads still work.
    assert_error(
        secretary.post(f"{base(association)}/reports", {"year": 2026, "kind": "plan", "text": REPORT}),
        400,
        None,
        "不能办理",
    )
    assert_error(secretary.post(url, {"reason": "再次"}), 400, None, "不能办理")
    assert_error(staff.post(f"/reports/{report_id}/review", {"accept": True}), 400, None, "不能办理")
    assert WorkReport.objects.get().status == ReportStatus.SUBMITTED and Dissolution.objects.count() == 1
    assert secretary.get(f"{base(association)}/officers").status_code == 200


# --- staff lists ---------------------------------------------------------------------------------------------


def test_missing_reports(world, founded, as_user):
    association, _ = founded
    staff = as_user(world.county_staff)
    body = staff.get("/lifecycle/missing-reports", year=2025, kind="plan").json()
    assert body["due_on"] == "2025-01-31" and body["count"] == 1
    assert body["items"][0]["id"] == association.pk and body["items"][0]["region"] == "410102"
    assert as_user(world.other_staff).get("/lifecycle/missing-reports", year=2025).json()["count"] == 0
    WorkReport.objects.create(
        association=association,
        year=2025,
        kind="plan",
        due_on=datetime.date(2025, 1, 31),
        text=REPORT,
        submitted_by=world.secretary,
    )
    assert staff.get("/lifecycle/missing-reports", year=2025, kind="plan").json()["count"] == 0
    assert staff.get("/lifecycle/missing-reports", year=2025, kind="summary").json()["count"] == 1
    assert staff.get("/lifecycle/missing-reports").json()["year"] == datetime.date.today().year
    assert_error(staff.get("/lifecycle/missing-reports", kind="memo"), 400, "kind")
    assert_error(staff.get("/lifecycle/missing-reports", year=1999), 422, "year")
    assert_error(as_user(world.secretary).get("/lifecycle/missing-reports"), 403)


def test_renewals_due(world, founded, as_user):
    association, _ = founded  # term ended 2026-06-01
    late = AssociationFactory(enterprise=EnterpriseFactory(name="郑州老牌机械有限公司"))
    found(world, late, founded_on=datetime.date(2010, 3, 1))
    body = as_user(world.county_staff).get("/lifecycle/renewals-due", within_days=3650).json()
    assert [row["association"]["id"] for row in body["items"]] == [late.pk, association.pk]
    assert body["items"][0]["term_end"] == "2015-03-01" and body["items"][0]["overdue"] is True
    assert body["items"][0]["days_left"] < 0
    assert as_user(world.other_staff).get("/lifecycle/renewals-due", within_days=3650).json()["count"] == 0
    assert_error(
        as_user(world.county_staff).get("/lifecycle/renewals-due", within_days=-1), 422, "within_days"
    )
    assert_error(as_user(world.member).get("/lifecycle/renewals-due"), 403)


def test_openapi_lists_the_lifecycle_paths_with_chinese_summaries(anonymous):
    paths = anonymous.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/associations/{association_id}/reports",
        "/api/v1/reports/{report_id}/review",
        "/api/v1/associations/{association_id}/officers",
        "/api/v1/associations/{association_id}/officer-changes",
        "/api/v1/officer-changes/{change_id}/acknowledge",
        "/api/v1/associations/{association_id}/renewals",
        "/api/v1/associations/{association_id}/dissolution",
        "/api/v1/associations/{association_id}/dissolution/decision",
        "/api/v1/associations/{association_id}/dissolution/approve",
        "/api/v1/lifecycle/missing-reports",
        "/api/v1/lifecycle/renewals-due",
    ):
        for operation in paths[path].values():
            assert any("\u4e00" <= ch <= "\u9fff" for ch in operation["summary"]), path


def test_out_of_range_numbers_are_refused_not_a_500(world, founded, as_user):
    association, people = founded
    secretary, staff = as_user(world.secretary), as_user(world.county_staff)
    huge = 10**30
    officers = [{"office": "chair", "person": huge}]
    body = {"held_on": "2026-05-20", "members_total": huge, "members_present": huge, "officers": officers}
    assert_error(secretary.post(f"{base(association)}/renewals", body), 422, "members_total")
    body = {**body, "members_total": 3, "members_present": 3}
    assert_error(secretary.post(f"{base(association)}/renewals", body), 422, "officers")
    change = {"office": "chair", "person": huge, "decided_on": "2024-03-01", "reason": "调动"}
    assert_error(secretary.post(f"{base(association)}/officer-changes", change), 422, "person")
    change = {**change, "person": 2**63 - 1}  # in range, but nobody
    assert_error(secretary.post(f"{base(association)}/officer-changes", change), 400, "person", "正式会员")
    report = {"year": huge, "kind": "plan", "text": REPORT}
    assert_error(secretary.post(f"{base(association)}/reports", report), 400, "year")
    assert_error(staff.post(f"/reports/{huge}/review", {"accept": True}), 404)
    assert_error(staff.post(f"/officer-changes/{huge}/acknowledge"), 404)
    assert_error(staff.get(f"/associations/{huge}/officers"), 404)
    assert not Renewal.objects.exists() and not OfficerChange.objects.exists()
