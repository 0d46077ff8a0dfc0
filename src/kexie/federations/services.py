"""Writes on a federation's unit members: admit, change tier, withdraw, and the yearly dues.

Every write takes the acting user (``by=``), checks the permission first, fetches through
``scoping`` (out of reach → 404), runs in one transaction and writes the audit log. Only the
federation's own staff (its secretary) or a platform admin manage it; a withdrawn unit is read-only
(it may be admitted again as a new membership, the old one keeping its history)."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts.enums import Role
from kexie.accounts.permissions import require
from kexie.accounts.selectors import holders
from kexie.associations.enums import Status
from kexie.associations.models import Association
from kexie.core import audit
from kexie.core.dates import parse_date
from kexie.core.errors import DomainError, NotFound
from kexie.core.i18n import stored_language
from kexie.core.notify import notify
from kexie.core.states import next_state

from . import selectors
from .enums import DEFAULT_DUES, DUES_TRANSITIONS, UNIT_TRANSITIONS, DuesAction, DuesStatus, Tier, UnitStatus
from .models import Dues, TierChange, UnitMember
from .permissions import check_manager, dues_for_user, get_federation_for_user, get_unit_member_for_user

MAX_AMOUNT = Decimal("9999999999.99")
_PHONE = re.compile(r"^[0-9+\- ]{7,20}$")
UNIT_FIELDS = (
    "tier",
    "joined_on",
    "representative_name",
    "representative_position",
    "representative_phone",
    "status",
)


# --- who may act ---------------------------------------------------------------------------------


def _federation(by, federation_id) -> Association:
    """The federation, in reach and managed by ``by``, locked for this transaction."""
    require(by, "federation.manage")
    federation = get_federation_for_user(by, federation_id)
    check_manager(by, federation)
    return Association.objects.select_for_update(of=("self",)).select_related("region").get(pk=federation.pk)


def _unit(by, unit_id) -> UnitMember:
    """A live unit member, in reach and of a federation ``by`` manages, locked for this transaction."""
    require(by, "federation.manage")
    unit = get_unit_member_for_user(by, unit_id)
    check_manager(by, unit.federation)
    unit = (
        UnitMember.objects.select_for_update(of=("self",))
        .select_related("federation", "enterprise", "member_association")
        .get(pk=unit.pk)
    )
    ensure_live(unit)
    return unit


def ensure_live(unit: UnitMember) -> None:
    if unit.status != UnitStatus.ACTIVE:
        raise DomainError(
            gettext("“%(name)s”已于%(date)s退会，其会员资料只读；如需再次入会，请重新办理入会。")
            % {"name": unit.unit_name, "date": unit.withdrawn_on},
            code="state",
        )


# --- checks shared by the writes ---------------------------------------------------------------


def _day(value: Any, field: str, label: str, *, not_before: datetime.date | None = None) -> datetime.date:
    day = parse_date(value, field, label)
    if day > timezone.localdate():
        raise DomainError(gettext("%(label)s不能晚于今天。") % {"label": label}, field=field)
    if not_before is not None and day < not_before:
        raise DomainError(
            gettext("%(label)s不能早于%(date)s。") % {"label": label, "date": not_before.isoformat()},
            field=field,
        )
    return day


def _tier(value: Any) -> str:
    if value not in Tier.values:
        raise DomainError(gettext("会员层级“%(value)s”不是有效选项。") % {"value": value}, field="tier")
    return value


def _text(value: Any, field: str, label: str, *, required: bool = False, max_length: int = 300) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise DomainError(gettext("请填写%(label)s。") % {"label": label}, field=field)
    if len(text) > max_length:
        raise DomainError(
            gettext("%(label)s不能超过%(max)s个字。") % {"label": label, "max": max_length}, field=field
        )
    return text


def _year(value: Any) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = 0
    if not (2000 <= year <= timezone.localdate().year + 1):
        raise DomainError(gettext("年度“%(year)s”不在可登记的范围内。") % {"year": value}, field="year")
    return year


def _amount(value: Any, field: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise DomainError(
            gettext("金额“%(value)s”应为不小于 0 的数字（元）。") % {"value": value}, field=field
        )
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(gettext("金额“%(value)s”最多保留两位小数。") % {"value": value}, field=field)
    return amount.quantize(Decimal("0.01"))


def _unit_secretaries(unit: UnitMember) -> list:
    """Those told about their unit's membership: the secretaries of the unit's own 科协."""
    if unit.member_association_id:
        associations = [unit.member_association_id]
    else:
        associations = list(
            Association.objects.filter(enterprise=unit.enterprise, status=Status.ACTIVE).values_list(
                "pk", flat=True
            )
        )
    return holders(Role.SECRETARY, association=list(associations))


def _url(unit: UnitMember) -> str:
    return reverse("federations:unit", args=[unit.pk])


# --- admit ---------------------------------------------------------------------------------------


def _member_unit(federation: Association, enterprise_id, association_id):
    """The enterprise or 科协 to admit (exactly one), within the federation's region."""
    if bool(enterprise_id) == bool(association_id):
        raise DomainError(gettext("请在会员企业和会员科协中选择且只选择一项。"), field="enterprise")
    if enterprise_id:
        enterprise = selectors.admissible_enterprises(federation).filter(pk=enterprise_id).first()
        if enterprise is None:
            raise DomainError(
                gettext("该企业不存在，或不在“%(name)s”的地区范围内。") % {"name": federation.name},
                field="enterprise",
            )
        return enterprise, None
    association = selectors.admissible_associations(federation).filter(pk=association_id).first()
    if association is None:
        raise DomainError(
            gettext("该科协不存在、不在正常状态，或不在“%(name)s”的地区范围内。") % {"name": federation.name},
            field="association",
        )
    return None, association


