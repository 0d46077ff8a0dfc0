"""Downloads of the founding documents. Thin: signed in → the role may view founding files (403)
→ the application is within reach (404) → render → the export in the audit log → the file."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from kexie.accounts.permissions import require
from kexie.core import audit

from .. import documents
from ..permissions import get_filing_for_user, get_founding_application_for_user


def _attachment(request, application, rendered: documents.Rendered) -> HttpResponse:
    audit.record(actor=request.user, action="export", instance=application, note=rendered.note)
    response = HttpResponse(rendered.content, content_type=rendered.content_type)
    response["Content-Disposition"] = content_disposition_header(True, rendered.filename)
    patch_cache_control(response, no_store=True, private=True)
    return response


@login_required
@require_GET
def download(request, pk: int, document: str, fmt: str):
    require(request.user, "founding.view")
    application = get_founding_application_for_user(request.user, pk)
    rendered = documents.render(application, document, fmt, viewer=request.user)
    return _attachment(request, application, rendered)


@login_required
@require_GET
def dossier(request, pk: int):
    require(request.user, "founding.view")
    application = get_founding_application_for_user(request.user, pk)
    return _attachment(request, application, documents.render_dossier(application, viewer=request.user))


@login_required
@require_GET
def filing_form(request, pk: int, fmt: str):
    """The 备案表 as its recipients receive it: reached through the filing in their inbox, so the
    国资委 and 工商联 viewers, who cannot open founding files, still get the form they file."""
    require(request.user, "filing.view")
    filing = get_filing_for_user(request.user, pk)
    application = filing.application
    return _attachment(
        request, application, documents.render(application, "filing", fmt, viewer=request.user)
    )
