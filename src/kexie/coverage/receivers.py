"""What coverage does when the apps below it announce a change: it notes the counties to count
again (an outbox row each), inside the announcing write's transaction. Nothing is counted here and
nothing is locked, so no write anywhere waits on another county's (or the country's) figures."""

from __future__ import annotations

from kexie.associations.events import AssociationCreated, AssociationStatusChanged
from kexie.core.events import listen
from kexie.enterprises.events import EnterprisesChanged

from .models import PendingCounty
from .services import counties_of


def _mark(counties: set[str]) -> None:
    PendingCounty.objects.bulk_create(PendingCounty(county=c) for c in sorted(counties))


def enterprises_changed(event: EnterprisesChanged) -> None:
    _mark(counties_of(enterprise_ids=event.enterprise_ids, region_codes=event.old_regions))


def association_changed(event: AssociationCreated | AssociationStatusChanged) -> None:
    _mark(counties_of(association_ids=[event.association_id]))


def connect() -> None:
    listen(EnterprisesChanged, enterprises_changed)
    listen(AssociationCreated, association_changed)
    listen(AssociationStatusChanged, association_changed)