def _ensure_not_member(federation: Association, enterprise, association) -> None:
    """One live membership per unit; an enterprise and its own 科协 count as the same unit."""
    live = UnitMember.objects.filter(federation=federation, status=UnitStatus.ACTIVE)
    if enterprise is not None:
        field = "enterprise"
        ent_id = enterprise.pk
        same = live.filter(enterprise_id=ent_id) | live.filter(member_association__enterprise_id=ent_id)
    else:
        field = "association"
        same = live.filter(member_association=association)
        if association.enterprise_id:
            same = same | live.filter(enterprise_id=association.enterprise_id)
    existing = same.select_related("enterprise", "member_association").first()
    if existing is not None:
        raise DomainError(
            gettext("“%(name)s”已是本联合会的%(tier)s，不能重复入会。")
            % {"name": existing.unit_name, "tier": existing.get_tier_display()},
            field=field,
        )


@transaction.atomic
def admit_unit(
    federation_id,
    *,
    by,
    tier: str,
    joined_on,
    enterprise_id=None,
    association_id=None,
    representative_name: str = "",
    representative_position: str = "",
    representative_phone: str = "",
) -> UnitMember:
    federation = _federation(by, federation_id)
    enterprise, association = _member_unit(federation, enterprise_id, association_id)
    tier = _tier(tier)
    joined = _day(joined_on, "joined_on", gettext("入会日期"), not_before=federation.founded_on)
    _ensure_not_member(federation, enterprise, association)
    previous = (
        UnitMember.objects.filter(
            federation=federation, enterprise=enterprise, member_association=association
        )
        .exclude(withdrawn_on=None)
        .order_by("-withdrawn_on")
        .first()
    )
    if previous is not None and previous.withdrawn_on is not None and joined < previous.withdrawn_on:
        raise DomainError(
            gettext("再次入会的入会日期不能早于上次退会日期%(date)s。") % {"date": previous.withdrawn_on},
            field="joined_on",
        )
    phone = _text(representative_phone, "representative_phone", gettext("代表电话"), max_length=20)
    if phone and not _PHONE.match(phone):
        raise DomainError(gettext("代表电话应为 7 至 20 位数字。"), field="representative_phone")
    unit = UnitMember(
        federation=federation,
        enterprise=enterprise,
        member_association=association,
        tier=tier,
        joined_on=joined,
        representative_name=_text(
            representative_name, "representative_name", gettext("单位代表"), max_length=50
        ),
        representative_position=_text(
            representative_position, "representative_position", gettext("代表职务"), max_length=50
        ),
        representative_phone=phone,
        created_by=by,
    )
    try:
        with transaction.atomic():
            unit.save()
    except IntegrityError as exc:  # another request admitted the same unit a moment ago
        raise DomainError(
            gettext("“%(name)s”已是本联合会的会员，不能重复入会。") % {"name": unit.unit_name},
            field="association" if association else "enterprise",
        ) from exc
    audit.record(
        actor=by,
        action="create",
        instance=unit,
        changes={name: [None, value] for name, value in audit.snapshot(unit, UNIT_FIELDS).items()},
        note=f"{federation.name}",
    )
    with stored_language():
        notify(
            _unit_secretaries(unit),
            text=gettext("“%(unit)s”已加入“%(federation)s”，层级为%(tier)s。")
            % {"unit": unit.unit_name, "federation": federation.name, "tier": unit.get_tier_display()},
            url=_url(unit),
        )
    return unit


