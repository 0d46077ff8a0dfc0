"""Writes of the founding procedure, one module per step (the package re-exports them all).

Every state change goes through ``base.transition``: it checks the transition table, saves, keeps
the event (the rounds of review), writes the audit log; the step's service then tells whoever must
act next (in-app now, e-mail after commit).

- ``base``: the state machine and what every step shares (the locked application, who to tell);
- ``dossier``: opening a founding file and the dossier (group, consent, charter);
- ``roster``: the founding members and the candidates (members are written by ``kexie.members``);
- ``review``: submission, routing, pre-review, return, rejection, approval (批复), withdrawal;
- ``congress``: the founding congress and the committee's first meeting;
- ``filing``: filing (备案) and its acknowledgement, after which the 科协 is founded;
- ``routing_rules``: the province's routing rules.
"""

from .base import check_transition, transition
from .congress import record_congress
from .dossier import (
    CONSENT_MAX_BYTES,
    CONSENT_TYPES,
    DOSSIER_FIELDS,
    open_application,
    save_charter,
    set_group_members,
    update_dossier,
    upload_consent,
)
from .filing import acknowledge_filing, submit_filing
from .review import approve, reject, return_application, start_pre_review, submit, withdraw
from .roster import (
    add_founding_member,
    import_founding_roster,
    remove_candidacy,
    remove_founding_member,
    set_candidacy,
)
from .routing_rules import add_routing_rule, delete_routing_rule

__all__ = [
    "CONSENT_MAX_BYTES",
    "CONSENT_TYPES",
    "DOSSIER_FIELDS",
    "acknowledge_filing",
    "add_founding_member",
    "add_routing_rule",
    "approve",
    "check_transition",
    "delete_routing_rule",
    "import_founding_roster",
    "open_application",
    "record_congress",
    "reject",
    "remove_candidacy",
    "remove_founding_member",
    "return_application",
    "save_charter",
    "set_candidacy",
    "set_group_members",
    "start_pre_review",
    "submit",
    "submit_filing",
    "transition",
    "update_dossier",
    "upload_consent",
    "withdraw",
]
