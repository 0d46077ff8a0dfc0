import pytest
from django.conf import settings

from kexie.associations.models import Association


@pytest.fixture
def api(world, as_user):
    return as_user(world.county_staff)


def test_regions_list_provinces_by_level(api):
    response = api.get("/regions", level="province", limit=100)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 33
    assert len(body["items"]) == 33
    assert {"code": "410000", "name": "河南省", "level": "province", "parent": None} in body["items"]


def test_regions_list_by_parent_includes_county_directly_under_province(api):
    body = api.get("/regions", parent="410000", limit=100).json()
    by_code = {item["code"]: item for item in body["items"]}
    assert body["count"] == len(by_code) == 18
    assert by_code["419001"] == {"code": "419001", "name": "济源市", "level": "county", "parent": "410000"}
    assert by_code["410100"]["level"] == "city"


def test_regions_list_count_is_the_full_count_not_the_page(api):
    body = api.get("/regions", level="county", limit=10, offset=20).json()
    assert body["count"] == 2845
    assert len(body["items"]) == 10
    first_page = api.get("/regions", level="county", limit=30).json()["items"]
    assert body["items"] == first_page[20:30]


def test_regions_list_limit_above_maximum_is_422(api):
    response = api.get("/regions", limit=settings.KEXIE_API_MAX_PAGE_SIZE + 1)
    assert response.status_code == 422
    assert response.json()["field"] == "limit"


def test_regions_list_bad_level_is_400_naming_the_field(api):
    response = api.get("/regions", level="village")
    assert response.status_code == 400
    assert response.json() == {"message": "层级只能是 province、city 或 county。", "field": "level"}


def test_region_detail_of_county_directly_under_province(api):
    response = api.get("/regions/419001")
    assert response.status_code == 200
    body = response.json()
    assert body["level"] == "county" and body["parent"] == "410000"
    assert body["full_name"] == "河南省济源市"
    assert [a["code"] for a in body["ancestors"]] == ["410000"]
    assert body["children"] == []
    assert body["local_association"] == Association.objects.get(kind="local", region_id="419001").pk


def test_region_detail_lists_children(api):
    body = api.get("/regions/410100").json()
    codes = [c["code"] for c in body["children"]]
    assert "410102" in codes and "410105" in codes
    assert codes == sorted(codes)


def test_region_detail_unknown_code_is_404(api):
    response = api.get("/regions/999999")
    assert response.status_code == 404
    assert response.json() == {"message": "对象不存在。", "field": None}


def test_regions_are_public_to_every_signed_in_user(world, as_user):
    for user in (world.provider, world.nobody, world.member):
        assert as_user(user).get("/regions", level="province").json()["count"] == 33


def test_region_tree_depth_one_from_a_province(api):
    body = api.get("/regions/tree", root="410000").json()
    assert body["root"]["code"] == "410000"
    codes = [n["code"] for n in body["items"]]
    assert len(codes) == 18 and "419001" in codes
    assert all(n["children"] is None for n in body["items"])


def test_region_tree_depth_two_from_a_province(api):
    body = api.get("/regions/tree", root="410000", depth=2).json()
    zhengzhou = next(n for n in body["items"] if n["code"] == "410100")
    assert {"410102", "410105"} <= {c["code"] for c in zhengzhou["children"]}
    jiyuan = next(n for n in body["items"] if n["code"] == "419001")
    assert jiyuan["children"] == []


def test_region_tree_without_root_starts_at_provinces(api):
    body = api.get("/regions/tree", depth=2).json()
    assert body["root"] is None and len(body["items"]) == 33
    henan = next(n for n in body["items"] if n["code"] == "410000")
    assert "419001" in {c["code"] for c in henan["children"]}


def test_region_tree_depth_three_is_422(api):
    assert api.get("/regions/tree", depth=3).status_code == 422