# --- tier -----------------------------------------------------------------------------------------


@transaction.atomic
def change_tier(unit_id, *, by, tier: str, changed_on, reason: str) -> TierChange:
    unit = _unit(by, unit_id)
    tier = _tier(tier)
    if tier == unit.tier:
        raise DomainError(
            gettext("“%(name)s”已是%(tier)s，新层级须与现层级不同。")
            % {"name": unit.unit_name, "tier": unit.get_tier_display()},
            field="tier",
        )
    last = unit.tier_changes.order_by("-changed_on", "-id").first()
    floor = max(unit.joined_on, last.changed_on) if last else unit.joined_on
    day = _day(changed_on, "changed_on", gettext("变更日期"), not_before=floor)
    reason = _text(reason, "reason", gettext("变更原因"), required=True)
    change = TierChange.objects.create(
        unit=unit, from_tier=unit.tier, to_tier=tier, changed_on=day, reason=reason, changed_by=by
    )
    before = unit.tier
    unit.tier = tier
    unit.save(update_fields=["tier"])
    audit.record(actor=by, action="update", instance=unit, changes={"tier": [before, tier]}, note=reason)
    with stored_language():
        notify(
            _unit_secretaries(unit),
            text=gettext("“%(unit)s”在“%(federation)s”的层级已由%(before)s调整为%(after)s。")
            % {
                "unit": unit.unit_name,
                "federation": unit.federation.name,
                "before": Tier(before).label,
                "after": Tier(tier).label,
            },
            url=_url(unit),
        )
    return change


# --- withdraw (the unit's one state change) ------------------------------------------------------


def transition(unit: UnitMember, action: str, *, by, note: str = "") -> UnitMember:
    """The only function that changes a unit member's status: checks ``UNIT_TRANSITIONS``, saves
    and audits. The caller holds the lock and has set the fields the new state needs."""
    target = next_state(
        UNIT_TRANSITIONS,
        action,
        unit.status,
        lambda: (
            gettext("“%(name)s”当前状态为“%(status)s”，不能办理此事项。")
            % {"name": unit.unit_name, "status": unit.get_status_display()}
        ),
    )
    before = unit.status
    unit.status = target
    unit.save()
    audit.record(
        actor=by,
        action="state",
        instance=unit,
        changes={"status": [before, target], **audit.diff({}, audit.snapshot(unit, ["withdrawn_on"]))},
        note=note,
    )
    return unit


@transaction.atomic
def withdraw_unit(unit_id, *, by, withdrawn_on, reason: str) -> UnitMember:
    unit = _unit(by, unit_id)
    day = _day(withdrawn_on, "withdrawn_on", gettext("退会日期"), not_before=unit.joined_on)
    reason = _text(reason, "reason", gettext("退会原因"), required=True)
    unit.withdrawn_on = day
    unit.withdraw_reason = reason
    transition(unit, "withdraw", by=by, note=reason)
    with stored_language():
        notify(
            _unit_secretaries(unit),
            text=gettext("“%(unit)s”已于%(date)s退出“%(federation)s”。")
            % {"unit": unit.unit_name, "date": day.isoformat(), "federation": unit.federation.name},
            url=_url(unit),
        )
    return unit


# --- dues -----------------------------------------------------------------------------------------


@transaction.atomic
def set_dues(unit_id, *, by, year, amount, note: str = "") -> Dues:
    """Set (or correct, while unpaid) one unit's dues for a year."""
    unit = _unit(by, unit_id)
    year = _year(year)
    if year < unit.joined_on.year:
        raise DomainError(
            gettext("“%(name)s”于%(joined)s入会，不能登记%(year)s年的会费。")
            % {"name": unit.unit_name, "joined": unit.joined_on, "year": year},
            field="year",
        )
    amount = _amount(amount)
    note = _text(note, "note", gettext("备注"))
    dues = Dues.objects.select_for_update().filter(unit=unit, year=year).first()
    if dues is None:
        dues = Dues.objects.create(unit=unit, year=year, amount=amount, note=note)
        audit.record(
            actor=by,
            action="create",
            instance=dues,
            changes={"amount": [None, str(amount)], "year": [None, year]},
        )
        return dues
    if dues.status != DuesStatus.UNPAID:
        raise DomainError(
            gettext("%(year)s年的会费已登记为“%(status)s”，不能再修改金额。")
            % {"year": year, "status": dues.get_status_display()},
            field="amount",
        )
    changes = audit.diff(
        {"amount": str(dues.amount), "note": dues.note}, {"amount": str(amount), "note": note}
    )
    if changes:
        dues.amount, dues.note = amount, note
        dues.save()
        audit.record(actor=by, action="update", instance=dues, changes=changes)
    return dues


