"""Cleaning what people type about a person (the 会员汇总表 fields), shared by forms, the API and
imports. Each cleaner returns the stored value or raises a DomainError naming the field."""

from __future__ import annotations

import datetime
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kexie.core.errors import DomainError
from kexie.core.i18n import join, source
from kexie.enterprises.validators import to_halfwidth

from .enums import ETHNIC_GROUPS, Degree, Education, Political, Sex, TitleLevel

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
    "degree": {
        "博士学位": "doctor",
        "硕士学位": "master",
        "学士学位": "bachelor",
        "无学位": "none",
        "": "none",
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
    today = datetime.date.today()
    if 1 <= month <= 12 and (year, month) > (today.year, today.month):
        raise DomainError(
            gettext("出生年月“%(year)d-%(month)02d”晚于本月，请检查是否填错。")
            % {"year": year, "month": month},
            field="birth_month",
        )
    if not (1900 <= year <= today.year) or not (1 <= month <= 12):
        raise DomainError(
            gettext("出生年月“%(year)d-%(month)02d”不在合理范围内。") % {"year": year, "month": month},
            field="birth_month",
        )
    return f"{year:04d}-{month:02d}"


def clean_phone(value: Any, *, field: str = "phone") -> str:
    """A mobile (11 digits, 13…–19…) or a landline with its area code (0 + 10–11 digits).

    A number without its area code is refused: the same 7–8 digits exist in every city."""
    raw = text(value)
    digits = re.sub(r"[\s\-()（）]", "", raw)
    if digits.startswith("+86"):
        digits = digits[3:]
    if not digits:
        return ""
    if not digits.isdigit():
        raise DomainError(gettext("电话“%(value)s”格式不正确：只能包含数字。") % {"value": raw}, field=field)
    if len(digits) == 11 and digits.startswith("1"):
        if digits[1] not in "3456789":
            raise DomainError(
                gettext("手机号“%(value)s”格式不正确：手机号应以13至19开头。") % {"value": raw}, field=field
            )
        return digits
    if digits.startswith("0") and len(digits) in (11, 12):
        return digits
    raise DomainError(
        gettext(
            "电话“%(value)s”格式不正确（%(length)d位数字）：手机号应为以1开头的11位数字，"
            "固定电话应带区号，如 0371-67890123（共11至12位）。"
        )
        % {"value": raw, "length": len(digits)},
        field=field,
    )


def clean_short(field: str, label: str, max_length: int = 50) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        raw = text(value)
        if len(raw) > max_length:
            raise DomainError(
                gettext("%(label)s不能超过%(max)d个字符。") % {"label": label, "max": max_length}, field=field
            )
        return raw

    return clean


# GB 11643-1999: 17 digits and a check character over ISO 7064 MOD 11-2.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# The first two digits name a province-level division. Later digits are the county where the number
# was issued and stay valid after the county is renamed or merged, so only the province is checked.
_ID_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 "
    "71 81 82 83".split()
)


def id_check_character(first17: str) -> str:
    return _ID_CHECK[sum(map(operator.mul, map(int, first17), _ID_WEIGHTS)) % 11]


