"""Writes about people, their memberships and their offices (the members app owns these tables:
other apps change them only through the functions here).

- ``memberships``: the membership state machine (apply, approve, reject, leave, transfer; the
  founding members admitted when their 科协 is founded);
- ``people``: sign-up, profiles, the 会员申请表, reveals and exports of personal data, the card;
- ``offices``: terms of office (appoint, end; those the congress procedures open and close);
- ``founding``: the founding roster of a 科协 being founded.
"""

from .founding import (
    founding_memberships,
    register_founding_member,
    remove_founding_member,
)
from .memberships import (
    CARD_ALPHABET,
    CARD_CODE_LENGTH,
    admit_founding_members,
    approve,
    check_transition,
    decide_many,
    leave,
    new_card_code,
    reject,
    transfer,
    transition,
)
from .offices import appoint, end_running_terms, end_term, office_terms_on, open_term, open_terms, terms_of
from .people import (
    KEEP_IF_BLANK,
    REVEALABLE,
    apply,
    issue_card,
    record_export,
    reveal_member_field,
    reveal_own_field,
    sign_up,
    update_member_profile,
    update_own_profile,
)

__all__ = [
    "CARD_ALPHABET",
    "CARD_CODE_LENGTH",
    "KEEP_IF_BLANK",
    "REVEALABLE",
    "admit_founding_members",
    "apply",
    "appoint",
    "approve",
    "check_transition",
    "decide_many",
    "end_running_terms",
    "end_term",
    "founding_memberships",
    "issue_card",
    "leave",
    "new_card_code",
    "office_terms_on",
    "open_term",
    "open_terms",
    "record_export",
    "register_founding_member",
    "reject",
    "remove_founding_member",
    "reveal_member_field",
    "reveal_own_field",
    "sign_up",
    "terms_of",
    "transfer",
    "transition",
    "update_member_profile",
    "update_own_profile",
]
