"""Cleaning what people type about a person (the 会员汇总表 fields), shared by forms, the API and
imports. Each cleaner returns the stored value or raises a DomainError naming the field."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kexie.core.errors import DomainError
from kexie.core.i18n import join, source
from kexie.enterprises.validators import to_halfwidth

from .enums import Education, Political, Sex, TitleLevel

# Words people write for the same choice (the paper forms are filled in by hand).
ALIASES: dict[str, dict[str, str]] = {
    "sex": {"男性": "M", "女性": "F", "m": "M", "f": "F"},
    "education": {
        "博士": "doctorate",
        "研究生": "master",
        "硕士": "master",
        "本科": "bachelor",
        "大本": "bachelor",
        "大专": "college",
        "专科": "college",
        "中专": "secondary",
        "高中": "high_school",
        "初中": "high_school",
    },
    "political": {
        "党员": "cpc",
        "中共党员": "cpc",
        "预备党员": "cpc_probationary",
        "团员": "cyl",
        "共青团员": "cyl",
        "群众": "masses",
        "无党派": "non_party",
    },
    "title_level": {
        "正高": "senior",
        "副高": "associate_senior",
        "中级": "intermediate",
        "初级": "junior",
        "高级": "associate_senior",
        "无职称": "none",
        "": "none",
    },
}


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(to_halfwidth(str(value)).split())


def clean_name(value: Any) -> str:
    name = text(value).replace(" ", "")
    if not name:
        raise DomainError(gettext("姓名不能为空。"), field="name")
    if len(name) > 50:
        raise DomainError(gettext("姓名不能超过50个字符。"), field="name")
    return name


def _choice(field: str, label: str, choices: type[TextChoices]) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        raw = text(value)
        if not raw:
            return ""
        for key, display in choices.choices:
            if raw in (key, source(display), str(display)):  # files keep the Chinese labels
                return key
        alias = ALIASES.get(field, {}).get(raw) or ALIASES.get(field, {}).get(raw.lower())
        if alias:
            return alias
        allowed = join(str(d) for _, d in choices.choices)
        raise DomainError(
            gettext("%(label)s“%(value)s”不是有效选项，可选：%(allowed)s。")
            % {"label": label, "value": raw, "allowed": allowed},
            field=field,
        )

    return clean


BIRTH_PATTERNS = (
    re.compile(r"^(\d{4})[.\-/年](\d{1,2})(?:[.\-/月](\d{1,2})日?)?月?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})?$"),
)


def clean_birth_month(value: Any) -> str:
    """``1985.07``, ``1985-7``, ``1985年7月``, ``198507``, an Excel date → ``1985-07``."""
    if isinstance(value, datetime.date | datetime.datetime):
        year, month = value.year, value.month
    else:
        raw = text(value).replace(" ", "")
        if not raw:
            return ""
        if isinstance(value, float) and not value.is_integer():
            # Typed into a number cell: 1985.07 is July; Excel keeps 1985.10 (October) as 1985.1;
            # so 1985.70 can only be 1985.7, July.
            year_part, _dot, fraction = f"{value:.2f}".partition(".")
            month = int(fraction)
            if month > 12 and fraction.endswith("0"):
                month //= 10
            raw = f"{year_part}.{month:02d}"
        match = next((m for p in BIRTH_PATTERNS if (m := p.match(raw))), None)
        if match is None:
            raise DomainError(
                gettext("出生年月“%(value)s”无法识别，请写成 1985-07。") % {"value": raw}, field="birth_month"
            )
        year, month = int(match.group(1)), int(match.group(2))
    this_year = datetime.date.today().year
    if not (1900 <= year <= this_year) or not (1 <= month <= 12):
        raise DomainError(
            gettext("出生年月“%(year)d-%(month)02d”不在合理范围内。") % {"year": year, "month": month},
            field="birth_month",
        )
    return f"{year:04d}-{month:02d}"


def clean_phone(value: Any, *, field: str = "phone") -> str:
    raw = text(value)
    digits = re.sub(r"[\s\-()（）]", "", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    if not digits:
        return ""
    if not digits.isdigit() or not (7 <= len(digits) <= 12):
        raise DomainError(gettext("电话“%(value)s”格式不正确。") % {"value": raw}, field=field)
    # 11 digits: a mobile (1…), or a landline with its area code (010-12345678, 0371-6789012).
    if len(digits) == 11 and not digits.startswith(("1", "0")):
        raise DomainError(gettext("手机号“%(value)s”应以1开头。") % {"value": raw}, field=field)
    return digits


def clean_short(field: str, label: str, max_length: int = 50) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        raw = text(value)
        if len(raw) > max_length:
            raise DomainError(
                gettext("%(label)s不能超过%(max)d个字符。") % {"label": label, "max": max_length}, field=field
            )
        return raw

    return clean


PERSON_FIELDS: dict[str, Callable[[Any], Any]] = {
    "name": clean_name,
    "sex": _choice("sex", _("性别"), Sex),
    "birth_month": clean_birth_month,
    "education": _choice("education", _("文化程度"), Education),
    "political": _choice("political", _("政治面貌"), Political),
    "title_level": _choice("title_level", _("职称"), TitleLevel),
    "title_name": clean_short("title_name", _("职称名称")),
    "position": clean_short("position", _("职务")),
    "phone": clean_phone,
}


def clean_person(
    data: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], list[DomainError]]:
    """Clean every given field; all errors at once (forms and imports show them all)."""
    values: dict[str, Any] = {}
    errors: list[DomainError] = []
    if not partial and "name" not in data:
        errors.append(DomainError(gettext("姓名不能为空。"), field="name"))
    for name, cleaner in PERSON_FIELDS.items():
        if name in data:
            try:
                values[name] = cleaner(data[name])
            except DomainError as exc:
                errors.append(exc)
    return values, errors
