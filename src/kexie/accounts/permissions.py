"""Function-level rights: which roles may do what (a missing right is a 403). What a user may *see*
is decided by each app's ``permissions.py`` from the user's scope (``scoping``): out of reach is a
404.

The reach of the import and export jobs (``core.Job``, which core keeps but whose roles it cannot
see) is here too: ``jobs_for_user`` / ``get_job_for_user``.

Each app declares its own rights in its ``permissions.py`` with ``define`` (imported when the app is
ready, see ``KexieAppConfig``); a right that no app declared is a programming error (``KeyError``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext

from kexie.core.errors import Forbidden, get_or_not_found
from kexie.core.models import Job

from .enums import Role
from .scoping import scope_of

R = Role
VIEWERS = frozenset({R.STAFF_REVIEWER, R.STAFF_VIEWER, R.SASAC_VIEWER, R.ACFIC_VIEWER})
STAFF = frozenset({R.STAFF_REVIEWER, R.STAFF_VIEWER})

_RIGHTS: dict[str, frozenset[str]] = {}


def define(rights: Mapping[str, Iterable[str]]) -> None:
    """Declare rights and the roles that hold them. A right is declared once, by the app it belongs to."""
    for name, roles in rights.items():
        if name in _RIGHTS:
            raise ValueError(f"right {name!r} is declared twice")
        unknown = set(roles) - set(Role.values)
        if unknown:
            raise ValueError(f"right {name!r} names unknown roles {sorted(unknown)}")
        _RIGHTS[name] = frozenset(roles)


def rights() -> dict[str, frozenset[str]]:
    """Every declared right with its roles (the permission matrix and the docs read it)."""
    return dict(_RIGHTS)


def has_perm(user, perm: str) -> bool:
    roles = _RIGHTS[perm]
    if user is None or not user.is_authenticated:
        return False
    scope = scope_of(user)
    if scope.everything:
        return True
    return bool(scope.roles & roles)


def require(user, perm: str) -> None:
    if not has_perm(user, perm):
        raise Forbidden()


# --- jobs (core.Job: imports and exports) -------------------------------------------------------------
# Core keeps the jobs but cannot see roles; their reach is decided here, once for every app.


J = TypeVar("J", bound=Job)


def jobs_for_user(user, model: type[J]) -> QuerySet[J]:
    """Jobs (of ``model``, a proxy naming its topic, or all) a user may see: those they started;
    platform admins all of them."""
    scope = scope_of(user)
    if scope.everything:
        return model.objects.select_related("user")
    if scope.is_empty:
        return model.objects.none()
    return model.objects.select_related("user").filter(user=user)


def get_job_for_user(user, pk, model: type[J], message: str | None = None) -> J:
    return get_or_not_found(jobs_for_user(user, model), pk, message or gettext("任务不存在。"))


# Rights of the platform as a whole.
define({"audit.view": VIEWERS | {R.SECRETARY}})
