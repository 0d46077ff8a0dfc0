"""What every page of lists and histories does the same way: paginate, answer htmx with the
results partial, show an object's audit history."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from . import audit


def paginate(request, items, *, param: str = "page") -> Page:
    return Paginator(items, settings.KEXIE_PAGE_SIZE).get_page(request.GET.get(param))


def render_list(
    request,
    *,
    template: str,
    partial: str,
    context: dict[str, Any],
    full_context: Callable[[], dict[str, Any]] | None = None,
) -> HttpResponse:
    """The whole page, or only the results partial for an htmx filter request.

    ``full_context`` adds what only the whole page needs (e.g. filter options), so an htmx
    request does not compute it.
    """
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, partial, context)
    else:
        if full_context is not None:
            context = {**context, **full_context()}
        response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def history_page(request, instance: models.Model) -> dict[str, Any]:
    """Context for an object's history: a page of audit entries with their changed fields."""
    page_obj = paginate(request, audit.history(instance))
    entries = [(entry, audit.change_rows(entry, type(instance))) for entry in page_obj]
    return {"page_obj": page_obj, "entries": entries}
