from django.test import Client

from kexie.accounts.models import ApiToken

from .conftest import API, ApiClient

TOKEN_URL = f"{API}/auth/token"
GOOD = {"username": "zhongyuan_staff", "password": "kexie-test-pass"}
BAD = {"username": "zhongyuan_staff", "password": "wrong-password"}


def post_token(client, body):
    return client.post(TOKEN_URL, body, content_type="application/json")


def test_token_issue_with_right_password_and_use(world):
    response = post_token(Client(), GOOD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert ApiToken.objects.filter(user=world.county_staff).count() == 1
    listing = ApiClient(token).get("/enterprises")
    assert listing.status_code == 200
    assert listing.json()["count"] == 2


def test_token_with_wrong_password_is_400_with_error_shape(world):
    response = post_token(Client(), BAD)
    assert response.status_code == 400
    assert response.json() == {"message": "用户名或密码错误。", "field": "password"}
    assert not ApiToken.objects.exists()


def test_token_with_missing_username_names_the_field(world):
    response = post_token(Client(), {"password": "x"})
    assert response.status_code == 400
    assert response.json()["field"] == "username"


def test_token_locks_out_after_five_failures(world):
    client = Client()
    statuses = [post_token(client, BAD).status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    locked = post_token(client, GOOD)
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json; charset=utf-8"
    assert locked.json() == {"message": "登录失败次数过多，账户已暂时锁定，请15分钟后再试。", "field": None}
    assert not ApiToken.objects.exists()


def test_token_success_resets_failure_count(world):
    client = Client()
    for _ in range(4):
        post_token(client, BAD)
    assert post_token(client, GOOD).status_code == 200
    # the count started again: four more failures do not lock the account
    statuses = [post_token(client, BAD).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 400]


def test_token_lockout_is_per_user_name(world):
    client = Client()
    for _ in range(5):
        post_token(client, BAD)
    other = post_token(client, {"username": "jinshui_staff", "password": "kexie-test-pass"})
    assert other.status_code == 200


def test_request_without_credentials_is_401_with_error_shape(world, anonymous):
    for path in ("/enterprises", "/regions", "/associations", "/enterprises/1"):
        response = anonymous.get(path)
        assert response.status_code == 401
        assert response.json()["field"] is None
        assert "令牌" in response.json()["message"]
    assert anonymous.post("/enterprises", {"name": "x"}).status_code == 401


def test_unknown_token_is_401(world):
    response = ApiClient("not-a-real-token").get("/regions")
    assert response.status_code == 401
    assert response.json() == {"message": "API 令牌无效或已过期，请重新获取令牌。", "field": None}


def test_expired_token_is_401(world, as_user):
    client = as_user(world.county_staff)
    ApiToken.objects.update(expires_at="2000-01-01T00:00:00Z")
    assert client.get("/regions").status_code == 401


def test_inactive_user_token_is_401(world, as_user):
    client = as_user(world.county_staff)
    world.county_staff.is_active = False
    world.county_staff.save()
    assert client.get("/regions").status_code == 401


def test_session_user_can_read(world):
    client = Client()
    client.force_login(world.county_staff)
    response = client.get(f"{API}/enterprises")
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_session_write_without_csrf_is_403(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.county_staff)
    response = client.patch(
        f"{API}/enterprises/{world.ent_a.pk}", {"name": "改名"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    world.ent_a.refresh_from_db()
    assert world.ent_a.name == "郑州中原智能装备有限公司"


def test_session_write_with_csrf_token_works(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.county_staff)
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    response = client.patch(
        f"{API}/enterprises/{world.ent_a.pk}",
        {"name": "郑州中原智能装备股份有限公司"},
        content_type="application/json",
        headers={"X-CSRFToken": secret},
    )
    assert response.status_code == 200
    world.ent_a.refresh_from_db()
    assert world.ent_a.name == "郑州中原智能装备股份有限公司"


def test_bearer_write_needs_no_csrf(world, as_user):
    client = as_user(world.county_staff, enforce_csrf_checks=True)
    response = client.patch(f"/enterprises/{world.ent_a.pk}", {"address": "郑州市中原区建设路1号"})
    assert response.status_code == 200
    assert response.json()["address"] == "郑州市中原区建设路1号"


def test_openapi_schema_is_public_and_lists_the_paths(db):
    response = Client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/v1/auth/token",
        "/api/v1/regions",
        "/api/v1/regions/tree",
        "/api/v1/regions/{code}",
        "/api/v1/enterprises",
        "/api/v1/enterprises/{enterprise_id}",
        "/api/v1/associations",
        "/api/v1/associations/tree",
        "/api/v1/associations/{association_id}",
    ):
        assert path in paths, path
    assert set(paths["/api/v1/enterprises"]) == {"get", "post"}
    assert set(paths["/api/v1/enterprises/{enterprise_id}"]) == {"get", "patch"}
    error = schema["components"]["schemas"]["ErrorOut"]
    assert set(error["properties"]) == {"message", "field"}


def test_unknown_api_path_is_404_in_error_shape(world, as_user):
    response = as_user(world.admin).get("/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"message": "对象不存在。", "field": None}


def test_wrong_method_is_405_in_error_shape(world, as_user):
    response = as_user(world.admin).client.delete(f"{API}/enterprises/{world.ent_a.pk}", headers={})
    assert response.status_code == 405
    assert response.json() == {"message": "该地址不支持此请求方法。", "field": None}
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "PATCH"}


def test_api_root_is_404_in_error_shape(db):
    response = Client().get(f"{API}/")
    assert response.status_code == 404
    assert response.json() == {"message": "对象不存在。", "field": None}
