"""Which 科协 approves a founding application (seed 003): rules are data, per province."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kexie.accounts.enums import Role
from kexie.core import audit
from kexie.core.errors import DomainError, Forbidden
from kexie.founding import permissions, routing, services
from kexie.founding.enums import State, TargetLevel
from kexie.founding.models import RoutingRule
from kexie.founding.permissions import founding_applications_for_user

from ..factories import (
    HENAN,
    JIYUAN,
    ZHENGZHOU,
    ZHONGYUAN,
    EnterpriseFactory,
    UserFactory,
    grant,
    local,
)
from .conftest import complete_dossier

HEBEI = "130000"


def henan_rules(level: str = TargetLevel.PROVINCE) -> list[RoutingRule]:
    return [
        RoutingRule.objects.create(province_id=HENAN, target_level=level, **rule)
        for rule in routing.HENAN_RULES
    ]


def rule(**kwargs) -> RoutingRule:
    values = {"province_id": HENAN, "ownership": "", "flag": "", "priority": 100, "reason": "测试规则"}
    values.update(kwargs)
    return RoutingRule.objects.create(**values)


@pytest.fixture
def private(db):
    return EnterpriseFactory(name="郑州中原普通科技有限公司", region_id=ZHONGYUAN, ownership="private")


# --- the route ---------------------------------------------------------------------------------


def test_without_rules_the_county_of_registration_approves(private):
    route = routing.route_for(private)
    assert route.approver == local(ZHONGYUAN)
    assert route.rule is None
    assert "默认由企业注册地所在县（区）科协" in route.reason and "中原区科学技术协会" in route.reason


def test_an_unconditional_city_rule_makes_the_city_the_default(private):
    city = rule(target_level=TargetLevel.CITY, reason="本省企业科协由市级科协审批")
    route = routing.route_for(private)
    assert route.approver == local(ZHENGZHOU)
    assert route.rule == city
    assert "本省企业科协由市级科协审批" in route.reason and "郑州市科学技术协会" in route.reason


@pytest.mark.parametrize(
    ("ownership", "leading", "approver", "reason"),
    [
        ("provincial", False, HENAN, "省管企业由省科协审批"),
        ("resident_central", False, HENAN, "驻地央企由省科协审批"),
        ("private", True, HENAN, "头部民营企业由省科协审批"),
        ("private", False, ZHONGYUAN, None),
        ("municipal", False, ZHONGYUAN, None),
        ("foreign", False, ZHONGYUAN, None),
    ],
)
def test_henan_rules_send_provincial_resident_central_and_leading_private_to_the_province(
    db, ownership, leading, approver, reason
):
    henan_rules()
    enterprise = EnterpriseFactory(region_id=ZHONGYUAN, ownership=ownership, is_leading_private=leading)
    route = routing.route_for(enterprise)
    assert route.approver == local(approver)
    if reason is None:
        assert route.rule is None and "默认" in route.reason
    else:
        assert route.rule.reason == reason
        assert f"按规则“{reason}”" in route.reason and "河南省科学技术协会" in route.reason


def test_henan_rules_apply_only_in_henan(db):
    henan_rules()
    hebei = EnterpriseFactory(region_id="130102", ownership="provincial")
    route = routing.route_for(hebei)
    assert route.approver == local("130102") and route.rule is None


def test_the_lower_priority_number_wins_whatever_the_order_of_creation(db):
    enterprise = EnterpriseFactory(region_id=ZHONGYUAN, ownership="private", is_high_tech=True)
    rule(flag="is_high_tech", target_level=TargetLevel.CITY, priority=50, reason="高新技术企业由市科协审批")
    first = rule(
        ownership="private", target_level=TargetLevel.PROVINCE, priority=10, reason="民营企业由省科协审批"
    )
    route = routing.route_for(enterprise)
    assert route.rule == first and route.approver == local(HENAN)

    # Equal priorities: the older rule wins.
    first.priority = 50
    first.save()
    route = routing.route_for(enterprise)
    assert route.rule.reason == "高新技术企业由市科协审批" and route.approver == local(ZHENGZHOU)


def test_both_conditions_of_a_rule_must_hold(db):
    rule(
        ownership="private", flag="is_high_tech", target_level=TargetLevel.CITY, reason="民营高新由市科协审批"
    )
    low_tech = EnterpriseFactory(region_id=ZHONGYUAN, ownership="private", is_high_tech=False)
    state_high_tech = EnterpriseFactory(region_id=ZHONGYUAN, ownership="municipal", is_high_tech=True)
    both = EnterpriseFactory(region_id=ZHONGYUAN, ownership="private", is_high_tech=True)
    assert routing.route_for(low_tech).approver == local(ZHONGYUAN)
    assert routing.route_for(state_high_tech).approver == local(ZHONGYUAN)
    assert routing.route_for(both).approver == local(ZHENGZHOU)


def test_an_inactive_rule_is_ignored(db):
    enterprise = EnterpriseFactory(region_id=ZHONGYUAN, ownership="provincial")
    for r in henan_rules():
        r.active = False
        r.save()
    route = routing.route_for(enterprise)
    assert route.rule is None and route.approver == local(ZHONGYUAN)


def test_jiyuan_directly_under_the_province(db):
    enterprise = EnterpriseFactory(region_id=JIYUAN, ownership="private")
    assert routing.route_for(enterprise).approver == local(JIYUAN)  # by default, its own 科协
    city = rule(target_level=TargetLevel.CITY, reason="由市级科协审批")
    route = routing.route_for(enterprise)
    # 济源 has no city: a city-level rule sends it to the province.
    assert route.rule == city and route.approver == local(HENAN)
    assert "由市级科协审批" in route.reason and "河南省科学技术协会" in route.reason


def test_submission_records_the_route_and_its_reason(world, application, founder):
    henan_rules()
    application.enterprise.is_leading_private = True
    application.enterprise.save()
    complete_dossier(application, founder)
    services.submit(application.pk, by=founder)
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert application.approver == local(HENAN)
    assert "头部民营企业由省科协审批" in application.route_reason
    # The county staff see it (their enterprise) but do not review it; the province does.
    assert application in founding_applications_for_user(world.county_staff)
    with pytest.raises(Forbidden) as err:
        services.approve(application.pk, by=world.county_staff)
    assert "河南省科学技术协会" in err.value.message
    services.approve(application.pk, by=world.province_staff)
    application.refresh_from_db()
    assert application.approval_number.startswith("河南科协函〔")


# --- configuring the rules ---------------------------------------------------------------------


@pytest.fixture
def city_staff(db):
    user = UserFactory(username="zhengzhou_staff")
    grant(user, Role.STAFF_REVIEWER, association=local(ZHENGZHOU))
    return user


@pytest.fixture
def hebei_staff(db):
    user = UserFactory(username="hebei_staff")
    grant(user, Role.STAFF_REVIEWER, association=local(HEBEI))
    return user


def add(by, **kwargs):
    values = {
        "province_code": HENAN,
        "ownership": "provincial",
        "flag": "",
        "target_level": TargetLevel.PROVINCE,
        "reason": "省管企业由省科协审批",
        "priority": 10,
    }
    values.update(kwargs)
    return services.add_routing_rule(by=by, **values)


def test_province_staff_add_a_rule_that_then_routes_and_is_audited(world):
    enterprise = EnterpriseFactory(region_id=ZHONGYUAN, ownership="provincial")
    assert routing.route_for(enterprise).approver == local(ZHONGYUAN)
    created = add(world.province_staff, reason="  省管企业  由省科协审批 ")
    assert created.reason == "省管企业 由省科协审批" and created.active
    assert routing.route_for(enterprise).approver == local(HENAN)
    entry = audit.history(created).get(action="create")
    assert entry.actor == world.province_staff
    assert created in permissions.routing_rules_for_user(world.province_staff)


def test_platform_admin_may_add_a_rule(world):
    assert add(world.admin).province_id == HENAN


def test_city_and_county_staff_may_not_configure_the_province(world, city_staff):
    for user in (city_staff, world.county_staff):
        with pytest.raises(Forbidden) as err:
            add(user)
        assert "省级科协工作人员" in err.value.message
    assert not RoutingRule.objects.exists()


def test_staff_of_another_province_may_not_add_to_henan(world, hebei_staff):
    with pytest.raises(Forbidden):
        add(hebei_staff)
    assert not RoutingRule.objects.exists()
    assert add(hebei_staff, province_code=HEBEI).province_id == HEBEI  # their own province: yes


@pytest.mark.parametrize(
    "who", ["county_viewer", "secretary", "sasac", "acfic", "member", "provider", "nobody"]
)
def test_roles_without_the_right_get_403(world, who):
    with pytest.raises(PermissionDenied):
        add(getattr(world, who))
    assert not RoutingRule.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"flag": "is_bogus"}, "flag"),
        ({"target_level": "nation"}, "target_level"),
        ({"ownership": "", "flag": "", "target_level": TargetLevel.COUNTY}, "target_level"),
        ({"ownership": "state_owned"}, "ownership"),
        ({"reason": "   "}, "reason"),
        ({"priority": -1}, "priority"),
        ({"priority": "soon"}, "priority"),
        ({"priority": 10**6}, "priority"),
    ],
)
def test_bad_rules_are_refused_naming_the_field(world, kwargs, field):
    with pytest.raises(DomainError) as err:
        add(world.province_staff, **kwargs)
    assert err.value.field == field
    assert err.value.message.endswith("。")
    assert not RoutingRule.objects.exists()


def test_a_region_that_is_not_a_province_is_refused(world):
    with pytest.raises(DomainError) as err:
        add(world.admin, province_code=ZHENGZHOU)
    assert err.value.field == "province" and "410100" in err.value.message


def test_province_staff_delete_a_rule(world):
    created = add(world.province_staff)
    services.delete_routing_rule(created.pk, by=world.province_staff)
    assert not RoutingRule.objects.exists()
    assert audit.history(created).filter(action="delete").exists()


def test_deleting_is_403_for_city_staff_and_404_for_another_province(world, city_staff, hebei_staff):
    created = add(world.province_staff)
    with pytest.raises(Forbidden):
        services.delete_routing_rule(created.pk, by=city_staff)
    with pytest.raises(Http404):
        services.delete_routing_rule(created.pk, by=hebei_staff)
    with pytest.raises(Http404):
        services.delete_routing_rule(created.pk + 1000, by=world.province_staff)
    with pytest.raises(PermissionDenied):
        services.delete_routing_rule(created.pk, by=world.county_viewer)
    assert RoutingRule.objects.filter(pk=created.pk).exists()


def test_rules_are_listed_per_province(world, hebei_staff):
    henan = add(world.province_staff)
    hebei = add(hebei_staff, province_code=HEBEI)
    assert list(permissions.routing_rules_for_user(world.province_staff)) == [henan]
    assert list(permissions.routing_rules_for_user(hebei_staff)) == [hebei]
    assert set(permissions.routing_rules_for_user(world.admin)) == {henan, hebei}
