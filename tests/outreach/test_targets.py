"""Target progress counted by hand from the rows (rate, covered count, new 科协 in the window), the
linear expectation by date, and setting, editing and closing targets."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kexie.accounts.enums import Role
from kexie.associations.models import Association
from kexie.core import audit
from kexie.core.errors import DomainError, Forbidden
from kexie.outreach import selectors, services
from kexie.outreach.models import Target

from ..factories import HENAN, JINSHUI, ZHONGYUAN, AssociationFactory, EnterpriseFactory, UserFactory, grant

START, DEADLINE = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)


def make(world, **data):
    base = {
        "title": "测试目标",
        "region": ZHONGYUAN,
        "scope": {},
        "metric": "rate",
        "target_value": 60,
        "start_on": START,
        "deadline": DEADLINE,
    }
    return services.create_target(by=world.county_staff, data={**base, **data})


@pytest.fixture
def high_tech(world):
    """Five high-tech 中原区 firms: one covered since always, one whose 科协 was founded on 2026-03-01,
    one in a joint 科协 founded 2026-09-01, one preparing, one with nothing."""
    firms = [EnterpriseFactory(region_id=ZHONGYUAN, is_high_tech=True) for _ in range(5)]
    AssociationFactory(enterprise=firms[0], founded_on=None)
    AssociationFactory(enterprise=firms[1], founded_on=datetime.date(2026, 3, 1))
    joint = AssociationFactory(
        enterprise=None,
        kind="joint",
        joint_kind="park",
        name="园区科协",
        founded_on=datetime.date(2026, 9, 1),
    )
    joint.covered_enterprises.add(firms[2])
    AssociationFactory(enterprise=firms[3], status="preparing")
    return firms


def test_rate_progress_by_hand(world, high_tech):
    target = make(world, scope={"is_high_tech": "1"}, target_value=100)
    # 2026-07-01: covered = firm 0 and 1 → 2 of 5 = 40 %; on 2026-01-01 only firm 0 → 20 %.
    p = selectors.progress(target, today=datetime.date(2026, 7, 1))
    assert (p.in_scope, p.value, p.baseline) == (5, 40.0, 20.0)
    # 181 of 364 days: 20 + 80 × 181/364 = 59.8 → behind.
    assert p.expected == 59.8 and not p.on_track and p.percent == 40.0
    assert p.status_label == "落后于进度"
    # 2026-10-01: the joint 科协 covers firm 2 → 60 %.
    p = selectors.progress(target, today=datetime.date(2026, 10, 1))
    assert p.value == 60.0


def test_covered_count_progress_and_on_track(world, high_tech):
    target = make(world, scope={"is_high_tech": "1"}, metric="covered", target_value=4)
    p = selectors.progress(target, today=datetime.date(2026, 3, 1))
    # founded on 2026-03-01 counts from that day: 2 covered; expected 1 + 3 × 59/364 = 1.5 → on track.
    assert (p.value, p.baseline, p.expected, p.on_track) == (2.0, 1.0, 1.5, True)
    assert p.status_label == "进度正常"


def test_new_associations_counted_in_the_window_only(world, high_tech):
    target = make(world, scope={"is_high_tech": "1"}, metric="founded", target_value=2)
    assert selectors.progress(target, today=datetime.date(2026, 2, 28)).value == 0
    # Enterprise 科协 on 03-01 counts; the joint one is led by no enterprise, so a flag scope leaves it out.
    assert selectors.progress(target, today=datetime.date(2026, 12, 1)).value == 1
    everything = make(world, metric="founded", target_value=2)
    p = selectors.progress(everything, today=datetime.date(2026, 12, 1))
    assert (p.value, p.achieved, p.status_label) == (2.0, True, "已完成")
    # After the deadline, what was founded later does not count.
    AssociationFactory(
        enterprise=EnterpriseFactory(region_id=ZHONGYUAN), founded_on=datetime.date(2027, 1, 5)
    )
    assert selectors.progress(everything, today=datetime.date(2027, 2, 1)).value == 2
    # Outside the target's region nothing counts.
    AssociationFactory(enterprise=EnterpriseFactory(region_id=JINSHUI), founded_on=datetime.date(2026, 5, 5))
    assert selectors.progress(everything, today=datetime.date(2026, 12, 1)).value == 2


def test_rate_of_an_empty_scope_is_zero(world):
    target = make(world, scope={"is_unicorn": "1"})
    assert selectors.progress(target, today=datetime.date(2026, 6, 1)).value == 0.0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": " "}, "title"),
        ({"region": "999999"}, "region"),
        ({"region": JINSHUI}, "region"),
        ({"metric": "profit"}, "metric"),
        ({"target_value": 0}, "target_value"),
        ({"target_value": 101}, "target_value"),
        ({"deadline": START}, "deadline"),
        ({"start_on": "2026-13-01"}, "start_on"),
        ({"scope": {"colour": "red"}}, "colour"),
        ({"scope": {"ownership": "martian"}}, "ownership"),
    ],
)
def test_bad_target_is_refused_by_field(world, data, field):
    with pytest.raises(DomainError) as err:
        make(world, **data)
    assert err.value.field == field
    assert not Target.objects.exists()


def test_create_edit_close_are_audited(world):
    target = make(world, scope={"is_above_scale": "1", "ownership": "private,provincial"})
    assert target.owner.kind == "local" and target.region_id == ZHONGYUAN
    assert target.scope == {"is_above_scale": "1", "ownership": "private,provincial"}
    data = {
        "title": "改名",
        "region": ZHONGYUAN,
        "scope": {},
        "metric": "rate",
        "target_value": 70,
        "start_on": START,
        "deadline": DEADLINE,
    }
    services.update_target(target.pk, by=world.county_staff, data=data)
    services.close_target(target.pk, by=world.county_staff)
    target.refresh_from_db()
    assert (target.title, target.target_value, target.status) == ("改名", 70, "closed")
    actions = list(audit.history(target).order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "state"]
    update = audit.history(target).get(action="update")
    assert update.changes["target_value"] == [60, 70]
    with pytest.raises(DomainError):
        services.update_target(target.pk, by=world.county_staff, data=data)


def test_county_staff_see_the_province_target_but_may_not_change_it(world):
    target = services.create_target(
        by=world.province_staff,
        data={
            "title": "全省",
            "region": HENAN,
            "metric": "founded",
            "target_value": 10,
            "start_on": START,
            "deadline": DEADLINE,
        },
    )
    assert selectors.target_list(world.county_staff).filter(pk=target.pk).exists()
    with pytest.raises(Forbidden):
        services.close_target(target.pk, by=world.county_staff)
    # A 中原区 target is not seen from 金水区.
    own = make(world)
    with pytest.raises(Http404):
        services.close_target(own.pk, by=world.other_staff)
    with pytest.raises(PermissionDenied):
        services.close_target(own.pk, by=world.county_viewer)


def test_federation_secretary_sets_the_federation_target(world):
    federation = Association.objects.create(
        kind="federation", name="郑州市企业科协联合会", region_id="410100", status="active"
    )
    secretary = UserFactory(username="fed_secretary")
    grant(secretary, Role.SECRETARY, association=federation)
    target = services.create_target(
        by=secretary,
        data={
            "title": "千企建会",
            "federation": federation.pk,
            "metric": "founded",
            "target_value": 1000,
            "start_on": START,
            "deadline": DEADLINE,
        },
    )
    assert (target.owner, target.region_id) == (federation, "410100")
    assert list(selectors.target_list(secretary)) == [target]
    # An enterprise 科协's secretary sees no targets and may not set one for a federation.
    assert not selectors.target_list(world.secretary).exists()
    with pytest.raises(DomainError) as err:
        services.create_target(
            by=world.secretary,
            data={
                "title": "x",
                "federation": federation.pk,
                "metric": "founded",
                "target_value": 1,
                "start_on": START,
                "deadline": DEADLINE,
            },
        )
    assert err.value.field == "federation"
