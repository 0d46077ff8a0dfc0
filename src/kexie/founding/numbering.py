"""Document numbers (文号) such as 中原科协函〔2026〕12号: one sequence per issuer and year,
taken under a row lock, so concurrent approvals never share or skip a number."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from kexie.associations.models import Association
from kexie.core.errors import DomainError

from .models import NumberSequence

DEFAULT_PATTERN = "{prefix}〔{year}〕{number}号"
SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "特别行政区",
    "自治州",
    "自治县",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
    "地区",
)


def short_name(region_name: str) -> str:
    for suffix in SUFFIXES:
        if region_name.endswith(suffix) and len(region_name) > len(suffix) + 1:
            return region_name[: -len(suffix)]
    return region_name


def format_number(issuer: Association, year: int, number: int) -> str:
    pattern = issuer.document_number_pattern or DEFAULT_PATTERN
    prefix = f"{short_name(issuer.region.name)}科协函"
    try:
        if "{number" not in pattern:  # every approval of the year would get the same number
            raise ValueError(pattern)
        return pattern.format(prefix=prefix, year=year, number=number)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise DomainError(
            gettext(
                "%(issuer)s的发文字号格式“%(pattern)s”有误，须含{number}，只能使用{prefix}、{year}、{number}，"
                "请先修改格式。"
            )
            % {"issuer": issuer.name, "pattern": pattern},
            field="document_number_pattern",
        ) from exc


def next_number(issuer: Association, on: datetime.date) -> str:
    """Take the issuer's next number for the year of ``on``. Must run inside the caller's transaction."""
    assert transaction.get_connection().in_atomic_block, "numbers are taken inside the approving transaction"
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(issuer=issuer, year=on.year)
    except IntegrityError:  # another approval created the row first: it exists now
        pass
    sequence = NumberSequence.objects.select_for_update().get(issuer=issuer, year=on.year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return format_number(issuer, on.year, sequence.last)
