"""The outreach flow end to end: assign → contacted → founding file opened (筹备中) → submitted
(已提交申请) → approved, congress, filed (已建会), every stage after “contacted” read from the
founding data; bulk assignment all or nothing; decline and reopen; conversion == drill-down; reach."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from kexie.core import audit
from kexie.core.errors import DomainError
from kexie.core.models import Notification
from kexie.founding import services as founding
from kexie.founding.models import Filing
from kexie.outreach import selectors, services
from kexie.outreach.models import OutreachTask
from kexie.regions.models import Region

from ..factories import (
    HENAN,
    JINSHUI,
    ZHENGZHOU,
    ZHONGYUAN,
    AssociationFactory,
    EnterpriseFactory,
    UserFactory,
    local,
)
from ..founding.conftest import complete_dossier, congress_data
from .conftest import due


def stage(task) -> str:
    return selectors.stage_of(task)


def contact(task, user, **kw):
    data = {
        "contacted_on": datetime.date.today(),
        "way": "visit",
        "person": "王总经理",
        "outcome": "愿意筹建",
    }
    return services.log_contact(task.pk, by=user, **{**data, **kw})


def test_assignment_goes_to_the_county_and_notifies_its_staff(world, task, gap_world):
    assert task.assigned_to == local(ZHONGYUAN)
    assert task.assigning_region_id == HENAN and task.assigned_by == world.province_staff
    assert (task.state, stage(task), task.note) == ("assigned", "assigned", "重点企业")
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"zhongyuan_staff", "zhongyuan_viewer"}
    text = Notification.objects.first().text
    assert "中原区科学技术协会" in text or "中原区" in text
    assert audit.history(task).get().action == "create"


def test_outreach_flow_end_to_end(world, task, gap_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = world.county_staff
    contact(task, staff)
    task.refresh_from_db()
    assert (task.state, stage(task)) == ("contacted", "contacted")
    contact(task, staff, way="phone", outcome="已约定筹备会")  # a second contact: still contacted
    assert task.contacts.count() == 2 and stage(task) == "contacted"

    founder = UserFactory(username="jia_founder", display_name="甲联系人", phone="13900000001")
    application = founding.open_application(
        by=staff, enterprise_id=gap_world.jia.pk, contact_username="jia_founder"
    )
    assert stage(task) == "preparing"
    assert selectors.founding_application_of(task) == application
    people = complete_dossier(application, founder)
    assert stage(task) == "preparing"
    founding.submit(application.pk, by=founder)
    assert stage(task) == "applied"
    founding.approve(application.pk, by=staff)
    application.refresh_from_db()
    data, committee, officers = congress_data(application, people)
    founding.record_congress(application.pk, by=founder, data=data, committee=committee, officers=officers)
    founding.submit_filing(application.pk, by=founder)
    assert stage(task) == "applied"
    for filing in Filing.objects.filter(application=application):
        founding.acknowledge_filing(filing.pk, by=world.acfic if filing.recipient == "acfic" else staff)
    assert stage(task) == "founded"
    # The recorded state never moved past “contacted”: the later stages are read, not stored.
    task.refresh_from_db()
    assert task.state == "contacted"
    assert gap_world.jia.pk not in [
        e.pk for e in selectors.gaps(staff, selectors.parse_gap_query(staff, {}))[0]
    ]


def test_a_withdrawn_founding_falls_back_to_the_recorded_state(world, task, gap_world):
    contact(task, world.county_staff)
    founder = UserFactory(username="jia_founder")
    application = founding.open_application(
        by=world.county_staff, enterprise_id=gap_world.jia.pk, contact_username="jia_founder"
    )
    assert stage(task) == "preparing"
    founding.withdraw(application.pk, by=founder)
    assert stage(task) == "contacted"


def test_decline_and_reopen_follow_the_table(world, task):
    staff = world.county_staff
    with pytest.raises(DomainError) as err:
        services.reopen(task.pk, by=staff)
    assert "不能执行" in err.value.message
    with pytest.raises(DomainError) as err:
        services.decline(task.pk, by=staff, reason=" ")
    assert err.value.field == "reason"
    services.decline(task.pk, by=staff, reason="企业近期改制，暂缓")
    task.refresh_from_db()
    assert (task.state, task.decline_reason, stage(task)) == ("declined", "企业近期改制，暂缓", "declined")
    with pytest.raises(DomainError):
        contact(task, staff)
    services.reopen(task.pk, by=staff)
    task.refresh_from_db()
    assert (task.state, task.decline_reason) == ("assigned", "")
    states = [e.changes.get("state") for e in audit.history(task).order_by("id")]
    assert states == [[None, "assigned"], ["assigned", "declined"], ["declined", "assigned"]]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contacted_on", "2999-01-01"),
        ("contacted_on", "昨天"),
        ("way", "pigeon"),
        ("person", ""),
        ("outcome", " "),
    ],
)
def test_bad_contact_is_refused_by_field(world, task, field, value):
    with pytest.raises(DomainError) as err:
        contact(task, world.county_staff, **{field: value})
    assert err.value.field == field
    task.refresh_from_db()
    assert task.state == "assigned" and not task.contacts.exists()


def test_bulk_assign_is_all_or_nothing(world, gap_world):
    staff = world.county_staff
    with pytest.raises(DomainError) as err:
        services.assign(by=staff, enterprise_ids=[gap_world.yi.pk, world.ent_a.pk], due_on=due())
    assert world.ent_a.name in err.value.message and err.value.field == "enterprises"
    with pytest.raises(DomainError) as err:  # 金水区 is out of this county's reach
        services.assign(by=staff, enterprise_ids=[gap_world.yi.pk, world.ent_b.pk], due_on=due())
    assert err.value.field == "enterprises"
    with pytest.raises(DomainError) as err:
        services.assign(by=staff, enterprise_ids=[gap_world.yi.pk], due_on=datetime.date(2020, 1, 1))
    assert err.value.field == "due_on"
    assert not OutreachTask.objects.exists() and not Notification.objects.exists()

    tasks = services.assign(by=staff, enterprise_ids=[gap_world.yi.pk, gap_world.bing.pk], due_on=due())
    assert len(tasks) == 2 and {t.assigning_region_id for t in tasks} == {ZHONGYUAN}
    # One notification per county staff member for the whole batch.
    assert Notification.objects.filter(user=world.county_viewer).count() == 1
    with pytest.raises(DomainError) as err:
        services.assign(by=staff, enterprise_ids=[gap_world.ding.pk, gap_world.yi.pk], due_on=due())
    assert "未办结" in err.value.message
    assert OutreachTask.objects.count() == 2


def test_who_may_assign_and_track(world, task, gap_world):
    with pytest.raises(PermissionDenied):
        services.assign(by=world.county_viewer, enterprise_ids=[gap_world.yi.pk], due_on=due())
    with pytest.raises(PermissionDenied):
        contact(task, world.county_viewer)
    with pytest.raises(Http404):
        contact(task, world.other_staff)
    # Out of reach in a batch: refused by name, without telling whether the enterprise exists.
    with pytest.raises(DomainError) as err:
        services.assign(by=world.other_staff, enterprise_ids=[gap_world.yi.pk], due_on=due())
    assert "不存在或不在您的管辖范围内" in err.value.message


def test_tasks_are_seen_by_the_assigning_and_the_assigned_regions_only(world, task):
    for user in (world.admin, world.province_staff, world.county_staff, world.county_viewer):
        assert selectors.task_list(user).filter(pk=task.pk).exists()
    for user in (world.other_staff, world.secretary, world.sasac, world.acfic, world.nobody):
        assert not selectors.task_list(user).exists()


@pytest.fixture
def funnel(world, gap_world):
    """Tasks in 中原区 in several stages, and two in 金水区 (assigned by the province)."""
    staff = world.county_staff
    tasks = services.assign(
        by=staff,
        enterprise_ids=[
            gap_world.jia.pk,
            gap_world.yi.pk,
            gap_world.bing.pk,
            gap_world.ding.pk,
            world.ent_s.pk,
        ],
        due_on=due(),
    )
    by_name = {t.enterprise.name: t for t in tasks}
    contact(by_name["郑州乙国有公司"], staff)
    services.decline(by_name["郑州丙精密有限公司"].pk, by=staff, reason="不愿意")
    UserFactory(username="ding_founder")
    founding.open_application(by=staff, enterprise_id=gap_world.ding.pk, contact_username="ding_founder")
    jinshui = [EnterpriseFactory(region_id=JINSHUI) for _ in range(2)]
    services.assign(by=world.province_staff, enterprise_ids=[e.pk for e in jinshui], due_on=due())
    return tasks


def test_conversion_counts_equal_drill_down_lengths(world, funnel):
    rows = selectors.conversion(world.province_staff, Region.objects.get(code=ZHENGZHOU))
    assert [(r.region.code, r.counts) for r in rows] == [
        (ZHONGYUAN, {"assigned": 2, "contacted": 1, "declined": 1, "preparing": 1}),
        (JINSHUI, {"assigned": 2}),
    ]
    for row in rows:
        for stage_value, n in row.counts.items():
            assert (
                selectors.task_list(world.province_staff, region=row.region, stage=stage_value).count() == n
            )
        assert selectors.task_list(world.province_staff, region=row.region).count() == row.total
    assert rows[0].rate == 0.0
    # One level up: 郑州 in one row; at county level, the county itself; 金水区 staff see nothing of 中原区.
    (city,) = selectors.conversion(world.province_staff, Region.objects.get(code=HENAN))
    assert city.region.code == ZHENGZHOU and city.total == 7
    (county,) = selectors.conversion(world.county_staff, Region.objects.get(code=ZHONGYUAN))
    assert county.region.code == ZHONGYUAN and county.total == 5
    assert [
        r.region.code for r in selectors.conversion(world.other_staff, Region.objects.get(code=JINSHUI))
    ] == [JINSHUI]


def test_conversion_rate_counts_founded(world, funnel, gap_world):

    AssociationFactory(enterprise=world.ent_s)
    (row,) = selectors.conversion(world.county_staff, Region.objects.get(code=ZHONGYUAN))
    assert row.counts["founded"] == 1 and row.rate == 20.0
