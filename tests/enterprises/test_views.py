import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kexie.core import audit
from kexie.core.models import AuditEntry
from kexie.enterprises.models import Enterprise

from ..factories import (
    JINSHUI,
    KAIFENG,
    LONGTING,
    ZHONGYUAN,
    AssociationFactory,
    EnterpriseFactory,
    credit_code_for,
)

LIST = reverse("enterprises:list")
CREATE = reverse("enterprises:create")


def listed(response) -> set[str]:
    return {e.name for e in response.context["page_obj"]}


def valid_data(**overrides):
    data = {
        "name": "郑州新建精密机械有限公司",
        "credit_code": credit_code_for(90001),
        "region": ZHONGYUAN,
        "ownership": "private",
        "industry": "C",
        "is_high_tech": "on",
        "employees": "120",
        "st_workers": "30",
        "address": "郑州市中原区建设路1号",
        "contact_name": "王工",
        "contact_phone": "13812345678",
    }
    data.update(overrides)
    return data


# --- list -----------------------------------------------------------------


def test_list_anonymous_redirects_to_login(client, world):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_list_provider_is_forbidden(client, world):
    client.force_login(world.provider)
    assert client.get(LIST).status_code == 403


def test_list_search_by_partial_name_stays_in_county(client, world):
    EnterpriseFactory(name="郑州金水中原贸易有限公司", region_id=JINSHUI)
    client.force_login(world.county_staff)
    response = client.get(LIST, {"q": "中原"})
    assert response.status_code == 200
    assert listed(response) == {world.ent_a.name, world.ent_s.name}
    assert "郑州金水中原贸易有限公司" not in response.content.decode()


def test_list_search_by_exact_credit_code(client, world):
    client.force_login(world.county_staff)
    response = client.get(LIST, {"q": world.ent_s.credit_code.lower()})
    assert listed(response) == {world.ent_s.name}


def test_list_search_by_credit_code_of_other_county_finds_nothing(client, world):
    client.force_login(world.county_staff)
    response = client.get(LIST, {"q": world.ent_b.credit_code})
    assert listed(response) == set()
    assert response.context["page_obj"].paginator.count == 0


def test_list_filter_by_ownership(client, world):
    client.force_login(world.county_staff)
    response = client.get(LIST, {"ownership": "provincial"})
    assert listed(response) == {world.ent_s.name}


def test_list_filter_by_flag_yes_and_no(client, world):
    Enterprise.objects.filter(pk=world.ent_a.pk).update(is_specialized=True)
    client.force_login(world.county_staff)
    assert listed(client.get(LIST, {"is_specialized": "1"})) == {world.ent_a.name}
    assert listed(client.get(LIST, {"is_specialized": "0"})) == {world.ent_s.name}
    assert listed(client.get(LIST, {"is_specialized": ""})) == {world.ent_a.name, world.ent_s.name}


def test_list_filter_by_region_subtree(client, world):
    EnterpriseFactory(name="开封龙亭文旅有限公司", region_id=LONGTING)
    client.force_login(world.province_staff)
    assert listed(client.get(LIST, {"region": KAIFENG})) == {"开封龙亭文旅有限公司"}
    assert listed(client.get(LIST, {"region_code": JINSHUI})) == {world.ent_b.name}


def test_list_filter_by_industry(client, world):
    Enterprise.objects.filter(pk=world.ent_s.pk).update(industry="D")
    client.force_login(world.county_staff)
    assert listed(client.get(LIST, {"industry": "D"})) == {world.ent_s.name}


def test_list_bad_filter_shows_chinese_message(client, world):
    client.force_login(world.county_staff)
    response = client.get(LIST, {"region_code": "999999"})
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert "行政区划代码“999999”不存在。" in response.content.decode()
    response = client.get(LIST, {"is_high_tech": "maybe"})
    assert response.status_code == 200
    assert "筛选条件“国家高新技术企业”应为 true 或 false。" in response.content.decode()


