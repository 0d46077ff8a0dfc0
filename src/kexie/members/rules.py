"""Rules of member congresses shared by every procedure that holds one (founding, re-election,
dissolution): head counts and the quorum of two thirds (社团 practice)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from kexie.core.errors import DomainError


def head_count(value: Any, field: str, label: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise DomainError(gettext("%(label)s应为整数。") % {"label": label}, field=field) from exc
    if number < 0:
        raise DomainError(gettext("%(label)s不能为负数。") % {"label": label}, field=field)
    return number


def check_quorum(total: int, present: int, *, field: str = "members_present") -> None:
    """A congress is valid with at least two thirds of the members present."""
    if present > total:
        raise DomainError(gettext("实到会员不能多于应到会员。"), field=field)
    if present * 3 < total * 2:
        raise DomainError(gettext("实到会员不足应到会员的三分之二，大会不能有效召开。"), field=field)
