"""Dates as the procedures need them: a typed or posted date, and a term of whole years."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext

from .errors import DomainError


def parse_date(value: Any, field: str, label: str) -> datetime.date:
    """A date object, or ISO text like ``2026-05-20``; anything else is refused by field."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise DomainError(
            gettext("%(label)s应为日期，例如 2026-05-20。") % {"label": label}, field=field
        ) from exc


def years_after(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
