"""What the enterprises app announces (``core.events``)."""

from __future__ import annotations

from dataclasses import dataclass

from kexie.core.events import Event


@dataclass(frozen=True)
class EnterprisesChanged(Event):
    """Enterprises were created or edited (any field, the region included). ``old_regions``: the
    counties they were registered in before, for those that moved."""

    enterprise_ids: tuple[int, ...]
    old_regions: tuple[str, ...] = ()
