"""What the member services share: the membership a secretary acts on, and ids from forms."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from kexie.accounts.permissions import require
from kexie.core.errors import NotFound

from ..models import Membership
from ..permissions import get_membership_for_user, manages_membership


def locked_membership(by, pk, perm: str = "member.manage") -> Membership:
    """The membership, if the user may act (else 403), sees it and manages it (else 404), locked for
    this transaction."""
    require(by, perm)
    visible = get_membership_for_user(by, pk)
    if not manages_membership(by, visible):
        raise NotFound(gettext("会员不存在。"))
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("person__user", "association")
        .get(pk=visible.pk)
    )


def number(value: Any) -> int:
    """An id as a form or a client sent it; 0 (no row has it) when it is not a number."""
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return 0
