"""The roster's links on an association's page (``core.panels``): import and export, where allowed."""

from __future__ import annotations

from kexie.accounts.permissions import has_perm
from kexie.associations.panels import DETAIL
from kexie.core.panels import Panel, register

from .permissions import roster_associations_for_user


def _roster_links(request, association):
    user = request.user
    links = {
        "import": has_perm(user, "roster.import")
        and roster_associations_for_user(user, write=True).filter(pk=association.pk).exists(),
        "export": has_perm(user, "roster.export")
        and roster_associations_for_user(user).filter(pk=association.pk).exists(),
    }
    return {"association": association, "roster_links": links} if any(links.values()) else None


def connect() -> None:
    register(DETAIL, Panel("members/roster_links.html", _roster_links), order=20)
