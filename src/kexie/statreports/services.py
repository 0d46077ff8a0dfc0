"""Writes of the yearly statistics tables: open (prefilled), edit cells (each change with a reason),
and the one state machine (submit → return → resubmit → accept by the level above).
Each write takes the acting user, runs in one transaction and writes the audit log; notifications go
out after commit."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, cast

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts import scoping
from kexie.accounts.enums import Role
from kexie.accounts.models import User
from kexie.accounts.permissions import require
from kexie.accounts.selectors import holders
from kexie.associations.enums import Kind
from kexie.associations.models import Association
from kexie.core import audit
from kexie.core.errors import DomainError, Forbidden, NotFound
from kexie.core.i18n import stored_language
from kexie.core.notify import notify
from kexie.core.states import next_state
from kexie.regions.models import Region

from . import prefill
from .enums import EDITABLE_STATES, FILER_ACTIONS, TRANSITIONS, Action
from .lines import CODES, LINE_BY_CODE
from .models import ReportEvent, StatCell, StatReport
from .permissions import get_stat_report_for_user, is_filer, is_reviewer
from .rules import check_totals, clean_figure, known_code

FIRST_YEAR = 2000


def due_date(year: int) -> datetime.date:
    """A year's table is due on ``KEXIE_STATS_DUE`` (month-day) of the next year."""
    month, day = (int(x) for x in settings.KEXIE_STATS_DUE.split("-"))
    return datetime.date(year + 1, month, day)


# --- who acts: the filing 科协's own staff, and the level above ----------------------------------


def _reviewers(region: Region) -> list[User]:
    if region.parent_id is None:
        return holders(Role.PLATFORM_ADMIN)
    return holders(Role.STAFF_REVIEWER, region=region.parent_id)


def _filers(report: StatReport) -> list[User]:
    return [*holders(Role.STAFF_REVIEWER, region=report.region_id), report.created_by]


def _url(report: StatReport) -> str:
    return reverse("statreports:detail", args=[report.pk])


def _locked(by, report_id) -> StatReport:
    """The table, within reach (else 404), locked for this transaction."""
    report = get_stat_report_for_user(by, report_id)
    return (
        StatReport.objects.select_for_update(of=("self",))
        .select_related("association", "region__parent")
        .get(pk=report.pk)
    )


# --- open a table -----------------------------------------------------------------------------------


def _year(value: Any) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        year = -1
    if not (FIRST_YEAR <= year <= timezone.localdate().year):
        raise DomainError(
            gettext("年度“%(year)s”不在可填报的范围内（%(first)d年至今年）。")
            % {"year": value, "first": FIRST_YEAR},
            field="year",
        )
    return year


@transaction.atomic
def open_report(*, by, region_code: str, year: Any) -> StatReport:
    """The table of ``region``'s 科协 for ``year``, created prefilled from the platform's data if it is
    not there yet. Only that 科协's own staff open it."""
    require(by, "statreport.fill")
    region = Region.objects.select_related("parent").filter(code=str(region_code)).first()
    if region is None or not scoping.region_in_reach(by, region):
        raise NotFound(gettext("地区不存在。"))
    if not is_filer(by, region):
        raise Forbidden(gettext("只有本级科协的工作人员可以填报本级的统计报表。"))
    year = _year(year)
    existing = StatReport.objects.filter(region=region, year=year).first()
    if existing is not None:
        return existing
    association = Association.objects.filter(kind=Kind.LOCAL, region=region).first()
    if association is None:
        raise DomainError(gettext("该地区没有地方科协，不能填报统计报表。"), field="region")
    figures = prefill.compute(region, year)
    try:
        with transaction.atomic():
            report = StatReport.objects.create(
                association=association,
                region=region,
                year=year,
                due_on=due_date(year),
                preparer_name=getattr(by, "display_name", "") or by.get_username(),
                created_by=by,
            )
    except IntegrityError:  # opened by someone else at the same moment
        return StatReport.objects.get(region=region, year=year)
    StatCell.objects.bulk_create(
        StatCell(report=report, code=code, prefilled=figures[code], filed=figures[code]) for code in CODES
    )
    audit.record(
        actor=by,
        action="create",
        instance=report,
        changes={"state": [None, report.state]},
        note="；".join(f"{code}={figures[code]}" for code in CODES),
    )
    return report


# --- edit cells ----------------------------------------------------------------------------------------

SIGNATURE_FIELDS = ("head_name", "preparer_name", "preparer_phone")


def _signature_value(name: str, value: Any) -> str:
    text = " ".join(str(value or "").split())
    field = cast(models.CharField, StatReport._meta.get_field(name))
    limit = field.max_length or 0
    if len(text) > limit:
        label = field.verbose_name
        raise DomainError(
            gettext("“%(label)s”不能超过%(limit)d个字。") % {"label": label, "limit": limit}, field=name
        )
    return text


def _changed_cells(
    current: dict[str, StatCell], cells: Mapping[str, Any], *, by
) -> list[tuple[StatCell, dict]]:
    """The cells whose figure changes, set to the new figure with its reason (required), each with its
    audited change; nothing is saved here."""
    changed: list[tuple[StatCell, dict]] = []
    now = timezone.now()
    for raw_code, change in cells.items():
        code = known_code(raw_code)
        if not isinstance(change, Mapping):
            change = {"value": change}
        value = clean_figure(code, change.get("value"))
        cell = current[code]
        if value == cell.filed:
            continue
        reason = " ".join(str(change.get("reason") or "").split())
        if not reason:
            raise DomainError(
                gettext("修改“%(label)s”（栏目%(code)s）须写明原因。")
                % {"label": LINE_BY_CODE[code].label, "code": code},
                field=code,
            )
        changes = {"filed": [cell.filed, value], "reason": [cell.reason, reason[:300]]}
        cell.filed, cell.reason, cell.changed_by, cell.changed_at = value, reason[:300], by, now
        changed.append((cell, changes))
    return changed


