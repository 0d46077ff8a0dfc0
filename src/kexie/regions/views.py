from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from kexie.accounts.permissions import has_perm, require
from kexie.associations.enums import Kind
from kexie.associations.permissions import associations_for_user
from kexie.enterprises.permissions import enterprises_for_user

from . import selectors
from .models import Region


def _children_with_counts(user, region: Region | None) -> list[dict]:
    """Each child region with the enterprises and enterprise 科协 the user may see under it."""
    children = list(selectors.children_of(region))
    enterprises = associations = {}
    if has_perm(user, "enterprise.view"):
        enterprises = selectors.count_by_child(enterprises_for_user(user), region)
    if has_perm(user, "association.view"):
        visible = associations_for_user(user).filter(kind=Kind.ENTERPRISE)
        associations = selectors.count_by_child(visible, region)
    return [
        {"region": c, "enterprises": enterprises.get(c.code, 0), "associations": associations.get(c.code, 0)}
        for c in children
    ]


@login_required
def index(request):
    require(request.user, "region.view")
    context = {"rows": _children_with_counts(request.user, None), "region": None}
    return render(request, "regions/index.html", context)


@login_required
def detail(request, code):
    require(request.user, "region.view")
    region = get_object_or_404(Region.objects.select_related("parent__parent"), code=code)
    local = selectors.local_association_of(region)
    context = {
        "region": region,
        "ancestors": selectors.ancestors_of(region),
        "rows": _children_with_counts(request.user, region),
        "local_association": local,
        # The name of a local 科协 is public; its page only for those who may see it.
        "local_association_visible": local is not None
        and associations_for_user(request.user).filter(pk=local.pk).exists(),
    }
    return render(request, "regions/detail.html", context)
