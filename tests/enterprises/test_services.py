import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kexie.core.audit import history
from kexie.core.errors import DomainError
from kexie.enterprises import services
from kexie.enterprises.models import Enterprise

from ..factories import JINSHUI, ZHONGYUAN, credit_code_for


def payload(**extra):
    data = {
        "name": "郑州测试新材料有限公司",
        "credit_code": credit_code_for(90001),
        "region": ZHONGYUAN,
        "ownership": "民营",
        "industry": "C",
        "is_high_tech": "是",
        "employees": "300",
        "st_workers": "60",
        "contact_phone": "138-0013-8000",
    }
    data.update(extra)
    return data


def test_create_enterprise_writes_row_and_audit(world):
    ent = services.create_enterprise(by=world.county_staff, data=payload())
    assert ent.pk and ent.ownership == "private" and ent.is_high_tech and ent.employees == 300
    entry = history(ent).get(action="create")
    assert entry.actor == world.county_staff
    assert entry.changes["name"] == [None, "郑州测试新材料有限公司"]
    # the log never holds the full phone number
    assert entry.changes["contact_phone"] == [None, "138****8000"]


def test_create_enterprise_outside_reach_refused(world):
    before = Enterprise.objects.count()
    with pytest.raises(DomainError) as err:
        services.create_enterprise(by=world.county_staff, data=payload(region=JINSHUI))
    assert err.value.field == "region"
    assert Enterprise.objects.count() == before


def test_create_enterprise_duplicate_code_refused(world):
    with pytest.raises(DomainError) as err:
        services.create_enterprise(by=world.county_staff, data=payload(credit_code=world.ent_a.credit_code))
    assert err.value.field == "credit_code" and world.ent_a.name in err.value.message


@pytest.mark.parametrize(
    "field,value,fragment",
    [
        ("region", "410100", "不是县级单位"),
        ("region", "999999", "不存在"),
        ("ownership", "国营", "不是有效选项"),
        ("employees", "-3", "负数"),
        ("st_workers", "900", "不能多于职工人数"),
        ("is_high_tech", "也许", "应填“是”或“否”"),
    ],
)
def test_create_enterprise_bad_field_named(world, field, value, fragment):
    before = Enterprise.objects.count()
    with pytest.raises(DomainError) as err:
        services.create_enterprise(by=world.county_staff, data=payload(**{field: value}))
    assert err.value.field == field and fragment in err.value.message
    assert Enterprise.objects.count() == before


def test_create_enterprise_viewer_forbidden(world):
    with pytest.raises(PermissionDenied):
        services.create_enterprise(by=world.county_viewer, data=payload())


def test_update_enterprise_records_before_after(world):
    services.update_enterprise(
        world.ent_a.pk, by=world.county_staff, data={"employees": 500, "is_high_tech": True}
    )
    world.ent_a.refresh_from_db()
    assert world.ent_a.employees == 500
    entry = history(world.ent_a).get(action="update")
    assert entry.changes == {"employees": [200, 500], "is_high_tech": [False, True]}


def test_update_enterprise_without_change_writes_no_audit(world):
    services.update_enterprise(world.ent_a.pk, by=world.county_staff, data={"employees": 200})
    assert not history(world.ent_a).filter(action="update").exists()


def test_update_enterprise_other_county_is_404(world):
    with pytest.raises(Http404):
        services.update_enterprise(world.ent_b.pk, by=world.county_staff, data={"employees": 1})
    world.ent_b.refresh_from_db()
    assert world.ent_b.employees == 200


def test_update_enterprise_secretary_edits_own_only(world):
    services.update_enterprise(world.ent_a.pk, by=world.secretary, data={"st_workers": 50})
    with pytest.raises(Http404):
        services.update_enterprise(world.ent_s.pk, by=world.secretary, data={"st_workers": 50})
