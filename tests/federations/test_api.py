"""The federation API: the same services and scoping as the pages, errors in the one shape."""

import datetime

import pytest
from django.utils import timezone

from kexie.federations import services
from kexie.federations.models import TierChange, UnitMember
from tests.api.conftest import ApiClient, token_for
from tests.factories import EnterpriseFactory

TODAY = timezone.localdate()


def api(user) -> ApiClient:
    return ApiClient(token_for(user))


@pytest.fixture
def unit(fed):
    return services.admit_unit(
        fed.fed.pk,
        by=fed.fed_staff,
        enterprise_id=fed.ent_a.pk,
        tier="chair",
        joined_on="2024-01-05",
        representative_phone="13812345678",
    )


def test_units_list_filters_and_masks_phones(fed, unit):
    other = EnterpriseFactory()
    services.admit_unit(
        fed.fed.pk, by=fed.fed_staff, enterprise_id=other.pk, tier="member", joined_on="2024-01-05"
    )
    response = api(fed.county_viewer).get(f"/federations/{fed.fed.pk}/units")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["items"][0]
    assert (first["id"], first["tier"], first["representative_phone"]) == (unit.pk, "chair", "138****5678")
    assert (
        first["enterprise"] == fed.ent_a.pk and first["association"] is None and first["dues_status"] is None
    )
    assert api(fed.county_viewer).get(f"/federations/{fed.fed.pk}/units", tier="member").json()["count"] == 1
    assert (
        api(fed.county_viewer).get(f"/federations/{fed.fed.pk}/units", status="withdrawn").json()["count"]
        == 0
    )
    bad = api(fed.county_viewer).get(f"/federations/{fed.fed.pk}/units", tier="gold")
    assert bad.status_code == 400 and bad.json()["field"] == "tier"


def test_tiers_counts(fed, unit):
    body = api(fed.fed_staff).get(f"/federations/{fed.fed.pk}/tiers").json()
    assert body["active"] == 1 and body["withdrawn"] == 0
    assert [(t["tier"], t["count"]) for t in body["tiers"]] == [
        ("chair", 1),
        ("standing", 0),
        ("council", 0),
        ("member", 0),
    ]


def test_admit_tier_and_withdraw(fed):
    client = api(fed.fed_staff)
    created = client.post(
        f"/federations/{fed.fed.pk}/units",
        {
            "association": fed.assoc_a.pk,
            "tier": "council",
            "joined_on": "2025-01-02",
            "representative_phone": "13900001111",
        },
    )
    assert created.status_code == 201, created.json()
    unit_id = created.json()["id"]
    assert created.json()["representative_phone"] == "139****1111"
    again = client.post(
        f"/federations/{fed.fed.pk}/units",
        {"association": fed.assoc_a.pk, "tier": "council", "joined_on": "2025-01-02"},
    )
    assert again.status_code == 400 and again.json()["field"] == "association"
    neither = client.post(f"/federations/{fed.fed.pk}/units", {"tier": "council", "joined_on": "2025-01-02"})
    assert neither.json() == {"message": "请在会员企业和会员科协中选择且只选择一项。", "field": "enterprise"}
    extra = client.post(
        f"/federations/{fed.fed.pk}/units", {"enterprise": 1, "tier": "x", "joined_on": "2025-01-02", "x": 1}
    )
    assert extra.status_code == 422 and extra.json()["field"] == "x"
    tier = client.post(
        f"/federation-units/{unit_id}/tier",
        {"tier": "chair", "changed_on": TODAY.isoformat(), "reason": "增资"},
    )
    assert tier.status_code == 201 and tier.json()["from_tier"] == "council"
    assert TierChange.objects.get().to_tier == "chair"
    same = client.post(
        f"/federation-units/{unit_id}/tier", {"tier": "chair", "changed_on": TODAY.isoformat(), "reason": "x"}
    )
    assert same.status_code == 400 and same.json()["field"] == "tier"
    future = (TODAY + datetime.timedelta(days=2)).isoformat()
    late = client.post(f"/federation-units/{unit_id}/withdraw", {"withdrawn_on": future, "reason": "x"})
    assert late.status_code == 400 and late.json()["field"] == "withdrawn_on"
    out = client.post(
        f"/federation-units/{unit_id}/withdraw", {"withdrawn_on": TODAY.isoformat(), "reason": "搬迁"}
    )
    assert out.status_code == 200 and out.json()["status"] == "withdrawn"
    closed = client.post(
        f"/federation-units/{unit_id}/tier",
        {"tier": "member", "changed_on": TODAY.isoformat(), "reason": "x"},
    )
    assert closed.status_code == 400 and "只读" in closed.json()["message"]


def test_out_of_reach_is_404_and_the_wrong_role_403(fed, unit):
    for user in (fed.other_staff, fed.other_fed_staff):
        assert api(user).get(f"/federations/{fed.fed.pk}/units").status_code == 404
        assert api(user).get(f"/federations/{fed.fed.pk}/tiers").status_code == 404
    assert (
        api(fed.other_fed_staff)
        .post(
            f"/federation-units/{unit.pk}/tier", {"tier": "member", "changed_on": "2025-01-01", "reason": "x"}
        )
        .status_code
        == 404
    )
    denied = api(fed.county_staff).post(
        f"/federations/{fed.fed.pk}/units",
        {"enterprise": fed.ent_s.pk, "tier": "member", "joined_on": "2025-01-01"},
    )
    assert denied.status_code == 403 and denied.json()["field"] is None
    own = api(fed.secretary).post(
        f"/federation-units/{unit.pk}/withdraw", {"withdrawn_on": "2025-01-01", "reason": "x"}
    )
    assert own.status_code == 403
    assert UnitMember.objects.get().status == "active"
