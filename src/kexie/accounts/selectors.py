"""Reads about accounts: who holds which role where (whom to notify, who acts next)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import RoleAssignment, User


def holders(roles: str | Iterable[str], *, association=None, region=None) -> list[User]:
    """The active users holding one of ``roles`` bound to ``association`` (a row or primary key, or
    several) and/or ``region`` (a row or code); None is "any". Each user once, in the order the roles
    were granted."""
    roles = [roles] if isinstance(roles, str) else list(roles)
    assignments = RoleAssignment.objects.filter(role__in=roles, user__is_active=True)
    if isinstance(association, list | tuple | set | frozenset | QuerySet):
        assignments = assignments.filter(association__in=association)
    elif association is not None:
        assignments = assignments.filter(association=association)
    if region is not None:
        assignments = assignments.filter(region=region)
    users: dict[int, User] = {}
    for assignment in assignments.select_related("user").order_by("pk"):
        users.setdefault(assignment.user_id, assignment.user)
    return list(users.values())
