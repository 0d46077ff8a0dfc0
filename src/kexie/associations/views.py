"""Pages for the organisation tree: the lazily expanded tree, the list, a node's detail and its history."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from kexie.accounts.permissions import has_perm, require
from kexie.core.forms import attempt
from kexie.core.pages import history_page, paginate, render_list
from kexie.core.panels import render_panels
from kexie.regions.selectors import ancestors_of, region_filter_options

from . import panels, selectors
from .enums import Kind
from .permissions import get_association_for_user

# How many covered enterprises the detail page lists before it only gives the count.
COVERED_SHOWN = 50


@login_required
def tree(request):
    require(request.user, "association.view")
    page_obj = paginate(request, selectors.tree_roots(request.user))
    return render(request, "associations/tree.html", {"page_obj": page_obj})


@login_required
def children(request, pk):
    """One level of the tree under a node, as ``<li>`` items (loaded by htmx; paged by a "more" item)."""
    require(request.user, "association.view")
    parent = get_association_for_user(request.user, pk)
    page_obj = paginate(request, selectors.tree_children(request.user, parent))
    remaining = page_obj.paginator.count - page_obj.end_index()
    context = {"parent": parent, "page_obj": page_obj, "remaining": remaining}
    response = render(request, "associations/_children.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def association_list(request):
    require(request.user, "association.view")
    params = request.GET
    kind = params.get("kind", "").strip()
    region = params.get("region_code", "").strip() or params.get("region", "").strip()
    # Bad filter input: the page stays, with the reason.
    page_obj, error = attempt(
        lambda: paginate(
            request, selectors.association_list(request.user, kind=kind, region=region, q=params.get("q", ""))
        )
    )
    context = {"page_obj": page_obj, "error": error, "params": params, "kind_choices": Kind.choices}
    return render_list(
        request,
        template="associations/list.html",
        partial="associations/_results.html",
        context=context,
        full_context=lambda: {
            "region_options": region_filter_options(request.user, params.get("region", "").strip())
        },
    )


@login_required
def detail(request, pk):
    require(request.user, "association.view")
    association = get_association_for_user(request.user, pk)
    covered = None
    if association.kind == Kind.JOINT:
        covered_qs = selectors.covered_enterprises(request.user, association)
        covered = {"count": covered_qs.count(), "shown": list(covered_qs[:COVERED_SHOWN])}
    context = {
        "association": association,
        "region_chain": [*ancestors_of(association.region), association.region],
        "links": selectors.visible_links(request.user, association),
        "covered": covered,
        "page_obj": paginate(request, selectors.tree_children(request.user, association)),
        "can_view_history": has_perm(request.user, "audit.view"),
        # What the apps above show here: the later life, the roster, a federation's unit members.
        "panels": render_panels(panels.DETAIL, request, association),
    }
    return render(request, "associations/detail.html", context)


@login_required
def history(request, pk):
    require(request.user, "audit.view")
    association = get_association_for_user(request.user, pk)
    return render(
        request,
        "associations/history.html",
        {"association": association, **history_page(request, association)},
    )
