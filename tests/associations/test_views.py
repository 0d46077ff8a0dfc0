from django.urls import reverse

from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.core import audit
from kexie.regions.models import Region

from ..factories import HENAN, JINSHUI, ZHENGZHOU, ZHONGYUAN, AssociationFactory, EnterpriseFactory, local

TREE = reverse("associations:tree")
LIST = reverse("associations:list")


def children_url(association):
    return reverse("associations:children", args=[association.pk])


def detail_url(association):
    return reverse("associations:detail", args=[association.pk])


def names(page) -> set[str]:
    return {a.name for a in page}


# --- tree -----------------------------------------------------------------


def test_tree_anonymous_redirects_to_login(client, world):
    response = client.get(TREE)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_tree_provider_is_forbidden(client, world):
    client.force_login(world.provider)
    assert client.get(TREE).status_code == 403


def test_tree_roots_for_admin_are_the_provincial_associations(client, world):
    client.force_login(world.admin)
    response = client.get(TREE)
    roots = list(response.context["page_obj"])
    provinces = Region.objects.filter(level=Region.Level.PROVINCE)
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == provinces.count() == 33
    assert {a.region_id for a in roots} == set(provinces.values_list("code", flat=True))
    assert {a.kind for a in roots} == {Kind.LOCAL}
    body = response.content.decode()
    # 33 nodes, not the 3,211 of the whole tree: no county appears on the page.
    assert body.count('class="tree-node"') == 33
    assert "中原区科学技术协会" not in body


def test_tree_root_node_has_lazy_expander_and_detail_link(client, world):
    client.force_login(world.admin)
    body = client.get(TREE).content.decode()
    henan = local(HENAN)
    assert f'hx-get="{children_url(henan)}"' in body
    assert f'href="{detail_url(henan)}"' in body
    henan_children = Association.objects.filter(parent=henan).count()
    assert f"▸</span> {henan_children}</a>" in body


def test_tree_roots_for_county_staff_is_their_county(client, world):
    client.force_login(world.county_staff)
    roots = list(client.get(TREE).context["page_obj"])
    assert roots == [local(ZHONGYUAN)]


def test_children_returns_only_visible_children(client, world):
    client.force_login(world.county_staff)
    response = client.get(children_url(local(ZHONGYUAN)))
    assert response.status_code == 200
    assert names(response.context["page_obj"]) == {world.assoc_a.name}
    body = response.content.decode()
    assert body.lstrip().startswith("<li") and "<html" not in body
    assert world.assoc_a.name in body and world.assoc_b.name not in body


def test_children_of_province_for_admin_are_its_cities(client, world):
    client.force_login(world.admin)
    response = client.get(children_url(local(HENAN)))
    children = list(response.context["page_obj"])
    assert {a.region.parent_id for a in children} == {HENAN}
    assert local(ZHENGZHOU) in children
    zhengzhou = next(a for a in children if a.region_id == ZHENGZHOU)
    assert zhengzhou.child_count == Association.objects.filter(parent=local(ZHENGZHOU)).count()


def test_children_of_invisible_node_is_404(client, world):
    client.force_login(world.county_staff)
    assert client.get(children_url(local(JINSHUI))).status_code == 404
    assert client.get(children_url(world.assoc_b)).status_code == 404


def test_children_hide_private_enterprise_association_from_sasac(client, world):
    state_assoc = AssociationFactory(enterprise=world.ent_s)
    client.force_login(world.sasac)
    response = client.get(children_url(local(ZHONGYUAN)))
    assert names(response.context["page_obj"]) == {state_assoc.name}
    assert world.assoc_a.name not in response.content.decode()


def test_children_are_paged_with_a_more_item(client, world, settings):
    settings.KEXIE_PAGE_SIZE = 2
    AssociationFactory.create_batch(2, enterprise__region_id=ZHONGYUAN)
    client.force_login(world.county_staff)
    first = client.get(children_url(local(ZHONGYUAN)))
    assert len(first.context["page_obj"]) == 2
    assert "还有 1 个" in first.content.decode()
    second = client.get(children_url(local(ZHONGYUAN)), {"page": 2})
    assert len(second.context["page_obj"]) == 1
    assert "tree-more" not in second.content.decode()


def test_child_count_does_not_reveal_hidden_children(client, world):
    client.force_login(world.sasac)
    roots = list(client.get(TREE).context["page_obj"])
    assert roots == [local(ZHONGYUAN)]
    assert roots[0].child_count == 0


