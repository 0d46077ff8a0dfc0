"""The outreach API: ranked gaps with score parts, tasks (list, bulk assign, contact, decline),
targets with progress; errors in the one shape, unknown filters named."""

import datetime

import pytest

from kexie.outreach import services
from kexie.outreach.models import OutreachTask

from ..api.conftest import ApiClient, token_for
from ..factories import JINSHUI, ZHONGYUAN
from .conftest import due


@pytest.fixture
def api():
    return lambda user: ApiClient(token_for(user))


def test_gaps_are_ranked_with_their_parts(world, gap_world, api):
    response = api(world.county_staff).get("/outreach/gaps", limit=2)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 5 and body["region"] == ZHONGYUAN
    first = body["items"][0]
    assert (first["name"], first["score"]) == ("郑州甲科技有限公司", 66)
    assert first["parts"]["st_points"] == 31 and first["parts"]["is_high_tech_points"] == 20
    assert sum(first["parts"].values()) == first["score"]
    assert first["reason"] == "科技工作者 320 人 +31；国家高新 +20；规上 +15"
    assert [i["name"] for i in body["items"]] == ["郑州甲科技有限公司", "河南中原国有控股集团有限公司"]


def test_gaps_scope_filters(world, gap_world, api):
    body = api(world.province_staff).get("/outreach/gaps", region=ZHONGYUAN, ownership="provincial").json()
    assert [i["name"] for i in body["items"]] == ["河南中原国有控股集团有限公司", "郑州乙国有公司"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"ownership": "martian"}, "ownership"),
        ({"is_high_tech": "maybe"}, "is_high_tech"),
        ({"st_workers_min": "-1"}, "st_workers_min"),
        ({"region": "999999"}, "region"),
        ({"region": JINSHUI}, "region"),
    ],
)
def test_bad_gap_filter_is_a_400_naming_it(world, api, params, field):
    response = api(world.county_staff).get("/outreach/gaps", **params)
    assert response.status_code == 400
    assert response.json()["field"] == field and response.json()["message"]


def test_assign_contact_decline_via_api(world, gap_world, api):
    client = api(world.county_staff)
    response = client.post(
        "/outreach/tasks",
        {"enterprises": [gap_world.jia.pk, gap_world.yi.pk], "due_on": due().isoformat(), "note": "先走访"},
    )
    assert response.status_code == 201, response.json()
    items = response.json()
    assert {i["stage"] for i in items} == {"assigned"} and len(items) == 2
    jia = next(i for i in items if i["enterprise"] == gap_world.jia.pk)
    response = client.post(
        f"/outreach/tasks/{jia['id']}/contact",
        {
            "contacted_on": datetime.date.today().isoformat(),
            "way": "phone",
            "person": "李经理",
            "outcome": "同意",
        },
    )
    assert response.status_code == 201 and response.json()["way"] == "phone"
    listed = client.get("/outreach/tasks", stage="contacted").json()
    assert [i["id"] for i in listed["items"]] == [jia["id"]]
    response = client.post(f"/outreach/tasks/{jia['id']}/decline", {"reason": "暂缓"})
    assert response.status_code == 200 and response.json()["stage"] == "declined"
    response = client.post(f"/outreach/tasks/{jia['id']}/decline", {"reason": "再次"})
    assert response.status_code == 400 and response.json()["field"] is None


def test_bulk_assign_via_api_is_all_or_nothing(world, gap_world, api):
    response = api(world.county_staff).post(
        "/outreach/tasks", {"enterprises": [gap_world.jia.pk, world.ent_a.pk], "due_on": due().isoformat()}
    )
    assert response.status_code == 400 and response.json()["field"] == "enterprises"
    assert not OutreachTask.objects.exists()


def test_task_of_another_county_is_a_404(world, task, api):
    client = api(world.other_staff)
    assert client.post(f"/outreach/tasks/{task.pk}/decline", {"reason": "x"}).status_code == 404
    assert client.get("/outreach/tasks").json()["count"] == 0
    assert (
        api(world.county_viewer).post(f"/outreach/tasks/{task.pk}/decline", {"reason": "x"}).status_code
        == 403
    )


def test_targets_with_progress(world, api):
    target = services.create_target(
        by=world.county_staff,
        data={
            "title": "中原区千企",
            "region": ZHONGYUAN,
            "metric": "covered",
            "target_value": 4,
            "start_on": "2026-01-01",
            "deadline": "2026-12-31",
        },
    )
    client = api(world.county_viewer)
    body = client.get("/targets").json()
    assert body["count"] == 1 and body["items"][0]["title"] == "中原区千企"
    detail = client.get(f"/targets/{target.pk}").json()
    # ent_a's 科协 covers it since always (no founding date): 1 of 4.
    assert detail["progress"]["value"] == 1 and detail["progress"]["in_scope"] == 2
    assert detail["progress"]["percent"] == 25.0
    assert api(world.other_staff).get(f"/targets/{target.pk}").status_code == 404
    assert client.get("/targets", status="nonsense").json()["field"] == "status"
