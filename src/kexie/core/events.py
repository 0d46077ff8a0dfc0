"""Domain events: a lower app announces what changed; the apps above it that care listen.

The announcing app knows nothing of its listeners (coverage listens to enterprises and associations;
neither imports it). Listeners are registered in their app's ``AppConfig.ready()`` and run at once,
inside the announcing write's transaction, so what they record commits or rolls back with it. A
listener must therefore be cheap and take no lock that other writers wait on: it records what it
must do later (an outbox row, as healthchecks' ``Flip`` rows feed its alerts) rather than doing it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TypeVar


class Event:
    """Base of every domain event (a frozen dataclass naming what changed)."""


E = TypeVar("E", bound=Event)
_listeners: dict[type[Event], list[Callable[[Event], None]]] = defaultdict(list)


def listen(kind: type[E], listener: Callable[[E], None]) -> None:
    """Call ``listener`` with every event of ``kind`` announced from now on (once per listener)."""
    if listener not in _listeners[kind]:
        _listeners[kind].append(listener)  # type: ignore[arg-type]


def announce(event: Event) -> None:
    """Tell the listeners of ``event``'s kind, in the caller's transaction."""
    for listener in _listeners.get(type(event), ()):
        listener(event)