@transaction.atomic
def generate_dues(federation_id, *, by, year, amounts: Mapping[str, Any] | None = None) -> int:
    """One unpaid dues row per active unit for ``year`` (units that joined by the end of that year and
    have none yet), the amount by tier. Returns how many rows were created; running it again adds none."""
    federation = _federation(by, federation_id)
    year = _year(year)
    table = dict(DEFAULT_DUES)
    for tier, value in (amounts or {}).items():
        _tier(tier)
        table[tier] = _amount(value, field=f"amount_{tier}")
    units = (
        UnitMember.objects.filter(
            federation=federation, status=UnitStatus.ACTIVE, joined_on__lte=datetime.date(year, 12, 31)
        )
        .exclude(dues__year=year)
        .select_related("enterprise", "member_association")
        .order_by("pk")
    )
    rows = [Dues(unit=u, year=year, amount=table[u.tier]) for u in units]
    Dues.objects.bulk_create(rows, batch_size=500)
    created = list(
        Dues.objects.filter(unit__federation=federation, year=year, unit__in=[r.unit for r in rows])
    )
    with stored_language():
        note = gettext("按层级生成%(year)s年会费") % {"year": year}
    audit.record_many(
        actor=by,
        action="create",
        items=[(d, {"amount": [None, str(d.amount)], "year": [None, year]}) for d in created],
        note=note,
    )
    return len(rows)


def _settle(dues: Dues, action: str, *, on: datetime.date | None, note: str) -> dict[str, list]:
    """The dues' one state change (unpaid → paid / exempt), checked against ``DUES_TRANSITIONS``."""
    target = next_state(
        DUES_TRANSITIONS,
        action,
        dues.status,
        lambda: (
            gettext("“%(name)s”%(year)s年的会费当前为“%(status)s”，不能%(action)s。")
            % {
                "name": dues.unit.unit_name,
                "year": dues.year,
                "status": dues.get_status_display(),
                "action": DuesAction(action).label,
            }
        ),
        field="dues",
    )
    changes: dict[str, list[Any]] = {"status": [dues.status, target]}
    dues.status = target
    dues.updated_at = timezone.now()  # bulk_update does not touch auto_now
    if target == DuesStatus.PAID:
        assert on is not None  # a payment always has its day (``settle_dues`` reads it)
        changes["paid_on"] = [None, on.isoformat()]
        dues.paid_on = on
    if note:
        changes["note"] = [dues.note, note]
        dues.note = note
    return changes


@transaction.atomic
def settle_dues(dues_ids: Iterable, *, by, action: str, paid_on=None, note: str = "") -> list[Dues]:
    """Mark one or many dues rows paid (with the date) or exempt (with the reason): all or nothing."""
    require(by, "federation.manage")
    ids = sorted({int(i) for i in dues_ids if str(i).strip().isdigit()})
    if not ids:
        raise DomainError(gettext("请至少选择一条会费记录。"), field="dues")
    if action not in DuesAction.values:
        raise DomainError(gettext("操作“%(value)s”不是有效选项。") % {"value": action}, field="action")
    rows = list(
        dues_for_user(by)
        .filter(pk__in=ids)
        .select_related("unit__federation", "unit__enterprise", "unit__member_association")
        .select_for_update(of=("self",))
        .order_by("pk")
    )
    if len(rows) != len(ids):
        raise NotFound(gettext("会费记录不存在。"))
    for federation in {d.unit.federation for d in rows}:
        check_manager(by, federation)
    note = _text(note, "note", gettext("备注"), required=action == DuesAction.EXEMPT)
    on = None
    if action == DuesAction.PAY:
        on = _day(paid_on, "paid_on", gettext("缴费日期"))
    items = []
    for dues in rows:
        ensure_live(dues.unit)
        items.append((dues, _settle(dues, action, on=on, note=note)))
    Dues.objects.bulk_update(rows, ["status", "paid_on", "note", "updated_at"])
    audit.record_many(actor=by, action="state", items=items, note=note)
    return rows


@transaction.atomic
def record_export(federation: Association, *, by, count: int) -> None:
    """An export of the unit list (phones masked) is logged like every export."""
    require(by, "federation.view")
    with stored_language():
        note = gettext("导出单位会员名单 %(count)s 条（电话已遮蔽）") % {"count": count}
    audit.record(actor=by, action="export", instance=federation, note=note)
