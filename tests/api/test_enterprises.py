import pytest

from kexie.core.audit import history
from kexie.core.models import AuditEntry
from kexie.enterprises.models import Enterprise

from ..factories import JINSHUI, LONGTING, ZHENGZHOU, ZHONGYUAN, EnterpriseFactory, credit_code_for


def new_enterprise(**extra):
    body = {
        "name": "郑州中原新材料科技有限公司",
        "credit_code": credit_code_for(90001),
        "region": ZHONGYUAN,
        "ownership": "private",
        "industry": "C",
        "is_high_tech": True,
        "is_above_scale": False,
        "is_specialized": True,
        "is_unicorn": False,
        "is_leading_private": False,
        "employees": 300,
        "st_workers": 60,
        "address": "郑州市中原区桐柏路1号",
        "contact_name": "张三",
        "contact_phone": "13800138000",
    }
    body.update(extra)
    return body


def names(response):
    return {item["name"] for item in response.json()["items"]}


@pytest.fixture
def staff(world, as_user):
    return as_user(world.county_staff)


# --- reading --------------------------------------------------------------------


def test_enterprise_list_county_staff_sees_only_own_county_in_items_and_count(world, as_user):
    EnterpriseFactory.create_batch(3, region_id=JINSHUI)
    mine = as_user(world.county_staff).get("/enterprises").json()
    assert mine["count"] == 2
    assert {i["name"] for i in mine["items"]} == {world.ent_a.name, world.ent_s.name}
    theirs = as_user(world.other_staff).get("/enterprises").json()
    assert theirs["count"] == 4
    assert world.ent_a.name not in {i["name"] for i in theirs["items"]}


def test_enterprise_list_sasac_sees_state_owned_and_acfic_the_rest(world, as_user):
    assert names(as_user(world.sasac).get("/enterprises")) == {world.ent_s.name}
    assert names(as_user(world.acfic).get("/enterprises")) == {world.ent_a.name}
    assert as_user(world.sasac).get("/enterprises").json()["count"] == 1


def test_enterprise_list_search_by_partial_chinese_name(world, staff):
    response = staff.get("/enterprises", q="智能装备")
    assert response.json()["count"] == 1
    assert names(response) == {world.ent_a.name}


def test_enterprise_list_search_never_finds_out_of_scope_rows(world, staff):
    response = staff.get("/enterprises", q="金水")
    assert response.json() == {"count": 0, "items": []}


def test_enterprise_list_search_by_full_credit_code(world, staff):
    assert names(staff.get("/enterprises", q=world.ent_s.credit_code.lower())) == {world.ent_s.name}


def test_enterprise_list_region_filter_takes_the_subtree(world, as_user):
    province = as_user(world.province_staff)
    assert names(province.get("/enterprises", region=ZHENGZHOU)) == {
        world.ent_a.name,
        world.ent_s.name,
        world.ent_b.name,
    }
    assert names(province.get("/enterprises", region=JINSHUI)) == {world.ent_b.name}
    assert province.get("/enterprises", region=LONGTING).json()["count"] == 0


def test_enterprise_list_unknown_region_is_400(staff):
    response = staff.get("/enterprises", region="999999")
    assert response.status_code == 400
    assert response.json()["field"] == "region"


def test_enterprise_list_ownership_and_flag_filters(world, staff):
    Enterprise.objects.filter(pk=world.ent_a.pk).update(is_high_tech=True)
    assert names(staff.get("/enterprises", ownership="provincial")) == {world.ent_s.name}
    assert names(staff.get("/enterprises", is_high_tech="true")) == {world.ent_a.name}
    assert names(staff.get("/enterprises", is_high_tech="false")) == {world.ent_s.name}
    assert staff.get("/enterprises", ownership="国企").status_code == 400


def test_enterprise_list_pages_with_full_count(world, staff):
    EnterpriseFactory.create_batch(5, region_id=ZHONGYUAN)
    body = staff.get("/enterprises", limit=3, offset=3).json()
    assert body["count"] == 7 and len(body["items"]) == 3


