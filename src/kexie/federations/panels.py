"""A federation's unit members on its association page (``core.panels``)."""

from __future__ import annotations

from kexie.accounts.permissions import has_perm
from kexie.associations.enums import Kind
from kexie.associations.panels import DETAIL
from kexie.core.panels import Panel, register


def _units(request, association):
    if association.kind != Kind.FEDERATION or not has_perm(request.user, "federation.view"):
        return None
    return {"association": association}


def connect() -> None:
    register(DETAIL, Panel("federations/_association_panel.html", _units), order=30)
