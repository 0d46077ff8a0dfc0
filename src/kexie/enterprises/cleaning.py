"""Field by field cleaning of enterprise data, shared by the form, the API and the importer.

Each cleaner takes what a person typed (or a cell) and returns the stored value, or raises a
``DomainError`` whose message names the field and the reason.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kexie.core.errors import DomainError
from kexie.core.i18n import join, source
from kexie.regions.selectors import county_by_code

from .enums import FLAG_FIELDS, Industry, Ownership
from .validators import normalize_credit_code, to_halfwidth

TRUE_WORDS = {"是", "1", "true", "yes", "y", "√", "✓", "有", "t"}
FALSE_WORDS = {"否", "0", "false", "no", "n", "", "无", "f", "×"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return to_halfwidth(str(value)).strip()


def clean_name(value: Any) -> str:
    text = " ".join(_text(value).split())
    if not text:
        raise DomainError(gettext("企业名称不能为空。"), field="name")
    if len(text) > 200:
        raise DomainError(gettext("企业名称不能超过200个字符。"), field="name")
    return text


def clean_region(value: Any):
    text = _text(value)
    if not text:
        raise DomainError(gettext("注册地区划代码不能为空。"), field="region")
    if not (len(text) == 6 and text.isdigit()):
        raise DomainError(gettext("注册地区划代码“%(code)s”应为6位数字。") % {"code": text}, field="region")
    return county_by_code(text, field="region")


def _required(label: str | Promise, field: str) -> DomainError:
    return DomainError(gettext("%(label)s不能为空。") % {"label": label}, field=field)


@functools.cache
def _by_source_label(choices: type) -> dict[str, str]:
    """The Chinese labels of a choices class: what files and clients write, whatever the page's language."""
    return {source(display): key for key, display in choices.choices}


def _choice(value: Any, choices: type, field: str, label: str | Promise, *, blank: bool = False) -> str:
    text = _text(value)
    if not text:
        if blank:
            return ""
        raise _required(label, field)
    if text in _by_source_label(choices):
        return _by_source_label(choices)[text]
    folded = text.lower()
    for key, display in choices.choices:  # the code, or the label in the active language
        if folded in (str(key).lower(), str(display).lower()):
            return key
    allowed = join(display for _key, display in choices.choices)
    raise DomainError(
        gettext("%(label)s“%(value)s”不是有效选项，可选：%(allowed)s。")
        % {"label": label, "value": text, "allowed": allowed},
        field=field,
    )


def clean_ownership(value: Any) -> str:
    return _choice(value, Ownership, "ownership", _("所有制"))


def clean_industry(value: Any) -> str:
    text = _text(value)
    # Accept "C 制造业" or "C-制造业" as exported by statistics systems.
    if len(text) > 1 and text[0].isalpha() and text[0].isascii() and not text[1].isalpha():
        text = text[0]
    return _choice(text.upper() if len(text) == 1 else text, Industry, "industry", _("行业门类"), blank=True)


def clean_flag(field: str, label: str | Promise) -> Callable[[Any], bool]:
    def clean(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise DomainError(
            gettext("%(label)s应填“是”或“否”，实际为“%(value)s”。") % {"label": label, "value": _text(value)},
            field=field,
        )

    return clean


def clean_count(field: str, label: str | Promise) -> Callable[[Any], int | None]:
    def clean(value: Any) -> int | None:
        if value is None or (isinstance(value, str) and not _text(value)):
            return None
        if isinstance(value, bool):
            raise DomainError(gettext("%(label)s应为非负整数。") % {"label": label}, field=field)
        if isinstance(value, int):
            number = value
        elif isinstance(value, float):
            if not value.is_integer():
                raise DomainError(
                    gettext("%(label)s应为整数，实际为“%(value)s”。") % {"label": label, "value": value},
                    field=field,
                )
            number = int(value)
        else:
            text = _text(value).replace(",", "")
            if not text.lstrip("-").isdigit():
                raise DomainError(
                    gettext("%(label)s应为非负整数，实际为“%(value)s”。") % {"label": label, "value": text},
                    field=field,
                )
            number = int(text)
        if number < 0:
            raise DomainError(gettext("%(label)s不能为负数。") % {"label": label}, field=field)
        if number > 10_000_000:
            raise DomainError(gettext("%(label)s数值过大。") % {"label": label}, field=field)
        return number

    return clean


def clean_short_text(field: str, label: str | Promise, max_length: int) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        text = _text(value)
        if len(text) > max_length:
            raise DomainError(
                gettext("%(label)s不能超过%(max)s个字符。") % {"label": label, "max": max_length}, field=field
            )
        return text

    return clean


def clean_phone(value: Any) -> str:
    text = "".join(ch for ch in _text(value) if ch not in " -()（）")
    if not text:
        return ""
    if text.startswith("+86"):
        text = text[3:]
    if not text.isdigit() or not (7 <= len(text) <= 12):
        raise DomainError(
            gettext("联系电话“%(value)s”格式不正确。") % {"value": _text(value)}, field="contact_phone"
        )
    return text


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str | Promise  # translated when shown
    clean: Callable[[Any], Any]
    required: bool = False


def _flag(name: str) -> FieldSpec:
    return FieldSpec(name, FLAG_FIELDS[name], clean_flag(name, FLAG_FIELDS[name]))


def _count(name: str, label: str | Promise) -> FieldSpec:
    return FieldSpec(name, label, clean_count(name, label))


def _short_text(name: str, label: str | Promise, max_length: int) -> FieldSpec:
    return FieldSpec(name, label, clean_short_text(name, label, max_length))


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", _("企业名称"), clean_name, required=True),
    FieldSpec("credit_code", _("统一社会信用代码"), normalize_credit_code, required=True),
    FieldSpec("region", _("注册地区划代码"), clean_region, required=True),
    FieldSpec("ownership", _("所有制"), clean_ownership, required=True),
    FieldSpec("industry", _("行业门类"), clean_industry),
    _flag("is_high_tech"),
    _flag("is_above_scale"),
    _flag("is_specialized"),
    _flag("is_unicorn"),
    _flag("is_leading_private"),
    _count("employees", _("职工人数")),
    _count("st_workers", _("科技工作者人数")),
    _short_text("address", _("地址"), 200),
    _short_text("contact_name", _("联系人"), 50),
    FieldSpec("contact_phone", _("联系电话"), clean_phone),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}


def clean_fields(
    data: Mapping[str, Any], *, partial: bool = False
) -> tuple[dict[str, Any], list[DomainError]]:
    """Clean every given field; return the values and *all* errors (forms and imports show them all)."""
    values: dict[str, Any] = {}
    errors: list[DomainError] = []
    for spec in FIELDS:
        if spec.name not in data:
            if spec.required and not partial:
                errors.append(_required(spec.label, spec.name))
            continue
        try:
            values[spec.name] = spec.clean(data[spec.name])
        except DomainError as exc:
            errors.append(exc)
    employees, st_workers = values.get("employees"), values.get("st_workers")
    if employees is not None and st_workers is not None and st_workers > employees:
        errors.append(DomainError(gettext("科技工作者人数不能多于职工人数。"), field="st_workers"))
    return values, errors