def test_enterprise_item_carries_region_code_and_name_and_masked_phone(world, staff):
    Enterprise.objects.filter(pk=world.ent_a.pk).update(contact_phone="13912345678")
    item = next(i for i in staff.get("/enterprises").json()["items"] if i["id"] == world.ent_a.pk)
    assert item["region"] == ZHONGYUAN and item["region_name"] == "中原区"
    assert item["contact_phone"] == "139****5678"
    assert item["credit_code"] == world.ent_a.credit_code
    assert item["ownership"] == "private" and item["ownership_label"] == "民营"
    detail = staff.get(f"/enterprises/{world.ent_a.pk}").json()
    assert detail["contact_phone"] == "139****5678"
    assert "13912345678" not in str(detail)


def test_enterprise_detail_other_county_is_404(world, staff):
    response = staff.get(f"/enterprises/{world.ent_b.pk}")
    assert response.status_code == 404
    assert response.json() == {"message": "对象不存在。", "field": None}
    assert staff.get("/enterprises/987654321").json() == response.json()


def test_enterprise_reading_roles_without_view_permission_is_403(world, as_user):
    for user in (world.member, world.provider, world.nobody):
        response = as_user(user).get("/enterprises")
        assert response.status_code == 403
        assert response.json() == {"message": "您的角色无权执行此操作。", "field": None}


# --- creating -------------------------------------------------------------------


def test_enterprise_create_returns_201_with_the_object_and_writes_audit(world, staff):
    response = staff.post("/enterprises", new_enterprise())
    assert response.status_code == 201
    body = response.json()
    created = Enterprise.objects.get(pk=body["id"])
    assert created.name == "郑州中原新材料科技有限公司" and created.region_id == ZHONGYUAN
    assert body["region"] == ZHONGYUAN and body["region_name"] == "中原区"
    assert body["contact_phone"] == "138****8000"
    assert body["employees"] == 300 and body["is_high_tech"] is True
    entry = history(created).get(action="create")
    assert entry.actor == world.county_staff


def test_enterprise_create_with_bad_check_character_is_400_and_writes_nothing(world, staff):
    good = credit_code_for(90002)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    before = (Enterprise.objects.count(), AuditEntry.objects.count())
    response = staff.post("/enterprises", new_enterprise(credit_code=bad))
    assert response.status_code == 400
    assert response.json()["field"] == "credit_code"
    assert "校验位" in response.json()["message"]
    assert (Enterprise.objects.count(), AuditEntry.objects.count()) == before


def test_enterprise_create_in_another_county_is_400_on_region(world, staff):
    response = staff.post("/enterprises", new_enterprise(region=JINSHUI))
    assert response.status_code == 400
    assert response.json()["field"] == "region"
    assert not Enterprise.objects.filter(name="郑州中原新材料科技有限公司").exists()


def test_enterprise_create_with_city_level_region_is_400(world, as_user):
    response = as_user(world.province_staff).post("/enterprises", new_enterprise(region=ZHENGZHOU))
    assert response.status_code == 400
    assert response.json()["field"] == "region"


def test_enterprise_create_duplicate_credit_code_is_400(world, staff):
    response = staff.post("/enterprises", new_enterprise(credit_code=world.ent_a.credit_code))
    assert response.status_code == 400
    assert response.json()["field"] == "credit_code"
    assert Enterprise.objects.filter(credit_code=world.ent_a.credit_code).count() == 1


def test_enterprise_create_employees_not_a_number_is_422_with_error_shape(world, staff):
    before = Enterprise.objects.count()
    response = staff.post("/enterprises", new_enterprise(employees="abc"))
    assert response.status_code == 422
    assert response.json() == {"message": "字段“employees”格式不正确：应为整数。", "field": "employees"}
    assert Enterprise.objects.count() == before


def test_enterprise_create_missing_name_is_422_naming_it(world, staff):
    body = new_enterprise()
    del body["name"]
    response = staff.post("/enterprises", body)
    assert response.status_code == 422
    assert response.json() == {"message": "缺少必填字段“name”。", "field": "name"}


