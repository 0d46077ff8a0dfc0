"""The region tree: every signed-in user may browse it; the apps above add their figures and cards
(``regions.panels``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from kexie.accounts.permissions import require
from kexie.core.panels import contributions, render_panels

from . import panels, selectors
from .models import Region


def _children_table(user, region: Region | None) -> dict:
    """Each child region with the figures the apps above count under it for this user."""
    columns = [
        (column, counts)
        for column in contributions(panels.CHILDREN)
        if (counts := column.counts(user, region)) is not None
    ]
    rows = [
        {
            "region": child,
            "cells": [
                (column.title, counts.get(child.code, 0), column.link(child.code))
                for column, counts in columns
            ],
        }
        for child in selectors.children_of(region)
    ]
    return {"rows": rows, "columns": [column.title for column, _counts in columns]}


@login_required
def index(request):
    require(request.user, "region.view")
    return render(request, "regions/index.html", {"region": None, **_children_table(request.user, None)})


@login_required
def detail(request, code):
    require(request.user, "region.view")
    region = get_object_or_404(Region.objects.select_related("parent__parent"), code=code)
    context = {
        "region": region,
        "ancestors": selectors.ancestors_of(region),
        "panels": render_panels(panels.DETAIL, request, region),
        **_children_table(request.user, region),
    }
    return render(request, "regions/detail.html", context)