def test_list_shows_count_and_paginates(client, world, settings):
    settings.KEXIE_PAGE_SIZE = 2
    EnterpriseFactory.create_batch(3, region_id=ZHONGYUAN)
    client.force_login(world.county_staff)
    first = client.get(LIST)
    assert first.context["page_obj"].paginator.count == 5
    assert "共 5 家企业。" in first.content.decode()
    assert len(first.context["page_obj"]) == 2
    last = client.get(LIST, {"page": 3})
    assert len(last.context["page_obj"]) == 1


def test_list_htmx_request_returns_results_partial_only(client, world):
    client.force_login(world.county_staff)
    response = client.get(LIST, {"q": "智能"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "enterprises/_results.html"
    assert "<html" not in body and "<form" not in body
    assert world.ent_a.name in body and world.ent_s.name not in body
    assert "HX-Request" in response["Vary"]


def test_list_full_page_has_filter_form_with_htmx_target(client, world):
    client.force_login(world.county_staff)
    body = client.get(LIST).content.decode()
    assert 'hx-target="#enterprise-results"' in body
    assert 'id="enterprise-results"' in body


def test_list_buttons_follow_permissions(client, world):
    client.force_login(world.county_staff)
    body = client.get(LIST).content.decode()
    assert CREATE in body and reverse("enterprises:import") in body
    client.force_login(world.county_viewer)
    body = client.get(LIST).content.decode()
    assert CREATE not in body and reverse("enterprises:import") not in body


def test_list_query_count_does_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.county_staff)
    with CaptureQueriesContext(connection) as few:
        response = client.get(LIST)
    assert response.context["page_obj"].paginator.count == 2
    EnterpriseFactory.create_batch(30, region_id=ZHONGYUAN, is_high_tech=True)
    with django_assert_max_num_queries(len(few)):
        response = client.get(LIST)
    assert len(response.context["page_obj"]) == 32


# --- detail ---------------------------------------------------------------


def test_detail_masks_contact_phone(client, world):
    Enterprise.objects.filter(pk=world.ent_a.pk).update(contact_phone="13812345678")
    client.force_login(world.county_staff)
    body = client.get(reverse("enterprises:detail", args=[world.ent_a.pk])).content.decode()
    assert "138****5678" in body
    assert "13812345678" not in body


def test_detail_shows_region_chain_and_visible_associations(client, world):
    joint = AssociationFactory(enterprise=None, kind="joint", name="中原区园区联合科协", region_id=ZHONGYUAN)
    joint.covered_enterprises.add(world.ent_a)
    client.force_login(world.county_staff)
    response = client.get(reverse("enterprises:detail", args=[world.ent_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "河南省" in body and "郑州市" in body and "中原区" in body
    assert {a.name for a in response.context["associations"]} == {world.assoc_a.name, "中原区园区联合科协"}


def test_detail_hides_associations_the_user_cannot_see(client, world):
    # A 国资委 viewer sees the state-owned enterprise but not the joint 科协 covering it.
    joint = AssociationFactory(
        enterprise=None, kind="joint", name="中原区联合科协（覆盖国企）", region_id=ZHONGYUAN
    )
    joint.covered_enterprises.add(world.ent_s)
    client.force_login(world.sasac)
    response = client.get(reverse("enterprises:detail", args=[world.ent_s.pk]))
    assert response.status_code == 200
    assert list(response.context["associations"]) == []
    assert "中原区联合科协（覆盖国企）" not in response.content.decode()


def test_detail_other_county_is_404(client, world):
    client.force_login(world.county_staff)
    assert client.get(reverse("enterprises:detail", args=[world.ent_b.pk])).status_code == 404


def test_detail_edit_and_history_links_follow_permissions(client, world):
    url = reverse("enterprises:detail", args=[world.ent_a.pk])
    client.force_login(world.county_staff)
    body = client.get(url).content.decode()
    assert reverse("enterprises:edit", args=[world.ent_a.pk]) in body
    assert reverse("enterprises:history", args=[world.ent_a.pk]) in body
    client.force_login(world.county_viewer)
    body = client.get(url).content.decode()
    assert reverse("enterprises:edit", args=[world.ent_a.pk]) not in body


# --- create ---------------------------------------------------------------


def test_create_writes_row_and_redirects_to_detail(client, world):
    client.force_login(world.county_staff)
    response = client.post(CREATE, valid_data())
    enterprise = Enterprise.objects.get(name="郑州新建精密机械有限公司")
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:detail", args=[enterprise.pk])
    assert enterprise.region_id == ZHONGYUAN and enterprise.is_high_tech and not enterprise.is_unicorn
    assert enterprise.contact_phone == "13812345678"
    assert audit.history(enterprise).filter(action="create").count() == 1
    followed = client.get(response["Location"])
    assert "企业“郑州新建精密机械有限公司”已创建。" in followed.content.decode()


def test_create_with_bad_credit_code_shows_error_and_writes_nothing(client, world):
    client.force_login(world.county_staff)
    before = Enterprise.objects.count()
    code = credit_code_for(90002)
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    response = client.post(CREATE, valid_data(credit_code=bad))
    assert response.status_code == 200
    assert Enterprise.objects.count() == before
    errors = response.context["form"].errors
    assert list(errors) == ["credit_code"]
    assert "统一社会信用代码校验位错误" in errors["credit_code"][0]
    assert "校验位错误" in response.content.decode()


def test_create_shows_all_field_errors_at_once(client, world):
    client.force_login(world.county_staff)
    response = client.post(
        CREATE, valid_data(name="", region="410100", employees="十", contact_phone="abc", ownership="")
    )
    errors = response.context["form"].errors
    assert set(errors) == {"name", "region", "employees", "contact_phone", "ownership"}
    assert errors["name"] == ["企业名称不能为空。"]
    assert "不是县级单位" in errors["region"][0]
    assert not Enterprise.objects.filter(credit_code=credit_code_for(90001)).exists()


def test_create_duplicate_code_error_from_service_goes_to_field(client, world):
    client.force_login(world.county_staff)
    response = client.post(CREATE, valid_data(credit_code=world.ent_a.credit_code))
    assert response.status_code == 200
    assert "已被企业“郑州中原智能装备有限公司”使用" in response.context["form"].errors["credit_code"][0]


def test_create_outside_jurisdiction_error_goes_to_region(client, world):
    client.force_login(world.county_staff)
    response = client.post(CREATE, valid_data(region=JINSHUI))
    assert "不在您的管辖范围内" in response.context["form"].errors["region"][0]
    assert not Enterprise.objects.filter(credit_code=credit_code_for(90001)).exists()


@pytest.mark.parametrize("persona", ["county_viewer", "secretary", "sasac"])
def test_create_by_non_reviewer_is_forbidden(client, world, persona):
    client.force_login(getattr(world, persona))
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, valid_data()).status_code == 403
    assert not Enterprise.objects.filter(credit_code=credit_code_for(90001)).exists()


# --- edit -----------------------------------------------------------------


def edit_data(enterprise, **overrides):
    data = {
        "name": enterprise.name,
        "credit_code": enterprise.credit_code,
        "region": enterprise.region_id,
        "ownership": enterprise.ownership,
        "industry": enterprise.industry,
        "employees": str(enterprise.employees or ""),
        "st_workers": str(enterprise.st_workers or ""),
        "address": enterprise.address,
        "contact_name": enterprise.contact_name,
        "contact_phone": "",
    }
    data.update(overrides)
    return data


def test_edit_form_does_not_show_phone(client, world):
    Enterprise.objects.filter(pk=world.ent_a.pk).update(contact_phone="13812345678")
    client.force_login(world.county_staff)
    body = client.get(reverse("enterprises:edit", args=[world.ent_a.pk])).content.decode()
    assert "13812345678" not in body and "138****5678" not in body
    assert "留空则不修改" in body
    assert world.ent_a.credit_code in body


def test_edit_with_empty_phone_keeps_it(client, world):
    Enterprise.objects.filter(pk=world.ent_a.pk).update(contact_phone="13812345678")
    client.force_login(world.county_staff)
    response = client.post(
        reverse("enterprises:edit", args=[world.ent_a.pk]), edit_data(world.ent_a, st_workers="55")
    )
    assert response.status_code == 302
    world.ent_a.refresh_from_db()
    assert world.ent_a.contact_phone == "13812345678"
    assert world.ent_a.st_workers == 55


def test_edit_writes_audit_entry_shown_in_history(client, world):
    client.force_login(world.county_staff)
    url = reverse("enterprises:edit", args=[world.ent_a.pk])
    response = client.post(url, edit_data(world.ent_a, st_workers="55", contact_phone="13900001111"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="update", object_id=str(world.ent_a.pk))
    assert entry.actor == world.county_staff
    assert entry.changes["st_workers"] == [40, 55]
    assert entry.changes["contact_phone"] == ["", "139****1111"]
    history = client.get(reverse("enterprises:history", args=[world.ent_a.pk]))
    body = history.content.decode()
    assert history.status_code == 200
    assert "科技工作者人数" in body and "40" in body and "55" in body
    assert "139****1111" in body and "13900001111" not in body
    assert "zhongyuan_staff" in body or str(world.county_staff) in body


def test_edit_bad_value_shows_error_and_changes_nothing(client, world):
    client.force_login(world.county_staff)
    url = reverse("enterprises:edit", args=[world.ent_a.pk])
    response = client.post(url, edit_data(world.ent_a, employees="10", st_workers="20"))
    assert response.status_code == 200
    assert response.context["form"].errors["st_workers"] == ["科技工作者人数不能多于职工人数。"]
    world.ent_a.refresh_from_db()
    assert world.ent_a.st_workers == 40
    assert not AuditEntry.objects.filter(action="update", object_id=str(world.ent_a.pk)).exists()


def test_edit_by_secretary_of_own_enterprise_is_allowed(client, world):
    client.force_login(world.secretary)
    response = client.post(
        reverse("enterprises:edit", args=[world.ent_a.pk]), edit_data(world.ent_a, st_workers="41")
    )
    assert response.status_code == 302
    world.ent_a.refresh_from_db()
    assert world.ent_a.st_workers == 41


def test_edit_by_viewer_is_forbidden(client, world):
    client.force_login(world.county_viewer)
    url = reverse("enterprises:edit", args=[world.ent_a.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, edit_data(world.ent_a, st_workers="1")).status_code == 403
    world.ent_a.refresh_from_db()
    assert world.ent_a.st_workers == 40


def test_edit_other_county_is_404(client, world):
    client.force_login(world.county_staff)
    url = reverse("enterprises:edit", args=[world.ent_b.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, edit_data(world.ent_b, st_workers="1")).status_code == 404
    world.ent_b.refresh_from_db()
    assert world.ent_b.st_workers == 40


# --- history --------------------------------------------------------------


def test_history_other_county_is_404(client, world):
    client.force_login(world.county_staff)
    assert client.get(reverse("enterprises:history", args=[world.ent_b.pk])).status_code == 404


def test_history_member_is_forbidden(client, world):
    client.force_login(world.member)
    assert client.get(reverse("enterprises:history", args=[world.ent_a.pk])).status_code == 403


def test_history_is_paginated(client, world, settings):
    settings.KEXIE_PAGE_SIZE = 2
    for n in range(3):
        audit.record(
            actor=world.admin, action="update", instance=world.ent_a, changes={"st_workers": [n, n + 1]}
        )
    client.force_login(world.county_staff)
    url = reverse("enterprises:history", args=[world.ent_a.pk])
    first = client.get(url)
    assert first.context["page_obj"].paginator.count == 3
    assert len(first.context["entries"]) == 2
    assert len(client.get(url, {"page": 2}).context["entries"]) == 1
