"""The later life on an association's page (``core.panels``): term, officers, reports, dissolution."""

from __future__ import annotations

import datetime

from django.utils import timezone

from kexie.associations.enums import Kind, Status
from kexie.associations.panels import DETAIL
from kexie.core.panels import Panel, register

from . import forms, selectors
from .enums import DissolutionState, ReportStatus
from .permissions import may_manage, may_supervise


def _life(request, association) -> dict | None:
    """What ``lifecycle/_panel.html`` shows (enterprise and joint 科协 only)."""
    if association.kind not in (Kind.ENTERPRISE, Kind.JOINT):
        return None
    user = request.user
    on_form = forms.OfficersOnForm(request.GET if "officers_on" in request.GET else None)
    officers_on = None
    if on_form.is_bound and on_form.is_valid():
        day = on_form.cleaned_data["officers_on"]
        officers_on = {"day": day, "officers": selectors.officers_on(association, day)}
    start, end = selectors.current_term(association)
    today = timezone.localdate()
    officers = selectors.officers_on(association)
    # A term that ran out without re-election: show who held office on its last day.
    last_officers = []
    if not officers and end is not None and end <= today:
        last_officers = selectors.officers_on(association, end - datetime.timedelta(days=1))
    return {
        "association": association,
        "life": {
            "read_only": association.status == Status.DISSOLVED,
            "term_start": start,
            "term_end": end,
            "term_overdue": end is not None and end < today,
            "officers": officers,
            "last_officers": last_officers,
            "history": selectors.officer_history(association),
            "on_form": on_form,
            "officers_on": officers_on,
            "reports": list(selectors.reports(association)),
            "changes": list(selectors.officer_changes(association)),
            "renewals": list(selectors.renewals(association)),
            "dissolutions": list(selectors.dissolutions(association)),
            "open_dissolution": selectors.open_dissolution(association),
            "can_manage": may_manage(user, association),
            "can_supervise": may_supervise(user, association),
            "RETURNED": ReportStatus.RETURNED,
            "SUBMITTED": ReportStatus.SUBMITTED,
            "PROPOSED": DissolutionState.PROPOSED,
            "DECIDED": DissolutionState.DECIDED,
        },
    }


def connect() -> None:
    register(DETAIL, Panel("lifecycle/_panel.html", _life), order=10)
