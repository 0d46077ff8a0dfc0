"""The founding congress and the committee's first meeting, and the filing that follows."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kexie.accounts.permissions import has_perm, require
from kexie.core.i18n import join
from kexie.members.enums import MembershipStatus

from .. import services
from ..enums import State
from ..forms import (
    OFFICER_CHOICES,
    CongressForm,
    vote_rows,
)
from .base import CONGRESS_OR_LATER, application_for, attempt_for, dossier_page, posted


def _congress_people(application):
    people = [
        m.person
        for m in application.association.memberships.filter(status=MembershipStatus.FOUNDING).select_related(
            "person"
        )
    ]
    nominated: dict[int, list[str]] = {}
    for person_id, office in application.candidacies.values_list("person_id", "office"):
        nominated.setdefault(person_id, []).append(office)
    return people, nominated


def _default_rows(people, nominated) -> tuple[list[dict], list[dict]]:
    committee = [{"person": p, "candidate": p.pk in nominated} for p in people]
    order = [value for value, _label in OFFICER_CHOICES if value]
    officers = []
    for p in people:
        offices = [o for o in order if o in nominated.get(p.pk, [])]
        officers.append({"person": p, "office": offices[0] if offices else ""})
    return committee, officers


@login_required
def congress(request, pk):
    application = application_for(request, pk)
    recorded = getattr(application, "congress", None) if application.state in CONGRESS_OR_LATER else None
    people, nominated = _congress_people(application)
    form = CongressForm(
        posted(request),
        initial={"members_total": len(people), "approval_read": True, "charter_adopted": True},
    )
    committee_shown, officers_shown = _default_rows(people, nominated)
    if request.method == "POST":
        require(request.user, "founding.edit")
        committee, committee_shown = vote_rows(request.POST, people, "committee", with_office=False)
        officers, officers_shown = vote_rows(request.POST, people, "officers", with_office=True)
        for row in committee_shown:
            row["candidate"] = row["person"].pk in nominated
        if form.is_valid():
            data = form.service_data()
            _saved, error = attempt_for(
                lambda: services.record_congress(
                    application.pk, by=request.user, data=data, committee=committee, officers=officers
                ),
                form,
            )
            if error is None:
                messages.success(request, _("成立大会已登记，请报送备案。"))
                return redirect("founding:detail", pk=application.pk)
    context = {
        "form": form,
        "recorded": recorded,
        "results": recorded.results.select_related("person") if recorded else [],
        "committee_rows": committee_shown,
        "officer_rows": officers_shown,
        "officer_choices": OFFICER_CHOICES,
        "can_record": has_perm(request.user, "founding.edit") and application.state == State.APPROVED,
    }
    return dossier_page(request, "founding/congress.html", application, **context)


@login_required
@require_POST
def submit_filing(request, pk):
    application = application_for(request, pk, "founding.edit")
    filings, error = attempt_for(lambda: services.submit_filing(application.pk, by=request.user))
    if error is not None:
        messages.error(request, error.message)
    else:
        names = join(f.get_recipient_display() for f in filings)
        messages.success(request, _("已报送备案：%(recipients)s。") % {"recipients": names})
    return redirect("founding:detail", pk=application.pk)