def clean_id_number(value: Any) -> str:
    """An 18-character 居民身份证号码 (GB 11643): province, a real birth date, the check character."""
    raw = text(value).replace(" ", "").upper()
    if not raw:
        return ""
    if len(raw) != 18 or not raw[:17].isdigit() or not (raw[17].isdigit() or raw[17] == "X"):
        raise DomainError(
            gettext("身份证号应为18位：前17位是数字，最后一位是数字或X（现为%(length)d位）。")
            % {"length": len(raw)},
            field="id_number",
        )
    if raw[:2] not in _ID_PROVINCES:
        raise DomainError(
            gettext("身份证号前两位“%(code)s”不是省级行政区划代码。") % {"code": raw[:2]}, field="id_number"
        )
    try:
        born = datetime.date(int(raw[6:10]), int(raw[10:12]), int(raw[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < 1900 or born > datetime.date.today():
        raise DomainError(
            gettext("身份证号中的出生日期“%(date)s”不存在。") % {"date": raw[6:14]}, field="id_number"
        )
    expected = id_check_character(raw[:17])
    if raw[17] != expected:
        raise DomainError(
            gettext("身份证号校验码错误：最后一位应为%(expected)s，而不是%(given)s。")
            % {"expected": expected, "given": raw[17]},
            field="id_number",
        )
    return raw


def clean_ethnicity(value: Any) -> str:
    raw = text(value).replace(" ", "")
    if not raw:
        return ""
    name = raw if raw.endswith("族") else raw + "族"
    if name not in ETHNIC_GROUPS:
        raise DomainError(gettext("民族“%(value)s”不是56个民族之一。") % {"value": raw}, field="ethnicity")
    return name


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_email(value: Any) -> str:
    raw = text(value).replace(" ", "")
    if not raw:
        return ""
    if len(raw) > 254 or not _EMAIL.match(raw):
        raise DomainError(gettext("电子邮箱“%(value)s”格式不正确。") % {"value": raw}, field="email")
    return raw.lower()


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
    "id_number": clean_id_number,
    "ethnicity": clean_ethnicity,
    "degree": _choice("degree", _("学位"), Degree),
    "school": clean_short("school", _("毕业院校"), 100),
    "major": clean_short("major", _("所学专业"), 100),
    "title_series": clean_short("title_series", _("职称系列"), 50),
    "department": clean_short("department", _("部门"), 100),
    "specialty": clean_short("specialty", _("专业特长"), 200),
    "achievements": clean_short("achievements", _("主要科技成果"), 2000),
    "societies": clean_short("societies", _("已加入的学会"), 200),
    "email": clean_email,
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


# --- fast paths for the columns of unique values (roster imports of 100,000 rows) ------------------
# Each takes a raw cell and returns exactly what the full cleaner returns for it, or None when the
# cell is not of the plain, valid kind it recognises (the caller then runs the full cleaner, which
# also words the error). tests/members/test_cleaning.py checks them against the full cleaners.

_PLAIN_NAME = re.compile(r"[\u4e00-\u9fff]{1,50}")  # CJK unified ideographs: unchanged by NFKC
_MOBILE_DIGITS = frozenset("3456789")


def fast_name(raw: Any) -> str | None:
    if raw.__class__ is str and _PLAIN_NAME.fullmatch(raw):
        return raw
    return None


def fast_phone(raw: Any) -> str | None:
    """An 11-digit mobile as typed, with or without hyphens."""
    if raw.__class__ is not str or not raw.isascii():
        return None
    digits = raw.replace("-", "") if "-" in raw else raw
    if len(digits) == 11 and digits.isdigit() and digits[0] == "1" and digits[1] in _MOBILE_DIGITS:
        return digits
    return None


def fast_id_number(raw: Any) -> str | None:
    """A valid 18-character ID number, as typed (no spaces)."""
    if raw.__class__ is not str or len(raw) != 18 or not raw.isascii() or not raw.isalnum():
        return None
    number = raw.upper()
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return None
    if number[:2] not in _ID_PROVINCES or number[17] != id_check_character(number[:17]):
        return None
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    if born.year < 1900 or born > datetime.date.today():
        return None
    return number


def fast_email(raw: Any) -> str | None:
    if (
        raw.__class__ is not str
        or not raw.isascii()
        or not raw.isprintable()
        or " " in raw
        or len(raw) > 254
        or raw.startswith("=")
        or not _EMAIL.match(raw)
    ):
        return None
    return raw.lower()


FAST_PATHS: dict[str, Callable[[Any], str | None]] = {
    "name": fast_name,
    "phone": fast_phone,
    "id_number": fast_id_number,
    "email": fast_email,
}
