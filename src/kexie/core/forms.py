"""The one way a page runs a service.

Forms check types only (a date is a date, a count a whole number); what a value means is decided by
the service, whose ``DomainError`` is put next to the field it names (``run_service``), or shown as
a message for a one-button action (``run_action``). ``Forbidden`` and ``NotFound`` are never caught
here: they become the 403/404 page (``core.errors_views``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from django import forms
from django.contrib import messages

from .errors import DomainError

T = TypeVar("T")


def put_error(form, exc: DomainError, field_map: dict[str, str] | None = None) -> None:
    """A service's ``DomainError`` next to its field on ``form`` (or above the form when the form has
    no such field). ``field_map`` names the form field for a service field called differently."""
    name = (field_map or {}).get(exc.field or "", exc.field)
    form.add_error(name if name in form.fields else None, exc.message)


def run_service(form, call: Callable[[], T], field_map: dict[str, str] | None = None) -> T | None:
    """Run ``call`` (a service) for a bound, valid ``form``: its result, or None with the refusal on
    the form (then ``form.errors`` is not empty, and the service wrote nothing)."""
    try:
        return call()
    except DomainError as exc:
        put_error(form, exc, field_map or getattr(form, "FIELD_MAP", None))
        return None


def run_action(request, call: Callable[[], T], *, success: Any = None) -> T | None:
    """Run ``call`` (a service) for a one-button action: ``success`` as a message when it is done,
    else the refusal's reason as an error message (and None)."""
    try:
        result = call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return None
    if success is not None:
        messages.success(request, success)
    return result


class ServiceForm(forms.Form):
    """A form whose values a service judges."""

    # A service's field name → the form field that shows its error.
    FIELD_MAP: ClassVar[dict[str, str]] = {}

    def service_error(self, exc: DomainError) -> None:
        put_error(self, exc, self.FIELD_MAP)

    def run(self, call: Callable[[], T]) -> T | None:
        return run_service(self, call, self.FIELD_MAP)
