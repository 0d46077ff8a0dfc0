"""Every write path keeps the coverage cells equal to a recount from the rows: perform it, then
``recount`` finds zero differences (and the figure moved as expected)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.utils import timezone

from kexie.accounts.models import User
from kexie.associations import services as association_services
from kexie.associations.enums import JointKind, Kind, Status
from kexie.associations.models import Association
from kexie.coverage import selectors
from kexie.coverage.definition import CoverageScope
from kexie.coverage.models import CoverageCell, CoverageJoint, CoverageMonth, CoverageState, CoverageTotal
from kexie.coverage.services import count_cells, ensure_current, rebuild, recount, stored_days
from kexie.enterprises import services as enterprise_services
from kexie.founding import services as founding_services
from kexie.founding.enums import Recipient
from kexie.founding.models import Filing
from kexie.lifecycle import services as lifecycle_services
from kexie.regions.models import Region

from ..factories import JINSHUI, ZHONGYUAN, EnterpriseFactory, UserFactory, credit_code_for
from ..founding.conftest import complete_dossier, congress_data


def zhongyuan(user):
    result = selectors.coverage(user, Region.objects.get(code=ZHONGYUAN), CoverageScope())
    return result.total.in_scope, result.total.covered


def assert_agrees():
    assert recount() == []


def test_enterprise_create_and_update(cov):
    staff = User.objects.get(pk=cov.world.county_staff.pk)
    before = zhongyuan(staff)
    e = enterprise_services.create_enterprise(
        by=staff,
        data={
            "name": "覆盖写入测试有限公司",
            "credit_code": credit_code_for(61001),
            "region": ZHONGYUAN,
            "ownership": "private",
        },
    )
    assert_agrees()
    assert zhongyuan(staff) == (before[0] + 1, before[1])
    admin = User.objects.get(pk=cov.world.admin.pk)
    for data in (
        {"ownership": "provincial"},
        {"industry": "M"},
        {"is_high_tech": True, "is_unicorn": True},
        {"employees": 900, "st_workers": 700},
        {"st_workers": ""},
        {"region": JINSHUI},  # moves out of 中原区: both counties are counted again
    ):
        enterprise_services.update_enterprise(e.pk, by=admin, data=data)
        assert_agrees()
    assert zhongyuan(staff) == before
    # A covered enterprise that moves takes its coverage along.
    enterprise_services.update_enterprise(cov.e1.pk, by=admin, data={"region": JINSHUI})
    assert_agrees()
    assert zhongyuan(staff) == (before[0] - 1, before[1] - 1)


def test_enterprise_import(cov, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    staff = User.objects.get(pk=cov.world.province_staff.pk)
    csv = (
        "企业名称,统一社会信用代码,注册地区划代码,所有制,是否高新技术企业\n"
        f"覆盖导入一号有限公司,{credit_code_for(62001)},410102,民营,是\n"
        f"覆盖导入二号有限公司,{credit_code_for(62002, JINSHUI)},410105,外资,否\n"
        f"{cov.e2.name},{cov.e2.credit_code},410105,民营,否\n"  # an update that moves e2 to 金水区
    )
    batch = enterprise_services.preview_enterprise_import(
        by=staff, upload=SimpleUploadedFile("名单.csv", csv.encode())
    )
    batch = enterprise_services.commit_enterprise_import(batch.pk, by=staff)
    assert batch.status == "committed", batch.failure
    assert (batch.to_create, batch.to_update) == (2, 1), batch.errors
    assert_agrees()
    assert zhongyuan(staff) == (7, 3)  # +1 created, −1 moved (e2 was uncovered)


def test_founding_approval_filing_active_then_dissolution(cov, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = cov.world
    staff = User.objects.get(pk=w.county_staff.pk)
    UserFactory(username="cov_founder")
    target = EnterpriseFactory(name="覆盖筹建测试有限公司", region_id=ZHONGYUAN)
    rebuild()
    before = zhongyuan(staff)
    application = founding_services.open_application(
        by=staff, enterprise_id=target.pk, contact_username="cov_founder"
    )
    assert_agrees()
    founder = User.objects.get(username="cov_founder")
    people = complete_dossier(application, founder)
    founding_services.submit(application.pk, by=founder)
    founding_services.approve(
        application.pk, by=User.objects.get(pk=w.county_staff.pk), on=datetime.date(2026, 1, 5)
    )
    assert_agrees()
    application.refresh_from_db()
    data, committee, officers = congress_data(application, people)
    founding_services.record_congress(
        application.pk, by=founder, data=data, committee=committee, officers=officers
    )
    founding_services.submit_filing(application.pk, by=founder)
    for filing in Filing.objects.filter(application=application):
        by = w.county_staff if filing.recipient == Recipient.KEXIE else w.acfic
        founding_services.acknowledge_filing(filing.pk, by=User.objects.get(pk=by.pk))
    association = Association.objects.get(pk=application.association_id)
    assert association.status == Status.ACTIVE
    assert_agrees()
    assert zhongyuan(staff) == (before[0], before[1] + 1)

    # Dissolution (lifecycle): proposed, decided by the congress, approved by the county 科协.
    secretary = User.objects.get(username="cov_founder")
    lifecycle_services.propose_dissolution(association.pk, by=secretary, reason="企业重组。")
    lifecycle_services.decide_dissolution(
        association.pk,
        by=secretary,
        congress_on="2026-03-01",
        members_total=4,
        members_present=4,
        votes_for=4,
    )
    lifecycle_services.approve_dissolution(association.pk, by=User.objects.get(pk=w.county_staff.pk))
    assert_agrees()
    assert zhongyuan(staff) == before


def test_abandonment_reject_and_withdraw(cov, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    w = cov.world
    staff = User.objects.get(pk=w.county_staff.pk)
    UserFactory(username="cov_founder2")
    first = EnterpriseFactory(name="覆盖放弃测试一号有限公司")
    second = EnterpriseFactory(name="覆盖放弃测试二号有限公司")
    app1 = founding_services.open_application(
        by=staff, enterprise_id=first.pk, contact_username="cov_founder2"
    )
    founder = User.objects.get(username="cov_founder2")
    complete_dossier(app1, founder)
    founding_services.submit(app1.pk, by=founder)
    founding_services.reject(app1.pk, by=User.objects.get(pk=w.county_staff.pk), reason="材料不实。")
    assert_agrees()
    app2 = founding_services.open_application(
        by=staff, enterprise_id=second.pk, contact_username="cov_founder2"
    )
    founding_services.withdraw(app2.pk, by=User.objects.get(username="cov_founder2"))
    assert_agrees()
    assert (
        Association.objects.filter(
            pk__in=[app1.association_id, app2.association_id], status=Status.ABANDONED
        ).count()
        == 2
    )


def test_joint_founding_and_association_create(cov):
    w = cov.world
    staff = User.objects.get(pk=w.county_staff.pk)
    UserFactory(username="cov_joint")
    founding_services.open_application(
        by=staff,
        enterprise_id=cov.e5.pk,
        contact_username="cov_joint",
        joint_kind=JointKind.PARK,
        covered_ids=[cov.e2.pk, cov.e3.pk],
    )
    assert_agrees()
    before = zhongyuan(staff)
    joint = association_services.create_association(
        by=staff,
        kind=Kind.JOINT,
        joint_kind=JointKind.REGIONAL,
        name="覆盖测试新建区域联建科学技术协会",
        region=Region.objects.get(code=ZHONGYUAN),
        covered=[cov.e2, cov.e3, cov.ent_b] if hasattr(cov, "ent_b") else [cov.e2, cov.e3, w.ent_b],
        founded_on=datetime.date(2025, 10, 1),
    )
    assert_agrees()
    assert zhongyuan(staff) == (before[0], before[1] + 2)
    own = association_services.create_association(
        by=staff,
        kind=Kind.ENTERPRISE,
        name="覆盖测试企业科协",
        region=Region.objects.get(code=ZHONGYUAN),
        enterprise=w.ent_s,
    )
    assert_agrees()
    assert zhongyuan(staff) == (before[0], before[1] + 3)
    assert joint.pk and own.pk


def test_recount_reports_and_fixes_differences(cov):
    CoverageCell.objects.filter(county_id=ZHONGYUAN).update(covered=0)
    CoverageCell.objects.filter(county_id=JINSHUI).delete()
    CoverageMonth.objects.filter(region="410100").update(covered=99)
    CoverageTotal.objects.filter(region="410000").update(in_scope=0)
    CoverageJoint.objects.all().delete()
    differences = recount()
    assert {d.key[0] for d in differences if d.table == "cell"} == {ZHONGYUAN, JINSHUI}
    assert {d.table for d in differences} == {"cell", "joint", "total", "month"}
    with pytest.raises(CommandError, match="differences"):
        call_command("recount_stats")
    call_command("recount_stats", "--fix")
    assert recount() == []
    call_command("recount_stats")  # exit 0


def test_the_day_changing_recounts_the_counties_whose_associations_changed(cov):
    """The cells are counted as of a day; on the next read after the day changes, the counties
    where a covering association was founded or dissolved in between are counted again."""

    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    cov.a5.status = Status.ACTIVE
    cov.a5.founded_on = tomorrow
    cov.a5.save()  # a 科协 founded tomorrow (written behind the services' back, as a date passing does)
    cov.j2.dissolved_on = tomorrow
    cov.j2.status = Status.DISSOLVED
    cov.j2.save()
    rebuild()
    assert recount() == []
    ensure_current(tomorrow)
    assert CoverageState.objects.get().as_of == tomorrow
    stored = {
        r[:5]: tuple(r[5:])
        for r in CoverageCell.objects.values_list(
            "county_id", "ownership", "industry", "flags", "st_bucket", "in_scope", "covered", "own"
        )
    }
    assert stored == count_cells(None, tomorrow) != count_cells(None, today)
    assert not CoverageJoint.objects.filter(association=cov.j2).exists()  # dissolved tomorrow
    zhongyuan_total = CoverageTotal.objects.filter(region=ZHONGYUAN).aggregate(c=Sum("covered"))["c"]
    assert zhongyuan_total == 3 - 1 + 1  # e4 loses J2, e5's 科协 is founded


@pytest.mark.parametrize("changes", [False, True])
def test_a_new_month_moves_the_trend_without_a_rebuild(cov, changes, django_assert_max_num_queries):
    """When a month begins, the month ends kept for the trend move by one: the new one is counted
    from the rows and the oldest dropped, and every table ends up as a rebuild would make it (with
    and without 科协 founded or dissolved in between)."""

    today = timezone.localdate()
    first_next = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    later = first_next + datetime.timedelta(days=2)
    last_of_month = first_next - datetime.timedelta(days=1)
    if changes:
        # Behind the services' back, as days passing: a 科协 founded on the last day of this month,
        # and J2 dissolved two days into the next.
        cov.a5.status, cov.a5.founded_on = Status.ACTIVE, last_of_month
        cov.a5.save()
        cov.j2.status, cov.j2.dissolved_on = Status.DISSOLVED, later
        cov.j2.save()
    rebuild(today)

    def snapshot():
        return (
            set(
                CoverageMonth.objects.values_list(
                    "region", "parent", "province", "city", "leaf", "ownership", "day", "covered"
                )
            ),
            set(
                CoverageCell.objects.values_list(
                    "county_id", "ownership", "industry", "flags", "st_bucket", "in_scope", "covered", "own"
                )
            ),
            set(
                CoverageTotal.objects.values_list(
                    "region", "parent", "ownership", "in_scope", "covered", "own"
                )
            ),
            set(
                CoverageJoint.objects.values_list(
                    "association_id", "county", "ownership", "industry", "flags", "st_bucket"
                )
            ),
        )

    with django_assert_max_num_queries(60):  # a few grouped queries, not a rebuild of every county
        ensure_current(later)
    rolled = snapshot()
    assert {d for (_r, _p, _pr, _c, _l, _o, d, _n) in rolled[0]} <= set(stored_days(later))
    assert last_of_month in {row[6] for row in rolled[0]}  # the new month end
    rebuild(later)
    assert rolled == snapshot()
