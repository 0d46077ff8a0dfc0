"""What a filed figure must be: a non-negative integer (0 where none), and totals that agree with
their parts. Every refusal names the cell (its label and code) and carries the code as the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext

from kexie.core.errors import DomainError
from kexie.core.i18n import join

from .lines import CHECKS, LINE_BY_CODE

# More than this in one cell is a typing error (and would not fit the column).
MAX_FIGURE = 100_000_000

_NEGATIVE = re.compile(r"-\s*\d+(\.\d*)?")
_FRACTION = re.compile(r"\d*\.\d+|\d+\.\d*")


def _names(code: str) -> dict[str, str]:
    return {"label": str(LINE_BY_CODE[code].label), "code": code}


def known_code(code: Any) -> str:
    code = str(code).strip()
    if code not in LINE_BY_CODE:
        raise DomainError(gettext("栏目“%(code)s”不在本表中。") % {"code": code}, field=code or "cells")
    return code


def _text_figure(text: str, names: dict[str, str], code: str) -> int:
    """A figure typed as text: digits (thousands separators allowed), or the reason it is not one."""
    text = text.strip().replace(",", "")
    if not text:
        raise DomainError(gettext("“%(label)s”（栏目%(code)s）不能为空，没有的填0。") % names, field=code)
    if text.isascii() and text.isdigit():
        return int(text)
    if _NEGATIVE.fullmatch(text):
        raise DomainError(gettext("“%(label)s”（栏目%(code)s）不能为负数。") % names, field=code)
    if _FRACTION.fullmatch(text):
        raise DomainError(gettext("“%(label)s”（栏目%(code)s）须为整数，不能填写小数。") % names, field=code)
    raise DomainError(
        gettext("“%(label)s”（栏目%(code)s）须填写非负整数，“%(value)s”不是数字。")
        % {**names, "value": text[:20]},
        field=code,
    )


def clean_figure(code: str, raw: Any) -> int:
    """A cell's value as typed (a number or a text) → a non-negative integer, or the reason it is not."""
    names = _names(code)
    if isinstance(raw, bool) or raw is None:
        raise DomainError(
            gettext("“%(label)s”（栏目%(code)s）须填写非负整数，没有的填0。") % names, field=code
        )
    if isinstance(raw, float) and not raw.is_integer():
        raise DomainError(gettext("“%(label)s”（栏目%(code)s）须为整数，不能填写小数。") % names, field=code)
    value = int(raw) if isinstance(raw, int | float) else _text_figure(str(raw), names, code)
    if value < 0:
        raise DomainError(gettext("“%(label)s”（栏目%(code)s）不能为负数。") % names, field=code)
    if value > MAX_FIGURE:
        raise DomainError(gettext("“%(label)s”（栏目%(code)s）数值过大，请核对。") % names, field=code)
    return value


def check_totals(figures: Mapping[str, int]) -> None:
    """Every total equals (or is at least) the sum of its parts; the first that does not is refused."""
    for check in CHECKS:
        total = figures[check.total]
        parts = sum(figures[p] for p in check.parts)
        values = {
            **_names(check.total),
            "parts": join(f"“{LINE_BY_CODE[p].label}”（{p}）" for p in check.parts),
            "sum": parts,
            "value": total,
        }
        if check.equal and total != parts:
            raise DomainError(
                gettext("“%(label)s”（栏目%(code)s）应等于%(parts)s之和%(sum)d，现填%(value)d。") % values,
                field=check.total,
            )
        if not check.equal and total < parts:
            raise DomainError(
                gettext("“%(label)s”（栏目%(code)s）不能小于其中%(parts)s之和%(sum)d，现填%(value)d。")
                % values,
                field=check.total,
            )
