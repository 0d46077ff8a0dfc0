"""The statistics tables over the API: read with cells, PUT cells (400 naming the cell), the actions."""

import json

from django.test import Client

from kexie.accounts.models import ApiToken

from ..factories import ZHONGYUAN


def api(user) -> Client:
    token = f"api-token-{user.username}"
    ApiToken.objects.get_or_create(
        user=user,
        digest=ApiToken.digest_of(token),
        defaults={"prefix": token[:8], "expires_at": "2099-01-01T00:00:00Z"},
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def call(user, method, path, body=None):
    response = api(user).generic(
        method, f"/api/v1{path}", data=json.dumps(body or {}), content_type="application/json"
    )
    return response.status_code, json.loads(response.content) if response.content else None


def test_open_read_put_and_walk_the_workflow(world, city_staff):
    status, body = call(world.county_staff, "POST", "/statreports", {"region": ZHONGYUAN, "year": 2025})
    assert status == 201 and body["state"] == "draft" and len(body["cells"]) == 21
    pk = body["id"]
    cell = next(c for c in body["cells"] if c["code"] == "01")
    assert cell["prefilled"] == 1 and cell["filed"] == 1 and cell["label"] == "企业科协数"
    status, body = call(
        world.county_staff,
        "PUT",
        f"/statreports/{pk}/cells",
        {"cells": {"07": {"value": "-2", "reason": "x"}}},
    )
    assert status == 400 and body["field"] == "07" and "不能为负数" in body["message"]
    status, body = call(
        world.county_staff,
        "PUT",
        f"/statreports/{pk}/cells",
        {"cells": {"07": {"value": 1.5, "reason": "x"}}},
    )
    assert status == 400 and body["field"] == "07"
    status, body = call(
        world.county_staff,
        "PUT",
        f"/statreports/{pk}/cells",
        {"cells": {"02": {"value": 1, "reason": "补录"}}},
    )
    assert status == 400 and body["field"] == "01"
    status, body = call(
        world.county_staff,
        "PUT",
        f"/statreports/{pk}/cells",
        {"cells": {"07": {"value": 2, "reason": "漏报两家园区科协"}}, "head_name": "王主席"},
    )
    assert status == 200 and body["head_name"] == "王主席"
    cell = next(c for c in body["cells"] if c["code"] == "07")
    assert (cell["prefilled"], cell["filed"], cell["reason"], cell["changed_by"]) == (
        0,
        2,
        "漏报两家园区科协",
        "zhongyuan_staff",
    )
    assert call(world.county_staff, "POST", f"/statreports/{pk}/accept")[0] == 403
    status, body = call(world.county_staff, "POST", f"/statreports/{pk}/submit")
    assert status == 200 and body["state"] == "submitted"
    status, body = call(city_staff, "POST", f"/statreports/{pk}/return", {"comment": ""})
    assert status == 400 and body["field"] == "comment"
    status, body = call(city_staff, "POST", f"/statreports/{pk}/return", {"comment": "请核对07"})
    assert status == 200 and body["state"] == "returned" and body["comment"] == "请核对07"
    assert call(world.county_staff, "POST", f"/statreports/{pk}/submit")[1]["state"] == "resubmitted"
    status, body = call(city_staff, "POST", f"/statreports/{pk}/accept")
    assert status == 200 and body["state"] == "accepted" and len(body["integrity_code"]) == 64
    status, body = call(
        world.county_staff, "PUT", f"/statreports/{pk}/cells", {"cells": {"07": {"value": 3, "reason": "x"}}}
    )
    assert status == 400
    assert call(world.other_staff, "GET", f"/statreports/{pk}")[0] == 404
    assert call(world.province_staff, "GET", f"/statreports/{pk}")[0] == 200


def test_unknown_body_fields_are_refused(world, draft):
    status, body = call(world.county_staff, "PUT", f"/statreports/{draft.pk}/cells", {"rows": {}})
    assert status in (400, 422) and body["field"]
