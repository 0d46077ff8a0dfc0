"""What the enterprise pages show from the apps above (``core.panels``), and what this app adds to
the region pages (the enterprises counted under each child region)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kexie.accounts.permissions import has_perm
from kexie.core.panels import register
from kexie.regions import panels as region_panels
from kexie.regions.selectors import count_by_child

from .permissions import enterprises_for_user

# The slot of an enterprise's detail page: ``core.panels.Panel`` cards whose object is the enterprise.
DETAIL = "enterprises.detail"


def _counts(user, region):
    if not has_perm(user, "enterprise.view"):
        return None
    return count_by_child(enterprises_for_user(user), region)


def connect() -> None:
    register(
        region_panels.CHILDREN,
        region_panels.ChildCounts(
            title=_("企业数"),
            counts=_counts,
            link=lambda code: f"{reverse('enterprises:list')}?{urlencode({'region': code})}",
        ),
        order=10,
    )
