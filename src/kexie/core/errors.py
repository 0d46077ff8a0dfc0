"""The three ways a service refuses: bad input or a wrong state, no right, nothing there.

- ``DomainError``: a whole sentence and the field it concerns (400). Pages show it next to the
  field (``core.forms.run_service``); the API answers ``{"message": …, "field": …}``.
- ``Forbidden``: the user's role may not do this here (403, with the reason).
- ``NotFound``: absent, or out of the user's reach: the two are indistinguishable on purpose (404).

``Forbidden`` and ``NotFound`` are Django's own ``PermissionDenied`` and ``Http404``, so the one
place that turns them into pages is Django's ``handler403``/``handler404`` (``core.errors_views``)
and the API's one error handler (``api.errors``); no view catches them.

The sentence is translated when the error is raised (``gettext``: Chinese by default, English
when the request asked for it).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext


class DomainError(Exception):
    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.code = code

    def as_dict(self) -> dict[str, str | None]:
        return {"message": self.message, "field": self.field}


class Forbidden(PermissionDenied):
    """The role may not do this (here): a 403 that says why."""

    code = "forbidden"

    def __init__(self, message: str | None = None, *, field: str | None = None):
        self.message = gettext("您的角色无权执行此操作。") if message is None else str(message)
        self.field = field
        super().__init__(self.message)


class NotFound(Http404):
    """Out of reach or absent: a 404 (the message is the same whatever the cause)."""

    code = "not_found"

    def __init__(self, message: str | None = None):
        self.message = gettext("对象不存在。") if message is None else str(message)
        self.field = None
        super().__init__(self.message)


def get_or_not_found(queryset, pk, message: str | None = None):
    """The row ``pk`` of an already scoped ``queryset``; ``NotFound`` when it is not there (absent, out
    of reach, or a ``pk`` that is not even a number: all the same to the caller)."""
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(message) from exc
