"""What the region pages show from the apps above (``core.panels``): the table of child regions
has a column of figures per app that counts something by region (enterprises, 科协), and the page
of a region shows their cards. The apps register; this app only defines the shape."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The slots of the region pages.
CHILDREN = "regions.children"  # ChildCounts columns
DETAIL = "regions.detail"  # core.panels.Panel cards; their object is the region


@dataclass(frozen=True)
class ChildCounts:
    """A column of the child-regions table: a title, the counts by child region code that the user
    may see under ``region`` (the country when None; None: the column is not shown to this user),
    and where a count leads (from the child's code)."""

    title: Any
    counts: Callable[[Any, Any], dict[str, int] | None]
    link: Callable[[str], str]
