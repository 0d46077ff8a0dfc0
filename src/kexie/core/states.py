"""The one check every workflow makes before changing a state.

Each workflow keeps its transition table in its ``enums.py`` (``(action, from state) → to state``;
nothing else is allowed) and one function that changes the state: it asks ``next_state`` where the
action leads, then saves, keeps its event where it has one, writes the audit log and tells whoever
acts next. A refusal is a ``DomainError`` with ``code="state"`` and the workflow's own sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .errors import DomainError


def next_state(
    table: Mapping[tuple[str, str], str],
    action: str,
    state: str,
    refusal: Callable[[], str],
    *,
    field: str | None = None,
) -> str:
    """Where ``action`` leads from ``state``; else the refusal (its sentence is made only then)."""
    target = table.get((action, state))
    if target is None:
        raise DomainError(refusal(), field=field, code="state")
    return target
