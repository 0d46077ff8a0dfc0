"""Writes on the organisation tree."""

from __future__ import annotations

from django.db import transaction

from kexie.core import audit
from kexie.coverage.services import refresh_for
from kexie.regions.models import Region

from .enums import Kind, Status
from .models import Association


def local_association_name(region: Region) -> str:
    return f"{region.name}科学技术协会"


@transaction.atomic
def ensure_local_associations() -> int:
    """Give every region its local 科协, supervised by the parent region's. Idempotent."""
    existing = dict(Association.objects.filter(kind=Kind.LOCAL).values_list("region_id", "id"))
    created = 0
    for level in (Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY):
        new = [
            Association(
                kind=Kind.LOCAL,
                name=local_association_name(r),
                region=r,
                parent_id=existing.get(r.parent_id),
                status=Status.ACTIVE,
            )
            for r in Region.objects.filter(level=level).order_by("code")
            if r.code not in existing
        ]
        Association.objects.bulk_create(new, batch_size=1000)
        created += len(new)
        if new:
            existing = dict(Association.objects.filter(kind=Kind.LOCAL).values_list("region_id", "id"))
    return created


def local_association_of(region: Region) -> Association:
    return Association.objects.get(kind=Kind.LOCAL, region=region)


@transaction.atomic
def create_association(
    *,
    by,
    kind: str,
    name: str,
    region: Region,
    parent: Association | None = None,
    enterprise=None,
    covered=(),
    joint_kind: str = "",
    status: str = Status.ACTIVE,
    founded_on=None,
    term_years: int = 5,
) -> Association:
    association = Association.objects.create(
        kind=kind,
        joint_kind=joint_kind,
        name=name,
        region=region,
        parent=parent or local_association_of(region),
        enterprise=enterprise,
        status=status,
        founded_on=founded_on,
        term_years=term_years,
    )
    if covered:
        association.covered_enterprises.set(covered)
    refresh_for(association_ids=[association.pk])
    audit.record(
        actor=by,
        action="create",
        instance=association,
        changes=audit.diff(
            {}, audit.snapshot(association, ["kind", "name", "region", "parent", "enterprise", "status"])
        ),
    )
    return association
