"""The members API: masked lists and details, decisions through the same services, scoping."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kexie.accounts.enums import Role
from kexie.members.models import Membership

from ..api.conftest import ApiClient, token_for
from ..factories import UserFactory, grant
from .conftest import apply_to, sign_up


def api(user) -> ApiClient:
    return ApiClient(token_for(user))


def test_list_is_masked_paginated_and_filtered(world, worker):
    _user, membership = worker
    response = api(world.secretary).get(f"/associations/{world.assoc_a.pk}/members", limit=10)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == membership.pk and item["name"] == "李工程"
    assert item["phone"] == "139****0001" and item["id_number"] == "1101**********002X"
    assert "13912340001" not in response.content.decode()
    assert (
        api(world.secretary)
        .get(f"/associations/{world.assoc_a.pk}/members", status="approved")
        .json()["count"]
        == 0
    )
    bad = api(world.secretary).get(f"/associations/{world.assoc_a.pk}/members", status="nonsense")
    assert bad.status_code == 400 and bad.json()["field"] == "status"


def test_detail_and_scoping(world, worker):
    _user, membership = worker
    assert api(world.county_staff).get(f"/members/{membership.pk}").json()["phone"] == "139****0001"
    assert api(world.other_staff).get(f"/members/{membership.pk}").status_code == 404
    assert api(world.other_staff).get(f"/associations/{world.assoc_a.pk}/members").status_code == 404
    assert api(world.member).get(f"/members/{membership.pk}").status_code == 403
    assert api(world.sasac).get(f"/associations/{world.assoc_a.pk}/members").status_code == 403


def test_approve_and_reject_through_the_api(world, worker):
    _user, membership = worker
    assert api(world.county_staff).post(f"/members/{membership.pk}/approve").status_code == 403
    response = api(world.secretary).post(f"/members/{membership.pk}/reject", {"reason": ""})
    assert response.status_code == 400 and response.json()["field"] == "reason"
    response = api(world.secretary).post(f"/members/{membership.pk}/approve", {"reason": "同意"})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    again = api(world.secretary).post(f"/members/{membership.pk}/approve")
    assert again.status_code == 400 and "正式会员" in again.json()["message"]
    assert Membership.objects.get(pk=membership.pk).status == "approved"


def test_openapi_lists_the_member_paths(db):
    paths = ApiClient().get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/associations/{association_id}/members",
        "/api/v1/members/{membership_id}",
        "/api/v1/members/{membership_id}/approve",
        "/api/v1/members/{membership_id}/reject",
    ):
        assert path in paths


@pytest.mark.parametrize("rows", [2])
def test_list_query_count_does_not_grow(world, rows):
    client = api(world.secretary)
    path = f"/associations/{world.assoc_a.pk}/members"
    client.get(path)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    for i in range(rows):
        apply_to(sign_up(f"接口{i}", f"1391234500{i}"), world.assoc_a)
    few = count()
    for i in range(rows, rows + 5):
        apply_to(sign_up(f"接口{i}", f"1391234500{i}"), world.assoc_a)
    assert count() == few


def test_another_secretary_cannot_decide(world, worker):

    _user, membership = worker
    other = UserFactory(username="secretary_b")
    grant(other, Role.SECRETARY, association=world.assoc_b)
    assert api(other).post(f"/members/{membership.pk}/approve").status_code == 404
    assert api(other).get(f"/members/{membership.pk}").status_code == 404
    assert Membership.objects.get(pk=membership.pk).status == "applied"
