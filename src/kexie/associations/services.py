"""Writes on the organisation tree. ``set_association_status`` is the only writer of
``Association.status`` (a test checks that no other module assigns it)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext

from kexie.core import audit
from kexie.core.errors import DomainError
from kexie.core.events import announce
from kexie.regions.models import Region

from .enums import STATUS_TRANSITIONS, Kind, Status
from .events import AssociationCreated, AssociationStatusChanged
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
                parent_id=existing.get(r.parent_id or ""),
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
        parent=parent or Association.objects.get(kind=Kind.LOCAL, region=region),
        enterprise=enterprise,
        status=status,
        founded_on=founded_on,
        term_years=term_years,
    )
    if covered:
        association.covered_enterprises.set(covered)
    announce(AssociationCreated(association.pk))
    audit.record(
        actor=by,
        action="create",
        instance=association,
        changes=audit.diff(
            {}, audit.snapshot(association, ["kind", "name", "region", "parent", "enterprise", "status"])
        ),
    )
    return association


def rename_association(association: Association, name: str, *, by) -> Association:
    """A new name (a 科协 being founded may still change its name); audited."""
    name = " ".join(str(name or "").split())[:200]
    if not name:
        raise DomainError(gettext("科协名称不能为空。"), field="name")
    if name != association.name:
        before = association.name
        association.name = name
        association.save(update_fields=["name", "updated_at"])
        audit.record(actor=by, action="update", instance=association, changes={"name": [before, name]})
    return association


def set_supervisor(association: Association, parent: Association, *, by, reason: str = "") -> Association:
    """The node that supervises ``association`` (e.g. the 科协 that approved its founding); audited."""
    if parent.pk != association.parent_id:
        before = association.parent
        association.parent = parent
        association.save(update_fields=["parent", "updated_at"])
        audit.record(
            actor=by,
            action="update",
            instance=association,
            changes={"parent": [audit.plain(before), audit.plain(parent)]},
            note=reason,
        )
    return association


# The date each status records.
_DATE_OF: dict[str, str] = {Status.ACTIVE: "founded_on", Status.DISSOLVED: "dissolved_on"}


def set_association_status(
    association: Association, new: str, *, by, on: datetime.date | None = None, reason: str = ""
) -> Association:
    """Move ``association`` (locked by the caller's transaction) to ``new``: checked against
    ``STATUS_TRANSITIONS``, saved with the day it happened (founded on / dissolved on ``on``), written
    to the audit log and announced (``AssociationStatusChanged``: coverage counts again). A refused
    move says from which status to which."""
    before = association.status
    if new not in STATUS_TRANSITIONS.get(before, ()):
        raise DomainError(
            gettext("“%(name)s”当前状态为“%(status)s”，不能变为“%(new)s”。")
            % {
                "name": association.name,
                "status": association.get_status_display(),
                "new": Status(new).label,
            },
            code="state",
        )
    fields = ["status", "updated_at"]
    association.status = new
    if new in _DATE_OF:
        if on is None:
            raise DomainError(gettext("请写明日期。"), field=_DATE_OF[new])
        setattr(association, _DATE_OF[new], on)
        fields.append(_DATE_OF[new])
    association.save(update_fields=fields)
    audit.record(
        actor=by, action="state", instance=association, changes={"status": [before, new]}, note=reason
    )
    announce(AssociationStatusChanged(association.pk, before, new, on))
    return association
