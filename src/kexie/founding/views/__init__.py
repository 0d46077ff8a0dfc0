"""Pages of the founding procedure, one module per step (the package re-exports the views).

Thin: signed in → the role may (403) → the application is within reach (404) → a service writes. A
``DomainError`` is shown next to its field (``core.forms``); ``Forbidden`` and ``NotFound`` become
the 403/404 page.
"""

from .applications import application_list, detail, history, open_application, queue
from .base import CONGRESS_OR_LATER, DOCUMENT_LABELS, REVIEW_ACTIONS, REVIEW_DONE, STEPS, SUBMITTED_OR_LATER
from .congress import congress, submit_filing
from .dossier import charter, consent, consent_file, edit, group
from .filings import acknowledge_filing, filings
from .review import review, submit, withdraw
from .roster import candidate_remove, candidates, member_remove, members, members_import
from .routing import routing_rule_delete, routing_rules

__all__ = [
    "CONGRESS_OR_LATER",
    "DOCUMENT_LABELS",
    "REVIEW_ACTIONS",
    "REVIEW_DONE",
    "STEPS",
    "SUBMITTED_OR_LATER",
    "acknowledge_filing",
    "application_list",
    "candidate_remove",
    "candidates",
    "charter",
    "congress",
    "consent",
    "consent_file",
    "detail",
    "edit",
    "filings",
    "group",
    "history",
    "member_remove",
    "members",
    "members_import",
    "open_application",
    "queue",
    "review",
    "routing_rule_delete",
    "routing_rules",
    "submit",
    "submit_filing",
    "withdraw",
]
