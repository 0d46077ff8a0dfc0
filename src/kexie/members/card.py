"""The member card (会员证) as a PDF: WenQuanYi Micro Hei embedded, nothing fetched (the same
WeasyPrint setup as every document, ``core.documents``). The verification page's address is printed on it,
so anyone holding the card can check it without signing in."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from kexie.core.documents import to_pdf

from .models import Membership
from .selectors import card_number


def verify_url(code: str) -> str:
    return f"{settings.KEXIE_BASE_URL}{reverse('members:verify_code', args=[code])}"


def render_card(membership: Membership) -> bytes:
    """The card of an approved membership that has its code (``services.issue_card``)."""
    context = {
        "name": membership.person.name,
        "association": membership.association.name,
        "joined_on": membership.joined_on,
        "number": card_number(membership),
        "code": membership.card_code,
        "url": verify_url(membership.card_code),
    }
    return to_pdf.from_html(render_to_string("members/documents/card.html", context))