def test_enterprise_create_unknown_field_is_422(world, staff):
    response = staff.post("/enterprises", new_enterprise(nmae="错字"))
    assert response.status_code == 422
    assert response.json()["field"] == "nmae"


def test_enterprise_create_malformed_json_is_400_with_error_shape(world, staff):
    response = staff.post("/enterprises", "{not json")
    assert response.status_code == 400
    assert response.json() == {"message": "请求体不是有效的 JSON。", "field": None}


def test_enterprise_create_domain_rule_message_is_chinese(world, staff):
    response = staff.post("/enterprises", new_enterprise(employees=10, st_workers=20))
    assert response.status_code == 400
    assert response.json() == {"message": "科技工作者人数不能多于职工人数。", "field": "st_workers"}


def test_enterprise_create_by_viewer_is_403(world, as_user):
    response = as_user(world.county_viewer).post("/enterprises", new_enterprise())
    assert response.status_code == 403
    assert not Enterprise.objects.filter(name="郑州中原新材料科技有限公司").exists()


# --- editing --------------------------------------------------------------------


def test_enterprise_patch_changes_only_sent_fields_and_writes_audit(world, staff):
    old_name, old_employees = world.ent_a.name, world.ent_a.employees
    response = staff.patch(f"/enterprises/{world.ent_a.pk}", {"name": "郑州中原智能装备股份有限公司"})
    assert response.status_code == 200
    assert response.json()["name"] == "郑州中原智能装备股份有限公司"
    world.ent_a.refresh_from_db()
    assert world.ent_a.employees == old_employees
    entry = history(world.ent_a).get(action="update")
    assert entry.actor == world.county_staff
    assert entry.changes == {"name": [old_name, "郑州中原智能装备股份有限公司"]}


def test_enterprise_patch_phone_is_masked_in_audit_and_response(world, staff):
    response = staff.patch(f"/enterprises/{world.ent_a.pk}", {"contact_phone": "13912345678"})
    assert response.json()["contact_phone"] == "139****5678"
    world.ent_a.refresh_from_db()
    assert world.ent_a.contact_phone == "13912345678"
    entry = history(world.ent_a).get(action="update")
    assert entry.changes["contact_phone"][1] == "139****5678"


def test_enterprise_patch_by_viewer_is_403(world, as_user):
    response = as_user(world.county_viewer).patch(f"/enterprises/{world.ent_a.pk}", {"name": "改名"})
    assert response.status_code == 403
    world.ent_a.refresh_from_db()
    assert world.ent_a.name == "郑州中原智能装备有限公司"


def test_enterprise_patch_other_county_is_404(world, staff):
    response = staff.patch(f"/enterprises/{world.ent_b.pk}", {"name": "改名"})
    assert response.status_code == 404
    assert response.json() == {"message": "对象不存在。", "field": None}
    world.ent_b.refresh_from_db()
    assert world.ent_b.name == "郑州金水信息技术有限公司"


def test_enterprise_patch_by_secretary_of_its_association(world, as_user):
    response = as_user(world.secretary).patch(f"/enterprises/{world.ent_a.pk}", {"st_workers": 50})
    assert response.status_code == 200
    world.ent_a.refresh_from_db()
    assert world.ent_a.st_workers == 50


def test_enterprise_patch_rule_across_stored_and_sent_fields(world, staff):
    response = staff.patch(f"/enterprises/{world.ent_a.pk}", {"st_workers": world.ent_a.employees + 1})
    assert response.status_code == 400
    assert response.json()["field"] == "st_workers"


def test_enterprise_patch_null_name_is_400(world, staff):
    response = staff.patch(f"/enterprises/{world.ent_a.pk}", {"name": None})
    assert response.status_code == 400
    assert response.json() == {"message": "企业名称不能为空。", "field": "name"}


def test_enterprise_patch_without_changes_writes_no_audit(world, staff):
    response = staff.patch(f"/enterprises/{world.ent_a.pk}", {"name": world.ent_a.name})
    assert response.status_code == 200
    assert not history(world.ent_a).filter(action="update").exists()
