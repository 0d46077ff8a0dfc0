"""Writes on enterprises. Each function is one transaction and writes the audit log."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction

from kexie.accounts.permissions import require
from kexie.accounts.scoping import get_enterprise, region_in_reach
from kexie.core import audit
from kexie.core.errors import DomainError

from .cleaning import FIELDS, clean_fields
from .models import Enterprise

AUDITED_FIELDS = [f.name for f in FIELDS]


def _check_region_reach(by, region) -> None:
    if not region_in_reach(by, region):
        raise DomainError(f"注册地“{region.full_name}”不在您的管辖范围内。", field="region")


def _check_unique_code(code: str, *, exclude_pk: int | None = None) -> None:
    qs = Enterprise.objects.filter(credit_code=code)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    existing = qs.first()
    if existing is not None:
        raise DomainError(f"统一社会信用代码“{code}”已被企业“{existing.name}”使用。", field="credit_code")


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
            raise DomainError("统一社会信用代码已存在。", field="credit_code") from exc
        after = audit.snapshot(enterprise, AUDITED_FIELDS)
        audit.record(actor=by, action="create", instance=enterprise, changes=audit.diff({}, after))
    return enterprise


def update_enterprise(enterprise_id: int, *, by, data: Mapping[str, Any]) -> Enterprise:
    require(by, "enterprise.edit")
    values, errors = clean_fields(data, partial=True)
    _first_error(errors)
    with transaction.atomic():
        enterprise = get_enterprise(by, enterprise_id)
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if "region" in values and values["region"].pk != enterprise.region_id:
            _check_region_reach(by, values["region"])
        if "credit_code" in values:
            _check_unique_code(values["credit_code"], exclude_pk=enterprise.pk)
        employees = values.get("employees", enterprise.employees)
        st_workers = values.get("st_workers", enterprise.st_workers)
        if employees is not None and st_workers is not None and st_workers > employees:
            raise DomainError("科技工作者人数不能多于职工人数。", field="st_workers")
        before = audit.snapshot(enterprise, AUDITED_FIELDS)
        for name, value in values.items():
            setattr(enterprise, name, value)
        after = audit.snapshot(enterprise, AUDITED_FIELDS)
        changes = audit.diff(before, after)
        if changes:
            enterprise.save()
            audit.record(actor=by, action="update", instance=enterprise, changes=changes)
    return enterprise