@transaction.atomic
def update_cells(
    report_id,
    *,
    by,
    cells: Mapping[str, Mapping[str, Any]] | None = None,
    signature: Mapping[str, Any] | None = None,
) -> StatReport:
    """Change filed figures (``{code: {"value": …, "reason": …}}``) and the signature names. Every
    changed figure needs a reason; the whole table must stay consistent; nothing is saved otherwise."""
    require(by, "statreport.fill")
    report = _locked(by, report_id)
    if not is_filer(by, report.region):
        raise Forbidden(gettext("只有本级科协的工作人员可以修改本级的统计报表。"))
    if report.state not in EDITABLE_STATES:
        raise DomainError(
            gettext("报表当前状态为“%(state)s”，不能修改。") % {"state": report.get_state_display()},
            code="state",
        )
    current = {cell.code: cell for cell in report.cells.all()}
    figures = {code: cell.filed for code, cell in current.items()}
    changed = _changed_cells(current, cells or {}, by=by)
    figures.update({cell.code: cell.filed for cell, _changes in changed})
    check_totals(figures)
    before = audit.snapshot(report, SIGNATURE_FIELDS)
    for name, value in (signature or {}).items():
        if name not in SIGNATURE_FIELDS:
            raise DomainError(gettext("未知的字段“%(name)s”。") % {"name": name}, field=name)
        setattr(report, name, _signature_value(name, value))
    report_changes = audit.diff(before, audit.snapshot(report, SIGNATURE_FIELDS))
    if changed:
        StatCell.objects.bulk_update(
            [cell for cell, _ in changed], ["filed", "reason", "changed_by", "changed_at"]
        )
        audit.record_many(actor=by, action="update", items=changed, note=str(report))
    if report_changes or changed:
        report.save()
    if report_changes:
        audit.record(actor=by, action="update", instance=report, changes=report_changes)
    return report


# --- the workflow ----------------------------------------------------------------------------------------


def figures(report: StatReport) -> dict[str, int]:
    return dict(report.cells.values_list("code", "filed"))


def _check_ready(report: StatReport, action: str, comment: str) -> None:
    """A return says why; a table sent up is consistent and signed."""
    if action == Action.RETURN and not comment:
        raise DomainError(gettext("退回时须写明需要修改的内容。"), field="comment")
    if action == Action.SUBMIT:
        check_totals(figures(report))
        for name in ("head_name", "preparer_name"):
            if not getattr(report, name).strip():
                label = cast(models.Field, StatReport._meta.get_field(name)).verbose_name
                raise DomainError(gettext("报送前请填写“%(label)s”。") % {"label": label}, field=name)


def _tell(report: StatReport, action: str, comment: str) -> None:
    """Whoever acts next: the level above when a table is sent, the filers when it comes back."""
    with stored_language():
        values = {"name": report.association.name, "year": report.year}
        if action == Action.SUBMIT:
            notify(
                _reviewers(report.region),
                text=gettext("“%(name)s”报送了%(year)s年度组织建设统计表，请审核。") % values,
                url=_url(report),
            )
        elif action == Action.RETURN:
            notify(
                _filers(report),
                text=gettext("%(year)s年度组织建设统计表被退回修改：%(comment)s")
                % {**values, "comment": comment},
                url=_url(report),
            )
        else:
            notify(
                _filers(report),
                text=gettext("%(year)s年度组织建设统计表已审核通过。") % values,
                url=_url(report),
            )


@transaction.atomic
def transition(report_id, *, by, action: str, comment: str = "") -> StatReport:
    """The only function that changes a table's state: checks the transition table, saves, keeps an
    event with its comment, audits and tells whoever acts next."""
    if action not in Action.values:
        raise DomainError(gettext("未知的操作“%(action)s”。") % {"action": action}, field="action")
    action = Action(action)
    filer_action = action in FILER_ACTIONS
    require(by, "statreport.fill" if filer_action else "statreport.review")
    report = _locked(by, report_id)
    if filer_action and not is_filer(by, report.region):
        raise Forbidden(gettext("只有本级科协的工作人员可以报送本级的统计报表。"))
    if not filer_action and not is_reviewer(by, report.region):
        raise Forbidden(gettext("只有上一级科协的工作人员可以审核该统计报表。"))
    target = next_state(
        TRANSITIONS,
        action,
        report.state,
        lambda: (
            gettext("报表当前状态为“%(state)s”，不能“%(action)s”。")
            % {"state": report.get_state_display(), "action": action.label}
        ),
        field="action",
    )
    comment = (comment or "").strip()
    _check_ready(report, action, comment)
    before = report.state
    now = timezone.now()
    report.state = target
    if action == Action.SUBMIT:
        report.submitted_at = now
        report.first_submitted_at = report.first_submitted_at or now
    else:
        report.reviewed_at = now
        report.comment = comment
    report.save()
    ReportEvent.objects.create(
        report=report, action=action, from_state=before, to_state=target, comment=comment, actor=by
    )
    audit.record(actor=by, action="state", instance=report, changes={"state": [before, target]}, note=comment)
    _tell(report, action, comment)
    return report
