"""The one domain error: a whole sentence and the field it concerns.

The sentence is translated when the error is raised (``gettext``: Chinese by default, English
when the request asked for it). Services raise it; pages show it next to the field; the API
turns it into ``{"message": …, "field": …}`` with status 400.
"""

from __future__ import annotations

from django.utils.translation import gettext


class DomainError(Exception):
    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.code = code

    def as_dict(self) -> dict[str, str | None]:
        return {"message": self.message, "field": self.field}


class NotFound(DomainError):
    """Out of scope or absent: the two are indistinguishable on purpose."""

    def __init__(self, message: str | None = None, *, field: str | None = None):
        super().__init__(
            gettext("对象不存在。") if message is None else message, field=field, code="not_found"
        )


class Forbidden(DomainError):
    def __init__(self, message: str | None = None, *, field: str | None = None):
        message = gettext("您的角色无权执行此操作。") if message is None else message
        super().__init__(message, field=field, code="forbidden")
