"""The filings inbox (备案) of the 科协, 国资委 and 工商联, and acknowledging a filing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.permissions import has_perm, require
from kexie.core.pages import paginate

from .. import selectors, services
from ..permissions import (
    get_filing_for_user,
    may_acknowledge,
)
from .base import attempt_for


@login_required
def filings(request):
    require(request.user, "filing.view")
    pending_only = request.GET.get("pending") == "1"
    page_obj = paginate(request, selectors.filing_inbox(request.user, pending_only=pending_only))
    for filing in page_obj:
        filing.can_ack = filing.acknowledged_at is None and may_acknowledge(request.user, filing)
    pending = selectors.filing_inbox(request.user, pending_only=True).count()
    context = {
        "page_obj": page_obj,
        "pending_only": pending_only,
        "pending": pending,
        # The dossier (and its filing form) is open to those who may view founding files.
        "can_open": has_perm(request.user, "founding.view"),
    }
    return render(request, "founding/filings.html", context)


@login_required
@require_POST
def acknowledge_filing(request, pk):
    require(request.user, "filing.acknowledge")
    filing = get_filing_for_user(request.user, pk)
    _done, error = attempt_for(lambda: services.acknowledge_filing(filing.pk, by=request.user))
    if error is not None:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("已确认“%(name)s”的成立备案。") % {"name": filing.application.association.name}
        )
    return redirect("founding:filings")
