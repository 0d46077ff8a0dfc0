from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from kexie.accounts.permissions import require

from . import selectors
from .models import Region


@login_required
def index(request):
    require(request.user, "region.view")
    return render(request, "regions/index.html", {"children": selectors.children_of(None), "region": None})


@login_required
def detail(request, code):
    require(request.user, "region.view")
    region = get_object_or_404(Region.objects.select_related("parent__parent"), code=code)
    context = {
        "region": region,
        "ancestors": selectors.ancestors_of(region),
        "children": selectors.children_of(region),
        "local_association": selectors.local_association_of(region),
    }
    return render(request, "regions/detail.html", context)
