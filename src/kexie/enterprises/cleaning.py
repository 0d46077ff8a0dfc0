"""Field by field cleaning of enterprise data, shared by the form, the API and the importer.

Each cleaner takes what a person typed (or a cell) and returns the stored value, or raises a
``DomainError`` whose message names the field and the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kexie.core.errors import DomainError
from kexie.regions.selectors import county_by_code

from .enums import Industry, Ownership
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
        raise DomainError("企业名称不能为空。", field="name")
    if len(text) > 200:
        raise DomainError("企业名称不能超过200个字符。", field="name")
    return text


def clean_region(value: Any):
    text = _text(value)
    if not text:
        raise DomainError("注册地区划代码不能为空。", field="region")
    if not (len(text) == 6 and text.isdigit()):
        raise DomainError(f"注册地区划代码“{text}”应为6位数字。", field="region")
    return county_by_code(text, field="region")


def _choice(value: Any, choices: type, field: str, label: str, *, blank: bool = False) -> str:
    text = _text(value)
    if not text:
        if blank:
            return ""
        raise DomainError(f"{label}不能为空。", field=field)
    for key, display in choices.choices:
        if text in (key, display) or text.lower() == str(key).lower():
            return key
    allowed = "、".join(str(d) for _, d in choices.choices)
    raise DomainError(f"{label}“{text}”不是有效选项，可选：{allowed}。", field=field)


def clean_ownership(value: Any) -> str:
    return _choice(value, Ownership, "ownership", "所有制")


def clean_industry(value: Any) -> str:
    text = _text(value)
    # Accept "C 制造业" or "C-制造业" as exported by statistics systems.
    if len(text) > 1 and text[0].isalpha() and text[0].isascii() and not text[1].isalpha():
        text = text[0]
    return _choice(text.upper() if len(text) == 1 else text, Industry, "industry", "行业门类", blank=True)


def clean_flag(field: str, label: str) -> Callable[[Any], bool]:
    def clean(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        raise DomainError(f"{label}应填“是”或“否”，实际为“{_text(value)}”。", field=field)

    return clean


def clean_count(field: str, label: str) -> Callable[[Any], int | None]:
    def clean(value: Any) -> int | None:
        if value is None or (isinstance(value, str) and not _text(value)):
            return None
        if isinstance(value, bool):
            raise DomainError(f"{label}应为非负整数。", field=field)
        if isinstance(value, int):
            number = value
        elif isinstance(value, float):
            if not value.is_integer():
                raise DomainError(f"{label}应为整数，实际为“{value}”。", field=field)
            number = int(value)
        else:
            text = _text(value).replace(",", "")
            if not text.lstrip("-").isdigit():
                raise DomainError(f"{label}应为非负整数，实际为“{text}”。", field=field)
            number = int(text)
        if number < 0:
            raise DomainError(f"{label}不能为负数。", field=field)
        if number > 10_000_000:
            raise DomainError(f"{label}数值过大。", field=field)
        return number

    return clean


def clean_short_text(field: str, label: str, max_length: int) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        text = _text(value)
        if len(text) > max_length:
            raise DomainError(f"{label}不能超过{max_length}个字符。", field=field)
        return text

    return clean


def clean_phone(value: Any) -> str:
    text = "".join(ch for ch in _text(value) if ch not in " -()（）")
    if not text:
        return ""
    if text.startswith("+86"):
        text = text[3:]
    if not text.isdigit() or not (7 <= len(text) <= 12):
        raise DomainError(f"联系电话“{_text(value)}”格式不正确。", field="contact_phone")
    return text


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    clean: Callable[[Any], Any]
    required: bool = False


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "企业名称", clean_name, required=True),
    FieldSpec("credit_code", "统一社会信用代码", normalize_credit_code, required=True),
    FieldSpec("region", "注册地区划代码", clean_region, required=True),
    FieldSpec("ownership", "所有制", clean_ownership, required=True),
    FieldSpec("industry", "行业门类", clean_industry),
    FieldSpec("is_high_tech", "国家高新技术企业", clean_flag("is_high_tech", "国家高新技术企业")),
    FieldSpec("is_above_scale", "规模以上", clean_flag("is_above_scale", "规模以上")),
    FieldSpec("is_specialized", "专精特新", clean_flag("is_specialized", "专精特新")),
    FieldSpec("is_unicorn", "独角兽", clean_flag("is_unicorn", "独角兽")),
    FieldSpec("is_leading_private", "头部民营企业", clean_flag("is_leading_private", "头部民营企业")),
    FieldSpec("employees", "职工人数", clean_count("employees", "职工人数")),
    FieldSpec("st_workers", "科技工作者人数", clean_count("st_workers", "科技工作者人数")),
    FieldSpec("address", "地址", clean_short_text("address", "地址", 200)),
    FieldSpec("contact_name", "联系人", clean_short_text("contact_name", "联系人", 50)),
    FieldSpec("contact_phone", "联系电话", clean_phone),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}


def clean_fields(data: Mapping[str, Any], *, partial: bool = False) -> tuple[dict[str, Any], list[DomainError]]:
    """Clean every given field; return the values and *all* errors (forms and imports show them all)."""
    values: dict[str, Any] = {}
    errors: list[DomainError] = []
    for spec in FIELDS:
        if spec.name not in data:
            if spec.required and not partial:
                errors.append(DomainError(f"{spec.label}不能为空。", field=spec.name))
            continue
        try:
            values[spec.name] = spec.clean(data[spec.name])
        except DomainError as exc:
            errors.append(exc)
    employees, st_workers = values.get("employees"), values.get("st_workers")
    if employees is not None and st_workers is not None and st_workers > employees:
        errors.append(DomainError("科技工作者人数不能多于职工人数。", field="st_workers"))
    return values, errors
