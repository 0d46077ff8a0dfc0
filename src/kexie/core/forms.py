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


def attempt(call: Callable[[], T]) -> tuple[T | None, DomainError | None]:
    """Run ``call``: (its result, None), or (None, the ``DomainError`` it raised). The one place a page
    catches a refusal; a read whose input came from the query string uses it directly (the page
    stays, saying which parameter is wrong)."""
    try:
        return call(), None
    except DomainError as exc:
        return None, exc


def run_service(form, call: Callable[[], T], field_map: dict[str, str] | None = None) -> T | None:
    """Run ``call`` (a service) for a bound, valid ``form``: its result, or None with the refusal on
    the form (then ``form.errors`` is not empty, and the service wrote nothing)."""
    result, error = attempt(call)
    if error is not None:
        put_error(form, error, field_map or getattr(form, "FIELD_MAP", None))
    return result


def run_action(request, call: Callable[[], T], *, success: Any = None) -> T | None:
    """Run ``call`` (a service) for a one-button action: ``success`` as a message when it is done (a
    callable makes it from the result), else the refusal's reason as an error message (and None)."""
    result, error = attempt(call)
    if error is not None:
        messages.error(request, error.message)
    elif success is not None:
        messages.success(request, success(result) if callable(success) else success)
    return result


class ServiceForm(forms.Form):
    """A form whose values a service judges: the values go to it as typed (``service_data``), and its
    refusal comes back next to the field it names."""

    # A service's field name → the form field that shows its error.
    FIELD_MAP: ClassVar[dict[str, str]] = {}
    # The fields handed to the service (every field when empty).
    service_fields: ClassVar[tuple[str, ...]] = ()

    def service_data(self) -> dict[str, Any]:
        """What the service receives: the values as typed (the service cleans them again)."""
        return {name: self.cleaned_data.get(name, "") for name in self.service_fields or self.fields}

    def service_error(self, exc: DomainError) -> None:
        put_error(self, exc, self.FIELD_MAP)

    def run(self, call: Callable[[], T]) -> T | None:
        """Run ``call`` (a service) for this valid form: its result, or None with the refusal shown."""
        return run_service(self, call, self.FIELD_MAP)

    def submit(self, call: Callable[[dict[str, Any]], T]) -> T | None:
        """Check the form, then run ``call(service_data())``: its result, or None when the form or the
        service refused (the form says why)."""
        if not self.is_valid():
            return None
        return self.run(lambda: call(self.service_data()))
