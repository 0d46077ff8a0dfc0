"""Writing and reading the audit log. Every service that changes data calls ``record``."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext

from .i18n import join
from .masking import MASKERS
from .models import SYSTEM_ACTOR, AuditEntry


def plain(value: Any) -> Any:
    """A value as the audit log stores it (JSON: text for dates, objects and decimals)."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def personal_fields(instance: models.Model) -> dict[str, str]:
    """Fields of a model that hold personal data, with the kind of mask each needs."""
    return getattr(type(instance), "PERSONAL_FIELDS", {})


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {name: plain(getattr(instance, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def _masked(instance: models.Model, changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    personal = personal_fields(instance)
    if not personal:
        return changes
    out = {}
    for name, pair in changes.items():
        masker = MASKERS.get(personal.get(name, ""))
        out[name] = [masker(v) if masker and v else v for v in pair] if masker else pair
    return out


def _entry(actor, action: str, instance: models.Model | None, changes, note: str) -> AuditEntry:
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(
        actor=actor_obj,
        actor_name=(actor_obj.get_username() if actor_obj else SYSTEM_ACTOR),
        action=action,
        note=note[:500],
        changes=changes or {},
    )
    if instance is not None:
        # ContentType lookups are cached by Django: no query per entry.
        entry.content_type = ContentType.objects.get_for_model(type(instance))
        entry.object_id = str(instance.pk)
        entry.object_repr = str(instance)[:255]
        entry.changes = _masked(instance, changes or {})
    return entry


def record(
    *,
    actor,
    action: str,
    instance: models.Model | None = None,
    changes: dict[str, list[Any]] | None = None,
    note: str = "",
) -> AuditEntry:
    entry = _entry(actor, action, instance, changes, note)
    entry.save()
    return entry


def history(instance: models.Model):
    """The object's entries, newest first; for an object created by a bulk import (a field
    ``import_entry`` pointing at the import's one entry), that entry too."""
    ct = ContentType.objects.get_for_model(type(instance))
    where = Q(content_type=ct, object_id=str(instance.pk))
    if created_in := getattr(instance, "import_entry_id", None):
        where |= Q(pk=created_in)
    return AuditEntry.objects.filter(where).select_related("actor")


def _shown(field: models.Field | None, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if isinstance(value, list | tuple | dict):  # e.g. the names of a replaced list of rows
        return join(value.values() if isinstance(value, dict) else value)
    choices = dict(field.flatchoices) if getattr(field, "choices", None) else {}
    return str(choices.get(value, value))


def change_rows(entry: AuditEntry, model: type[models.Model]) -> list[tuple[str, str, str]]:
    """An entry's changes as (field label, before, after) for display; values were masked when logged.
    An entry about another kind of object (the import that created this one) shows its note only."""
    if entry.content_type_id and entry.content_type_id != ContentType.objects.get_for_model(model).pk:
        return []
    rows = []
    for name, pair in (entry.changes or {}).items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a field removed since the entry was written
            field = None
        label = str(getattr(field, "verbose_name", name) or name)
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else (None, pair)
        rows.append((label, _shown(field, before), _shown(field, after)))
    return rows


def record_many(
    *,
    actor,
    action: str,
    items: Iterable[tuple[models.Model, dict[str, list[Any]]]],
    note: str = "",
    batch_size: int = 1000,
) -> int:
    """``record`` for many objects at once (imports): one INSERT per ``batch_size`` entries."""
    entries = [_entry(actor, action, instance, changes, note) for instance, changes in items]
    AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)
