"""Writes on enterprises. Each function is one transaction and writes the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from kexie.accounts.permissions import require
from kexie.accounts.scoping import region_in_reach
from kexie.core import audit, jobs
from kexie.core.errors import DomainError
from kexie.core.events import announce

from . import importers
from .cleaning import FIELDS, clean_fields
from .events import EnterprisesChanged
from .models import Enterprise, ImportBatch
from .permissions import get_enterprise_for_user, get_import_batch_for_user

AUDITED_FIELDS = [f.name for f in FIELDS]


def _check_region_reach(by, region) -> None:
    if not region_in_reach(by, region):
        raise DomainError(
            gettext("注册地“%(place)s”不在您的管辖范围内。") % {"place": region.full_name}, field="region"
        )


def _check_unique_code(code: str, *, exclude_pk: int | None = None) -> None:
    qs = Enterprise.objects.filter(credit_code=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    existing = qs.first()
    if existing is not None:
        raise DomainError(
            gettext("统一社会信用代码“%(code)s”已被企业“%(name)s”使用。")
            % {"code": code, "name": existing.name},
            field="credit_code",
        )


def _first_error(errors: list[DomainError]) -> None:
    if errors:
        raise errors[0]


def create_enterprise(*, by, data: Mapping[str, Any]) -> Enterprise:
    require(by, "enterprise.create")
    values, errors = clean_fields(data)
    _first_error(errors)
    _check_region_reach(by, values["region"])
    _check_unique_code(values["credit_code"])
    with transaction.atomic():
        enterprise = Enterprise(**values)
        try:
            enterprise.save()
        except IntegrityError as exc:  # a concurrent insert of the same code
            raise DomainError(gettext("统一社会信用代码已存在。"), field="credit_code") from exc
        after = audit.snapshot(enterprise, AUDITED_FIELDS)
        audit.record(actor=by, action="create", instance=enterprise, changes=audit.diff({}, after))
        announce(EnterprisesChanged((enterprise.pk,)))
    return enterprise


def update_enterprise(enterprise_id: int, *, by, data: Mapping[str, Any]) -> Enterprise:
    require(by, "enterprise.edit")
    values, errors = clean_fields(data, partial=True)
    _first_error(errors)
    with transaction.atomic():
        enterprise = get_enterprise_for_user(by, enterprise_id)
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if "region" in values and values["region"].pk != enterprise.region_id:
            _check_region_reach(by, values["region"])
        if "credit_code" in values:
            _check_unique_code(values["credit_code"], exclude_pk=enterprise.pk)
        employees = values.get("employees", enterprise.employees)
        st_workers = values.get("st_workers", enterprise.st_workers)
        if employees is not None and st_workers is not None and st_workers > employees:
            raise DomainError(gettext("科技工作者人数不能多于职工人数。"), field="st_workers")
        before = audit.snapshot(enterprise, AUDITED_FIELDS)
        old_region = enterprise.region_id
        for name, value in values.items():
            setattr(enterprise, name, value)
        after = audit.snapshot(enterprise, AUDITED_FIELDS)
        changes = audit.diff(before, after)
        if changes:
            enterprise.save()
            audit.record(actor=by, action="update", instance=enterprise, changes=changes)
            announce(EnterprisesChanged((enterprise.pk,), old_regions=(old_region,)))
    return enterprise


# --- importing an enterprise list (preview, then one-transaction commit) -------------------

IMPORT_BATCH_SIZE = 500


def preview_enterprise_import(*, by, upload) -> ImportBatch:
    """Judge an uploaded list and keep it (under a random name) for a later commit; no enterprise is written."""
    require(by, "enterprise.import")
    data = jobs.read_upload(upload)
    plan = importers.plan_import(by, data, filename=upload.name)
    path = jobs.keep_upload(data, folder="enterprises", extension=f".{plan.kind}")
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                kind=ImportBatch.Kind.IMPORT,
                status=ImportBatch.Status.PREVIEWED,
                user=by,
                original_name=jobs.original_name(upload),
                stored_path=path,
                errors=plan.error_dicts(),
                sample=plan.sample(),
                processed_rows=plan.counts["total_rows"],
                **plan.counts,
            )
    except Exception:
        default_storage.delete(path)
        raise
    return batch


def commit_enterprise_import(batch_id: int, *, by) -> ImportBatch:
    """Re-read and re-judge the stored file, then write every valid row in one transaction."""
    require(by, "enterprise.import")
    batch = get_import_batch_for_user(by, batch_id)
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.PREVIEWED:
            raise DomainError(
                gettext("该批次已经导入过或已失败，不能再次提交；如需重新导入，请重新上传文件。")
            )
        try:
            data = jobs.read_kept(batch)
            plan = importers.plan_import(by, data, filename=batch.stored_path, for_update=True)
            with transaction.atomic():
                _apply_import_plan(plan, by=by, batch=batch)
        except (DomainError, OSError, IntegrityError) as exc:
            batch.status = ImportBatch.Status.FAILED
            batch.failure = _import_failure(exc)
            batch.save(update_fields=["status", "failure"])
            return batch
        for name, value in plan.counts.items():
            setattr(batch, name, value)
        batch.processed_rows = batch.total_rows
        batch.errors = plan.error_dicts()
        batch.sample = plan.sample()
        batch.status = ImportBatch.Status.COMMITTED
        batch.committed_at = timezone.now()
        batch.save()
        audit.record(
            actor=by,
            action="import",
            instance=batch,
            changes={"created": [None, batch.to_create], "updated": [None, batch.to_update]},
            # The audit log is a permanent record kept in Chinese, whatever the actor's page language.
            note=f"导入企业名单：新增{batch.to_create}家，更新{batch.to_update}家，拒绝{batch.refused}行。",
        )
    return batch


def _import_failure(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.message[:500]
    if isinstance(exc, IntegrityError):
        return gettext("导入过程中有其他人同时登记了相同的企业，本次未写入任何数据，请重新上传文件。")
    return gettext("已上传的文件无法读取，本次未写入任何数据，请重新上传文件。")


def _apply_import_plan(plan: importers.ImportPlan, *, by, batch: ImportBatch) -> None:
    note = f"企业名单导入 #{batch.pk}"  # audit record: Chinese, as above
    created = [enterprise for enterprise, _changes in plan.written("create")]
    Enterprise.objects.bulk_create(created, batch_size=IMPORT_BATCH_SIZE)
    audit.record_many(
        actor=by,
        action="create",
        items=[(e, audit.diff({}, audit.snapshot(e, AUDITED_FIELDS))) for e in created],
        note=note,
    )
    updates = plan.written("update")
    old_regions = set(
        Enterprise.objects.filter(pk__in=[e.pk for e, _changes in updates]).values_list(
            "region_id", flat=True
        )
    )
    if updates:
        now = timezone.now()
        fields = sorted({name for _e, changes in updates for name in changes} | {"updated_at"})
        for enterprise, _changes in updates:
            enterprise.updated_at = now
        Enterprise.objects.bulk_update([e for e, _c in updates], fields, batch_size=IMPORT_BATCH_SIZE)
        audit.record_many(actor=by, action="update", items=updates, note=note)
    announce(
        EnterprisesChanged(
            tuple(e.pk for e in created) + tuple(e.pk for e, _changes in updates),
            old_regions=tuple(sorted(old_regions)),
        )
    )