# --- list -----------------------------------------------------------------


def test_list_filters_by_kind_and_stays_in_scope(client, world):
    client.force_login(world.county_staff)
    response = client.get(LIST, {"kind": "enterprise"})
    assert response.status_code == 200
    assert names(response.context["page_obj"]) == {world.assoc_a.name}
    assert "共 1 个组织。" in response.content.decode()


def test_list_filters_by_name_and_region(client, world):
    client.force_login(world.province_staff)
    assert names(client.get(LIST, {"q": "金水信息"}).context["page_obj"]) == {world.assoc_b.name}
    by_region = client.get(LIST, {"region_code": JINSHUI}).context["page_obj"]
    assert names(by_region) == {world.assoc_b.name, "金水区科学技术协会"}


def test_list_bad_kind_shows_chinese_message(client, world):
    client.force_login(world.county_staff)
    response = client.get(LIST, {"kind": "club"})
    assert response.status_code == 200
    assert "组织类型“club”不是有效选项。" in response.content.decode()


def test_list_paginates(client, world, settings):
    settings.KEXIE_PAGE_SIZE = 10
    client.force_login(world.admin)
    page = client.get(LIST, {"region": HENAN}).context["page_obj"]
    assert len(page) == 10
    assert page.paginator.count == Association.objects.filter(region__path__startswith="410000/").count()


def test_list_htmx_request_returns_results_partial_only(client, world):
    client.force_login(world.county_staff)
    response = client.get(LIST, {"kind": "enterprise"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "<form" not in body
    assert world.assoc_a.name in body


# --- detail ---------------------------------------------------------------


def test_detail_other_county_is_404(client, world):
    client.force_login(world.county_staff)
    assert client.get(detail_url(world.assoc_b)).status_code == 404


def test_detail_links_parent_only_if_visible(client, world):
    client.force_login(world.county_staff)
    body = client.get(detail_url(world.assoc_a)).content.decode()
    assert f'href="{detail_url(local(ZHONGYUAN))}"' in body
    assert f'href="{reverse("enterprises:detail", args=[world.ent_a.pk])}"' in body
    county = client.get(detail_url(local(ZHONGYUAN))).content.decode()
    assert "郑州市科学技术协会" in county
    assert f'href="{detail_url(local(ZHENGZHOU))}"' not in county


def test_detail_member_sees_enterprise_name_without_link(client, world):
    client.force_login(world.member)
    response = client.get(detail_url(world.assoc_a))
    body = response.content.decode()
    assert response.status_code == 200
    assert world.ent_a.name in body
    assert reverse("enterprises:detail", args=[world.ent_a.pk]) not in body
    assert f'href="{detail_url(local(ZHONGYUAN))}"' not in body


def test_detail_lists_visible_children(client, world):
    client.force_login(world.county_staff)
    response = client.get(detail_url(local(ZHONGYUAN)))
    assert names(response.context["page_obj"]) == {world.assoc_a.name}


def test_detail_joint_association_lists_visible_covered_enterprises(client, world):
    joint = AssociationFactory(
        enterprise=None, kind=Kind.JOINT, joint_kind="regional", name="郑州区域联建科协"
    )
    assert joint.region_id == ZHONGYUAN
    outsider = EnterpriseFactory(name="郑州金水外围科技有限公司", region_id=JINSHUI)
    joint.covered_enterprises.add(world.ent_a, world.ent_s, outsider)
    client.force_login(world.acfic)
    response = client.get(detail_url(joint))
    assert response.status_code == 200
    assert response.context["covered"]["count"] == 1
    assert [e.name for e in response.context["covered"]["shown"]] == [world.ent_a.name]
    body = response.content.decode()
    assert "区域联建" in body
    assert world.ent_s.name not in body and outsider.name not in body


# --- history --------------------------------------------------------------


def test_history_shows_entries_for_the_association(client, world):
    audit.record(
        actor=world.admin, action="state", instance=world.assoc_a, changes={"status": ["active", "dissolved"]}
    )
    client.force_login(world.county_staff)
    response = client.get(reverse("associations:history", args=[world.assoc_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 1
    assert "状态" in body and "正常" in body and "已撤销" in body


def test_history_other_county_is_404_and_member_is_403(client, world):
    client.force_login(world.county_staff)
    assert client.get(reverse("associations:history", args=[world.assoc_b.pk])).status_code == 404
    client.force_login(world.member)
    assert client.get(reverse("associations:history", args=[world.assoc_a.pk])).status_code == 403
