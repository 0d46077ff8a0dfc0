"""Small helpers for translated text (msgids are Simplified Chinese; see docs/decisions/0001).

``join`` lists items the way the active language writes a list in running text; ``source``
gives back the Chinese source text of a translatable string whatever language is active (for
matching what people type against choice labels, and for text that must not change with the
language of the request that happened to build it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import pgettext


def join(items: Iterable[Any]) -> str:
    """“甲、乙、丙” in Chinese, “a, b, c” in English."""
    return pgettext("list separator", "、").join(str(item) for item in items)


def source(text: Any) -> str:
    """The untranslated (Chinese) text of a lazy translation, or ``str(text)``."""
    with translation.override(None):
        return str(text)


def sentences(items: Iterable[Any]) -> str:
    """Whole sentences one after another: no space after “。” in Chinese, one space in English."""
    separator = "" if (translation.get_language() or "zh-hans").startswith("zh") else " "
    return separator.join(str(item) for item in items)


def stored_language():
    """Build text that is stored for others to read later (notifications, audit notes) in the
    platform's language, not in the language of whoever happened to act."""

    return translation.override(settings.LANGUAGE_CODE)
