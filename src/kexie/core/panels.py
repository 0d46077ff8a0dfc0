"""What the apps above add to a lower app's page, without the lower app importing them (pretix's
control-panel signals, as a registry).

A page names a slot (``"associations.detail"``) and renders what is registered for it; an app above
registers in its ``AppConfig.ready()`` and decides, with its own permissions, whether it shows
anything. Two kinds:

- a ``Panel`` is a card of the page: a template and a function giving its context for the page's
  object (``None``: not shown to this user); ``render_panels`` gives their HTML, in order;
- anything else (e.g. a column of figures the lower app defines the shape of) is registered as it is
  and read back with ``contributions``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

_slots: dict[str, list[tuple[int, Any]]] = defaultdict(list)


@dataclass(frozen=True)
class Panel:
    template: str
    # (request, the page's object) → the template's context, or None when the user is shown nothing.
    context: Callable[[Any, Any], dict[str, Any] | None]


def register(slot: str, contribution: Any, *, order: int = 100) -> None:
    """Add ``contribution`` to the pages showing ``slot`` (once: registering again changes nothing)."""
    if all(existing is not contribution for _order, existing in _slots[slot]):
        _slots[slot].append((order, contribution))
        _slots[slot].sort(key=lambda item: item[0])


def contributions(slot: str) -> list[Any]:
    """What the apps registered for ``slot``, in order."""
    return [contribution for _order, contribution in _slots.get(slot, ())]


def render_panels(slot: str, request, obj) -> list[SafeString]:
    """The HTML of each panel of ``slot`` shown to this request's user for ``obj``, in order."""
    out = []
    for panel in contributions(slot):
        context = panel.context(request, obj)
        if context is not None:
            out.append(SafeString(render_to_string(panel.template, context, request=request)))
    return out
