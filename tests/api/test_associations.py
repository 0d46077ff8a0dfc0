import pytest

from kexie.associations.enums import Kind

from ..factories import JINSHUI, ZHONGYUAN, AssociationFactory, local


@pytest.fixture
def staff(world, as_user):
    return as_user(world.county_staff)


@pytest.fixture
def joint(world):
    """A joint 科协 in 中原区 covering one enterprise on each side of the county line."""
    association = AssociationFactory(
        kind=Kind.JOINT, joint_kind="regional", enterprise=None, name="中原区联合科协"
    )
    association.covered_enterprises.set([world.ent_a, world.ent_b])
    return association


def ids(response):
    return ids_of(response.json())


def ids_of(body):
    return {item["id"] for item in body["items"]}


def test_association_list_is_scoped_in_items_and_count(world, staff):
    body = staff.get("/associations").json()
    assert ids(staff.get("/associations")) == {local(ZHONGYUAN).pk, world.assoc_a.pk}
    assert body["count"] == 2


def test_association_list_filters_by_kind_region_and_name(world, as_user):
    province = as_user(world.province_staff)
    assert ids(province.get("/associations", kind="enterprise")) >= {world.assoc_a.pk, world.assoc_b.pk}
    assert ids(province.get("/associations", region=JINSHUI)) == {local(JINSHUI).pk, world.assoc_b.pk}
    assert ids(province.get("/associations", q="金水信息")) == {world.assoc_b.pk}


def test_association_list_bad_kind_is_400(staff):
    response = staff.get("/associations", kind="club")
    assert response.status_code == 400
    assert response.json()["field"] == "kind"


def test_association_list_sasac_and_acfic_split_by_ownership(world, as_user):
    assert as_user(world.sasac).get("/associations", kind="enterprise").json()["count"] == 0
    assert ids(as_user(world.acfic).get("/associations", kind="enterprise")) == {world.assoc_a.pk}


def test_association_item_shape(world, staff):
    item = next(i for i in staff.get("/associations").json()["items"] if i["id"] == world.assoc_a.pk)
    assert item["kind"] == "enterprise" and item["kind_label"] == "企业科协"
    assert item["region"] == ZHONGYUAN and item["region_name"] == "中原区"
    assert item["parent"] == local(ZHONGYUAN).pk
    assert item["enterprise"] == world.ent_a.pk
    assert item["status"] == "active"


def test_association_detail_shows_parent_enterprise_and_visible_covered_ids(world, staff, as_user, joint):
    body = staff.get(f"/associations/{joint.pk}").json()
    assert body["parent"] == local(ZHONGYUAN).pk and body["enterprise"] is None
    assert body["covered_enterprises"] == [world.ent_a.pk]
    everything = as_user(world.admin).get(f"/associations/{joint.pk}").json()
    assert everything["covered_enterprises"] == sorted([world.ent_a.pk, world.ent_b.pk])


def test_association_detail_other_county_is_404(world, staff):
    response = staff.get(f"/associations/{world.assoc_b.pk}")
    assert response.status_code == 404
    assert response.json() == {"message": "对象不存在。", "field": None}


def test_association_member_sees_own_association_only(world, as_user):
    member = as_user(world.member)
    assert ids(member.get("/associations")) == {world.assoc_a.pk}
    assert member.get(f"/associations/{world.assoc_a.pk}").status_code == 200
    assert member.get(f"/associations/{local(ZHONGYUAN).pk}").status_code == 404


def test_association_reading_without_permission_is_403(world, as_user):
    for user in (world.provider, world.nobody):
        assert as_user(user).get("/associations").status_code == 403
        assert as_user(user).get("/associations/tree").status_code == 403


def test_association_tree_roots_are_the_highest_visible_nodes(world, staff):
    body = staff.get("/associations/tree").json()
    assert body["parent"] is None and body["count"] == 1
    (root,) = body["items"]
    assert root["id"] == local(ZHONGYUAN).pk
    assert root["child_count"] == 1


def test_association_tree_children_with_visible_counts(world, staff, as_user):
    sub = AssociationFactory(
        kind=Kind.SUBUNIT, enterprise=world.ent_a, parent=world.assoc_a, name="一分厂分会"
    )
    body = staff.get("/associations/tree", parent=local(ZHONGYUAN).pk).json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == world.assoc_a.pk
    assert body["items"][0]["child_count"] == 1
    under = as_user(world.secretary).get("/associations/tree", parent=world.assoc_a.pk).json()
    assert ids_of(under) == {sub.pk}


def test_association_tree_child_count_hides_invisible_children(world, as_user):
    # Province staff sees both county 科协 under the city; the 国资委 viewer's root is the county
    # 科协, whose only child (a private enterprise's 科协) is hidden from them and not counted.
    zhengzhou = local(ZHONGYUAN).parent
    province = as_user(world.province_staff).get("/associations/tree", parent=zhengzhou.pk).json()
    assert {local(ZHONGYUAN).pk, local(JINSHUI).pk} <= ids_of(province)
    sasac_roots = as_user(world.sasac).get("/associations/tree").json()
    (root,) = sasac_roots["items"]
    assert root["id"] == local(ZHONGYUAN).pk and root["child_count"] == 0


def test_association_tree_under_out_of_scope_parent_is_404(world, staff):
    response = staff.get("/associations/tree", parent=local(JINSHUI).pk)
    assert response.status_code == 404


def test_association_tree_for_admin_starts_at_provinces(world, as_user):
    body = as_user(world.admin).get("/associations/tree", limit=100).json()
    assert body["count"] == 33
    assert all(item["kind"] == "local" and item["parent"] is None for item in body["items"])
