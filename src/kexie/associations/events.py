"""What the associations app announces (``core.events``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from kexie.core.events import Event


@dataclass(frozen=True)
class AssociationCreated(Event):
    """An association was created (with its status, dates and covered enterprises)."""

    association_id: int


@dataclass(frozen=True)
class AssociationStatusChanged(Event):
    """``set_association_status`` moved an association from ``before`` to ``after`` on ``on``."""

    association_id: int
    before: str
    after: str
    on: datetime.date | None
