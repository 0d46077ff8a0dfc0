"""What the association pages show from the apps above (``core.panels``), and what this app adds
to the pages of the apps below it: the 科协 counted under each child region and a region's own
科协 (region pages), the 科协 of an enterprise (enterprise page)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kexie.accounts.permissions import has_perm
from kexie.core.panels import Panel, register
from kexie.enterprises import panels as enterprise_panels
from kexie.regions import panels as region_panels
from kexie.regions.selectors import count_by_child

from .enums import Kind
from .permissions import associations_for_user
from .selectors import associations_of_enterprise, local_association_of

# The slot of an association's detail page: ``core.panels.Panel`` cards whose object is the association.
DETAIL = "associations.detail"


def _counts(user, region):
    if not has_perm(user, "association.view"):
        return None
    return count_by_child(associations_for_user(user).filter(kind=Kind.ENTERPRISE), region)


def _local(request, region) -> dict:
    """A region's own 科协: its name is public, its page for those who may see it."""
    local = local_association_of(region)
    visible = local is not None and associations_for_user(request.user).filter(pk=local.pk).exists()
    return {"region": region, "local_association": local, "local_association_visible": visible}


def _of_enterprise(request, enterprise) -> dict:
    return {"associations": associations_of_enterprise(request.user, enterprise)}


def connect() -> None:
    register(
        region_panels.CHILDREN,
        region_panels.ChildCounts(
            title=_("企业科协数"),
            counts=_counts,
            link=lambda code: (
                f"{reverse('associations:list')}?{urlencode({'kind': Kind.ENTERPRISE, 'region': code})}"
            ),
        ),
        order=20,
    )
    register(region_panels.DETAIL, Panel("associations/_local.html", _local), order=10)
    register(enterprise_panels.DETAIL, Panel("associations/_of_enterprise.html", _of_enterprise), order=10)
