"""Services of a federation's unit members: every write, every refusal by its field, nothing written
when refused; counts per tier equal the rows; who sees what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from kexie.core import audit
from kexie.core.errors import DomainError, Forbidden
from kexie.core.models import AuditEntry, Notification
from kexie.federations import selectors, services
from kexie.federations.enums import DuesStatus, Tier, UnitStatus
from kexie.federations.models import Dues, TierChange, UnitMember
from kexie.federations.permissions import (
    get_federation_for_user,
    get_unit_member_for_user,
    unit_members_for_user,
)
from tests.factories import JINSHUI, AssociationFactory, EnterpriseFactory

TODAY = timezone.localdate()
JOINED = datetime.date(2024, 3, 1)


def admit(w, *, by=None, tier=Tier.MEMBER, joined_on=JOINED, **kwargs):
    kwargs.setdefault("enterprise_id", None if "association_id" in kwargs else w.ent_a.pk)
    return services.admit_unit(w.fed.pk, by=by or w.fed_staff, tier=tier, joined_on=joined_on, **kwargs)


def refused(field, call, *args, **kwargs) -> DomainError:
    before = (
        UnitMember.objects.count(),
        TierChange.objects.count(),
        Dues.objects.count(),
        AuditEntry.objects.count(),
    )
    with pytest.raises(DomainError) as info:
        call(*args, **kwargs)
    assert info.value.field == field, info.value.message
    after = (
        UnitMember.objects.count(),
        TierChange.objects.count(),
        Dues.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before
    return info.value


# --- admit -------------------------------------------------------------------------------------------


def test_admit_enterprise_writes_the_unit_audits_masked_and_tells_its_secretary(fed):
    unit = admit(
        fed,
        tier=Tier.CHAIR,
        representative_name="张伟",
        representative_position="总经理",
        representative_phone="13812345678",
    )
    unit.refresh_from_db()
    assert (unit.federation, unit.enterprise, unit.member_association) == (fed.fed, fed.ent_a, None)
    assert (unit.tier, unit.status, unit.joined_on) == (Tier.CHAIR, UnitStatus.ACTIVE, JOINED)
    entry = audit.history(unit).get(action="create")
    assert entry.changes["representative_phone"] == [None, "138****5678"]
    assert "13812345678" not in str(entry.changes)
    assert Notification.objects.filter(user=fed.secretary, text__contains="理事长单位").count() == 1


def test_admit_association(fed):
    unit = admit(fed, association_id=fed.assoc_a.pk, tier=Tier.COUNCIL)
    assert unit.member_association == fed.assoc_a and unit.enterprise is None
    assert unit.unit_name == fed.assoc_a.name


def test_admit_refusals_name_their_field_and_write_nothing(fed):
    admitted = admit(fed)
    staff = fed.fed_staff
    far = EnterpriseFactory(region_id=JINSHUI)
    refused("enterprise", admit, fed, enterprise_id=fed.ent_s.pk, association_id=fed.assoc_a.pk)
    refused("enterprise", services.admit_unit, fed.fed.pk, by=staff, tier="member", joined_on=JOINED)
    refused("enterprise", admit, fed, enterprise_id=far.pk)
    refused("enterprise", admit, fed, enterprise_id=10**9)
    refused("association", admit, fed, association_id=fed.assoc_b.pk)  # 金水区
    refused("tier", admit, fed, enterprise_id=fed.ent_s.pk, tier="gold")
    refused("joined_on", admit, fed, enterprise_id=fed.ent_s.pk, joined_on=TODAY + datetime.timedelta(days=1))
    refused("joined_on", admit, fed, enterprise_id=fed.ent_s.pk, joined_on="2020-02-29")  # before founding
    refused("joined_on", admit, fed, enterprise_id=fed.ent_s.pk, joined_on="not a date")
    refused("representative_phone", admit, fed, enterprise_id=fed.ent_s.pk, representative_phone="call me")
    # Already a live member, directly or through its own 科协.
    error = refused("enterprise", admit, fed)
    assert "已是本联合会的会员单位" in error.message
    refused("association", admit, fed, association_id=fed.assoc_a.pk)
    assert UnitMember.objects.get() == admitted


def test_the_same_enterprise_may_be_a_member_of_another_federation(fed):
    admit(fed)
    other = services.admit_unit(
        fed.other_fed.pk, by=fed.other_fed_staff, enterprise_id=fed.ent_a.pk, tier="chair", joined_on=JOINED
    )
    assert other.federation == fed.other_fed


def test_only_the_federations_own_staff_admits(fed):
    with pytest.raises(PermissionDenied):
        admit(fed, by=fed.county_staff)  # staff view, never manage
    with pytest.raises(Http404):
        admit(fed, by=fed.secretary)  # a secretary, but not of this federation
    with pytest.raises(Http404):
        admit(fed, by=fed.other_fed_staff)
    assert admit(fed, by=fed.admin).created_by == fed.admin
    assert UnitMember.objects.count() == 1


def test_a_unit_of_another_federation_is_out_of_reach(fed):
    unit = admit(fed)
    with pytest.raises(Http404):
        services.change_tier(unit.pk, by=fed.other_fed_staff, tier="chair", changed_on=TODAY, reason="升级")
    with pytest.raises(PermissionDenied):  # a staff reviewer never manages: the role is refused first
        services.change_tier(unit.pk, by=fed.other_staff, tier="chair", changed_on=TODAY, reason="升级")


# --- tier ---------------------------------------------------------------------------------------------


def test_change_tier_records_the_history(fed):
    unit = admit(fed, tier=Tier.MEMBER)
    change = services.change_tier(
        unit.pk, by=fed.fed_staff, tier="council", changed_on="2025-01-10", reason="换届"
    )
    services.change_tier(
        unit.pk, by=fed.fed_staff, tier="standing", changed_on="2025-06-01", reason="贡献突出"
    )
    unit.refresh_from_db()
    assert unit.tier == Tier.STANDING
    assert (change.from_tier, change.to_tier, change.changed_by) == ("member", "council", fed.fed_staff)
    assert list(unit.tier_changes.values_list("from_tier", "to_tier")) == [
        ("council", "standing"),
        ("member", "council"),
    ]
    assert audit.history(unit).filter(action="update").count() == 2


def test_change_tier_refusals(fed):
    unit = admit(fed, tier=Tier.MEMBER)
    services.change_tier(unit.pk, by=fed.fed_staff, tier="council", changed_on="2025-01-10", reason="换届")
    call = services.change_tier
    staff = fed.fed_staff
    refused("tier", call, unit.pk, by=staff, tier="council", changed_on=TODAY, reason="同层级")
    refused("tier", call, unit.pk, by=staff, tier="platinum", changed_on=TODAY, reason="无此层级")
    refused("changed_on", call, unit.pk, by=staff, tier="chair", changed_on="2024-01-01", reason="早于入会")
    refused("changed_on", call, unit.pk, by=staff, tier="chair", changed_on="2025-01-09", reason="早于上次")
    tomorrow = TODAY + datetime.timedelta(days=1)
    refused("changed_on", call, unit.pk, by=staff, tier="chair", changed_on=tomorrow, reason="未来")
    refused("reason", call, unit.pk, by=staff, tier="chair", changed_on=TODAY, reason="  ")
    with pytest.raises(PermissionDenied):
        call(unit.pk, by=fed.county_staff, tier="chair", changed_on=TODAY, reason="无权")


def test_the_units_own_secretary_sees_but_does_not_manage(fed):
    unit = admit(fed)
    assert get_unit_member_for_user(fed.secretary, unit.pk) == unit
    with pytest.raises(Forbidden):
        services.change_tier(unit.pk, by=fed.secretary, tier="chair", changed_on=TODAY, reason="自行升级")


# --- withdraw and re-admission -------------------------------------------------------------------


def test_withdraw_makes_the_unit_read_only_and_readmission_keeps_the_history(fed):
    unit = admit(fed, tier=Tier.COUNCIL)
    services.set_dues(unit.pk, by=fed.fed_staff, year=2025, amount="5000")
    services.withdraw_unit(unit.pk, by=fed.fed_staff, withdrawn_on="2025-09-30", reason="企业搬迁")
    unit.refresh_from_db()
    assert (unit.status, unit.withdrawn_on, unit.withdraw_reason) == (
        "withdrawn",
        datetime.date(2025, 9, 30),
        "企业搬迁",
    )
    assert audit.history(unit).filter(action="state").exists()
    staff = fed.fed_staff
    for call, kwargs in (
        (services.change_tier, {"tier": "chair", "changed_on": TODAY, "reason": "x"}),
        (services.withdraw_unit, {"withdrawn_on": TODAY, "reason": "x"}),
        (services.set_dues, {"year": 2026, "amount": "1"}),
    ):
        with pytest.raises(DomainError) as info:
            call(unit.pk, by=staff, **kwargs)
        assert info.value.code == "state"
    dues = Dues.objects.get(unit=unit)
    with pytest.raises(DomainError):
        services.settle_dues([dues.pk], by=staff, action="pay", paid_on=TODAY)
    refused("joined_on", admit, fed, joined_on="2025-09-29")  # before the withdrawal
    again = admit(fed, joined_on="2025-10-08", tier=Tier.MEMBER)
    assert again.pk != unit.pk
    assert list(UnitMember.objects.order_by("pk").values_list("status", flat=True)) == ["withdrawn", "active"]
    assert [m.pk for m in selectors.memberships_of(fed.fed_staff, again)] == [again.pk, unit.pk]
    assert Dues.objects.get(unit=unit).amount == Decimal("5000.00")


def test_withdraw_refusals(fed):
    unit = admit(fed)
    call = services.withdraw_unit
    refused("withdrawn_on", call, unit.pk, by=fed.fed_staff, withdrawn_on="2024-02-01", reason="早于入会")
    tomorrow = TODAY + datetime.timedelta(days=1)
    refused("withdrawn_on", call, unit.pk, by=fed.fed_staff, withdrawn_on=tomorrow, reason="未来")
    refused("reason", call, unit.pk, by=fed.fed_staff, withdrawn_on=TODAY, reason="")
    unit.refresh_from_db()
    assert unit.status == UnitStatus.ACTIVE


# --- dues ---------------------------------------------------------------------------------------------


def _units(w, tiers: dict[str, int], *, joined_on=JOINED):
    units = []
    for tier, n in tiers.items():
        for _ in range(n):
            units.append(admit(w, enterprise_id=EnterpriseFactory().pk, tier=tier, joined_on=joined_on))
    return units


def test_generate_dues_by_tier_once_per_unit_and_year(fed):
    units = _units(fed, {"chair": 1, "standing": 2, "member": 1})
    late = admit(fed, enterprise_id=EnterpriseFactory().pk, tier="council", joined_on=TODAY)
    gone = admit(fed, enterprise_id=EnterpriseFactory().pk, tier="council")
    services.withdraw_unit(gone.pk, by=fed.fed_staff, withdrawn_on=TODAY, reason="退出")
    year = TODAY.year - 1
    created = services.generate_dues(fed.fed.pk, by=fed.fed_staff, year=year, amounts={"chair": "30000"})
    assert created == 4  # not the one that joined this year, not the withdrawn one
    amounts = dict(Dues.objects.filter(year=year).values_list("unit_id", "amount"))
    assert amounts == {
        units[0].pk: Decimal("30000.00"),
        units[1].pk: Decimal("10000.00"),
        units[2].pk: Decimal("10000.00"),
        units[3].pk: Decimal("2000.00"),
    }
    assert late.pk not in amounts and gone.pk not in amounts
    assert AuditEntry.objects.filter(action="create", note__contains="会费").count() == 4
    assert services.generate_dues(fed.fed.pk, by=fed.fed_staff, year=year) == 0
    assert services.generate_dues(fed.fed.pk, by=fed.fed_staff, year=TODAY.year) == 5


def test_generate_dues_refusals(fed):
    _units(fed, {"chair": 1})
    staff = fed.fed_staff
    refused("year", services.generate_dues, fed.fed.pk, by=staff, year=1999)
    refused("year", services.generate_dues, fed.fed.pk, by=staff, year=TODAY.year + 2)
    refused("amount_chair", services.generate_dues, fed.fed.pk, by=staff, year=2025, amounts={"chair": "-1"})
    refused(
        "amount_member", services.generate_dues, fed.fed.pk, by=staff, year=2025, amounts={"member": "abc"}
    )
    refused("tier", services.generate_dues, fed.fed.pk, by=staff, year=2025, amounts={"gold": "1"})
    with pytest.raises(PermissionDenied):
        services.generate_dues(fed.fed.pk, by=fed.county_staff, year=2025)


def test_set_dues_creates_corrects_and_refuses_once_settled(fed):
    unit = admit(fed)
    staff = fed.fed_staff
    dues = services.set_dues(unit.pk, by=staff, year=2025, amount="1000")
    services.set_dues(unit.pk, by=staff, year=2025, amount="1200.50", note="按新标准")
    dues.refresh_from_db()
    assert (dues.amount, dues.note, dues.status) == (Decimal("1200.50"), "按新标准", DuesStatus.UNPAID)
    refused("year", services.set_dues, unit.pk, by=staff, year=2023, amount="1")  # before joining
    refused("amount", services.set_dues, unit.pk, by=staff, year=2025, amount="-5")
    refused("amount", services.set_dues, unit.pk, by=staff, year=2025, amount="1.234")
    services.settle_dues([dues.pk], by=staff, action="pay", paid_on="2025-03-01")
    refused("amount", services.set_dues, unit.pk, by=staff, year=2025, amount="1")


def test_settle_dues_one_by_one_or_in_bulk_all_or_nothing(fed):
    units = _units(fed, {"standing": 3})
    staff = fed.fed_staff
    services.generate_dues(fed.fed.pk, by=staff, year=2025)
    d1, d2, d3 = Dues.objects.order_by("unit_id")
    services.settle_dues([d1.pk], by=staff, action="pay", paid_on="2025-04-01")
    refused("dues", services.settle_dues, [d2.pk, d1.pk], by=staff, action="pay", paid_on="2025-04-02")
    refused("note", services.settle_dues, [d2.pk], by=staff, action="exempt", note="")
    refused("paid_on", services.settle_dues, [d2.pk], by=staff, action="pay", paid_on=None)
    refused(
        "paid_on",
        services.settle_dues,
        [d2.pk],
        by=staff,
        action="pay",
        paid_on=TODAY + datetime.timedelta(days=1),
    )
    refused("action", services.settle_dues, [d2.pk], by=staff, action="forgive")
    refused("dues", services.settle_dues, [], by=staff, action="pay", paid_on=TODAY)
    services.settle_dues([d2.pk, d3.pk], by=staff, action="exempt", note="困难企业减免")
    statuses = list(Dues.objects.order_by("unit_id").values_list("status", "paid_on", "note"))
    assert statuses == [
        ("paid", datetime.date(2025, 4, 1), ""),
        ("exempt", None, "困难企业减免"),
        ("exempt", None, "困难企业减免"),
    ]
    assert sum(audit.history(d).filter(action="state").count() for d in (d1, d2, d3)) == 3
    with pytest.raises(Http404):
        services.settle_dues([d1.pk], by=fed.other_fed_staff, action="pay", paid_on=TODAY)
    assert len(units) == 3


def test_dues_summary_rate(fed):
    _units(fed, {"chair": 2, "member": 3})
    staff = fed.fed_staff
    services.generate_dues(fed.fed.pk, by=staff, year=2025)
    rows = list(Dues.objects.order_by("pk"))
    services.settle_dues([rows[0].pk, rows[1].pk], by=staff, action="pay", paid_on="2025-05-01")
    services.settle_dues([rows[2].pk], by=staff, action="exempt", note="减免")
    summary = selectors.dues_summary(staff, fed.fed, 2025)
    assert (summary.total, summary.paid, summary.exempt, summary.unpaid) == (5, 2, 1, 2)
    assert summary.rate == 50.0
    assert summary.amount_paid == Decimal("40000.00")
    assert summary.amount_due == Decimal("44000.00")


# --- counts and scoping ---------------------------------------------------------------------------


def test_counts_per_tier_equal_the_rows(fed):
    units = _units(fed, {"chair": 12, "standing": 41, "council": 13, "member": 5})
    services.withdraw_unit(units[-1].pk, by=fed.fed_staff, withdrawn_on=TODAY, reason="退出")
    counts = {row["tier"]: row["count"] for row in selectors.tier_counts(fed.fed_staff, fed.fed)}
    assert counts == {"chair": 12, "standing": 41, "council": 13, "member": 4}
    for tier, n in counts.items():
        assert UnitMember.objects.filter(federation=fed.fed, tier=tier, status="active").count() == n
    assert [row["tier"] for row in selectors.tier_counts(fed.fed_staff, fed.fed)] == Tier.values
    assert selectors.status_counts(fed.fed_staff, fed.fed) == {"active": 70, "withdrawn": 1}


def test_who_sees_the_federation_and_its_units(fed):
    unit = admit(fed)
    other_unit = admit(fed, enterprise_id=fed.ent_s.pk)
    for user in (fed.admin, fed.province_staff, fed.county_staff, fed.county_viewer, fed.fed_staff):
        assert get_federation_for_user(user, fed.fed.pk) == fed.fed
        assert set(unit_members_for_user(user)) == {unit, other_unit}
    for user in (
        fed.other_staff,
        fed.other_fed_staff,
        fed.secretary,
        fed.member,
        fed.sasac,
        fed.provider,
        fed.nobody,
    ):
        with pytest.raises(Http404):
            get_federation_for_user(user, fed.fed.pk)
    for user in (fed.other_staff, fed.other_fed_staff, fed.member, fed.nobody):
        assert not unit_members_for_user(user).exists()
    # The unit's own 科协 secretary: their own unit only.
    assert list(unit_members_for_user(fed.secretary)) == [unit]
    b_unit = admit(fed, association_id=AssociationFactory().pk)
    assert b_unit not in unit_members_for_user(fed.secretary)
