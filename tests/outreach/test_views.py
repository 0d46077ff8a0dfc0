"""The outreach pages: gap finder (with its reasons, weights and xlsx export), assigning from it,
the task page (contact, decline, the founding links), conversion with drill-down links, targets."""

import datetime
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from python_calamine import CalamineWorkbook

from kexie.accounts.enums import Role
from kexie.associations.models import Association
from kexie.core.models import AuditEntry, Notification
from kexie.outreach import services
from kexie.outreach.models import OutreachTask, Target

from ..factories import ZHONGYUAN, EnterpriseFactory, UserFactory, grant
from .conftest import due


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_gap_page_shows_ranking_reasons_and_weights(world, gap_world):
    response = client_for(world.county_staff).get("/outreach/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "科技工作者 320 人 +31；国家高新 +20；规上 +15" in html
    assert html.index("郑州甲科技有限公司") < html.index("郑州乙国有公司")
    assert "得分规则" in html and "+20" in html
    assert 'name="enterprise"' in html  # the reviewer may assign


def test_gap_page_for_a_viewer_has_no_assign_box(world, gap_world):
    html = client_for(world.county_viewer).get("/outreach/").content.decode()
    assert "郑州甲科技有限公司" in html and 'name="enterprise"' not in html


def test_gap_page_names_a_bad_filter(world):
    response = client_for(world.county_staff).get("/outreach/", {"colour": "red"})
    assert response.status_code == 200 and "未知的筛选条件“colour”" in response.content.decode()


def test_gap_export_is_the_whole_ranking_as_text_cells(world, gap_world):
    gap_world.bing.name = '=HYPERLINK("x")'
    gap_world.bing.save()
    response = client_for(world.county_staff).get("/outreach/", {"format": "xlsx", "is_specialized": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][:2] == ["排名", "企业名称"]
    assert [r[1] for r in rows[1:]] == ['=HYPERLINK("x")', "郑州丁精密有限公司"]
    assert rows[1][7] == "专精特新 +10"
    assert AuditEntry.objects.filter(action="export", actor=world.county_staff).count() == 1


def test_assign_from_the_gap_page(world, gap_world):
    client = client_for(world.county_staff)
    response = client.post(
        "/outreach/assign/",
        {"enterprise": [gap_world.jia.pk, gap_world.yi.pk], "due_on": due().isoformat(), "note": "走访"},
    )
    assert response.status_code == 302 and response["Location"] == "/outreach/tasks/"
    assert OutreachTask.objects.count() == 2
    assert Notification.objects.filter(user=world.county_viewer).exists()
    # A batch with a covered enterprise comes back with the reason, and nothing is written.
    response = client.post(
        "/outreach/assign/",
        {
            "enterprise": [gap_world.bing.pk, world.ent_a.pk],
            "due_on": due().isoformat(),
            "next": "/outreach/?q=x",
        },
        follow=True,
    )
    assert "已有科协覆盖" in response.content.decode()
    assert OutreachTask.objects.count() == 2


def test_task_page_tracks_and_links_to_founding(world, task, gap_world):
    client = client_for(world.county_staff)
    html = client.get(f"/outreach/tasks/{task.pk}/").content.decode()
    assert f"/founding/open/?enterprise={gap_world.jia.pk}" in html
    response = client.post(
        f"/outreach/tasks/{task.pk}/contact/",
        {
            "contacted_on": datetime.date.today().isoformat(),
            "way": "visit",
            "person": "王总",
            "outcome": "同意筹建",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.state == "contacted"
    html = client.get(f"/outreach/tasks/{task.pk}/").content.decode()
    assert "同意筹建" in html and "已联系" in html
    client.post(f"/outreach/tasks/{task.pk}/decline/", {"reason": "暂缓"})
    task.refresh_from_db()
    assert task.state == "declined"
    client.post(f"/outreach/tasks/{task.pk}/reopen/")
    task.refresh_from_db()
    assert task.state == "assigned"


def test_task_page_is_404_for_another_county(world, task):
    assert client_for(world.other_staff).get(f"/outreach/tasks/{task.pk}/").status_code == 404
    assert client_for(world.other_staff).post(f"/outreach/tasks/{task.pk}/reopen/").status_code == 404


def test_conversion_page_links_each_number_to_its_tasks(world, task, gap_world):
    services.assign(by=world.county_staff, enterprise_ids=[gap_world.yi.pk], due_on=due())
    html = (
        client_for(world.province_staff).get("/outreach/conversion/", {"region": "410100"}).content.decode()
    )
    assert f'href="/outreach/tasks/?region={ZHONGYUAN}&amp;stage=assigned">2<' in html
    response = client_for(world.province_staff).get(
        "/outreach/tasks/", {"region": ZHONGYUAN, "stage": "assigned"}
    )
    assert response.context["page_obj"].paginator.count == 2


def test_target_pages_create_edit_close(world):
    client = client_for(world.county_staff)
    response = client.post(
        "/outreach/targets/new/",
        {
            "title": "中原区规上高新覆盖率",
            "region": ZHONGYUAN,
            "metric": "rate",
            "target_value": "60",
            "start_on": "2026-01-01",
            "deadline": "2026-12-31",
            "is_high_tech": "on",
            "is_above_scale": "on",
        },
    )
    target = Target.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/outreach/targets/{target.pk}/"
    assert target.scope == {"is_high_tech": "1", "is_above_scale": "1"}
    html = client.get(f"/outreach/targets/{target.pk}/").content.decode()
    assert "中原区规上高新覆盖率" in html and "按期应达" in html
    html = client.get("/outreach/targets/").content.decode()
    assert "中原区规上高新覆盖率" in html
    response = client.post(
        f"/outreach/targets/{target.pk}/edit/",
        {
            "title": "新名",
            "region": ZHONGYUAN,
            "metric": "rate",
            "target_value": "101",
            "start_on": "2026-01-01",
            "deadline": "2026-12-31",
        },
    )
    assert response.status_code == 200 and "覆盖率目标不能超过100%" in response.content.decode()
    client.post(f"/outreach/targets/{target.pk}/close/")
    target.refresh_from_db()
    assert target.status == "closed" and target.title == "中原区规上高新覆盖率"
    assert client_for(world.other_staff).get(f"/outreach/targets/{target.pk}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/outreach/",
        "/outreach/tasks/",
        "/outreach/conversion/",
        "/api/v1/outreach/gaps",
        "/api/v1/outreach/tasks",
        "/api/v1/targets",
    ],
)
def test_list_query_count_does_not_grow_with_rows(world, url):
    """Gaps, tasks, conversion and targets cost the same number of queries for 3 rows and for 7
    (the gap finder's cost grows with the open targets, at most ``MAX_TARGETS``, not with rows)."""
    client = client_for(world.county_staff)
    services.create_target(
        by=world.county_staff,
        data={
            "title": "目标",
            "region": ZHONGYUAN,
            "metric": "founded",
            "target_value": 5,
            "start_on": "2026-01-01",
            "deadline": "2026-12-31",
        },
    )

    def queries_after(n: int) -> int:
        firms = [EnterpriseFactory(region_id=ZHONGYUAN, st_workers=10 + i) for i in range(n)]
        services.assign(by=world.county_staff, enterprise_ids=[f.pk for f in firms], due_on=due())
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert queries_after(3) == queries_after(7)


def test_only_staff_and_federation_secretaries_may_set_targets(world):

    federation = Association.objects.create(
        kind="federation", name="郑州市企业科协联合会", region_id="410100"
    )
    fed_secretary = UserFactory(username="fed_secretary")
    grant(fed_secretary, Role.SECRETARY, association=federation)
    assert client_for(world.secretary).get("/outreach/targets/new/").status_code == 403
    client = client_for(fed_secretary)
    assert client.get("/outreach/targets/new/").status_code == 200
    response = client.post(
        "/outreach/targets/new/",
        {
            "title": "千企建会",
            "federation": federation.pk,
            "metric": "founded",
            "target_value": "1000",
            "start_on": "2026-01-01",
            "deadline": "2026-12-31",
        },
    )
    target = Target.objects.get()
    assert response.status_code == 302 and (target.owner, target.region_id) == (federation, "410100")
    assert client.get(f"/outreach/targets/{target.pk}/edit/").status_code == 200
    assert client_for(world.province_staff).get(f"/outreach/targets/{target.pk}/edit/").status_code == 403
