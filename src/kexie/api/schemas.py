"""Shapes shared by every router: the error body, storable text, and limit/offset pages.

Schemas check *types* only (an integer is an integer). What a value means — a valid credit
code, a county in reach, a known ownership — is decided by the same cleaning and services the
pages use, so the API never holds a second copy of a rule.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext
from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from .errors import OWN_ERROR_TYPE


def _storable(value: str) -> str:
    # PostgreSQL text cannot hold U+0000 (Django forms refuse it too), and a lone surrogate
    # ("\ud800" is legal in JSON) cannot be encoded for either database.
    if "\x00" in value:
        raise PydanticCustomError(OWN_ERROR_TYPE, gettext("不能包含空字符（U+0000）"))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError(
            OWN_ERROR_TYPE, gettext("含有无效的 Unicode 字符（孤立的代理项）")
        ) from None
    return value


Text = Annotated[str, AfterValidator(_storable)]


class ErrorOut(Schema):
    message: str = Field(
        description="面向用户的说明，一句完整的话（默认中文；请求头 Accept-Language: en 时为英文）。"
    )
    field: str | None = Field(None, description="出错的字段名；与具体字段无关时为 null。")


ERROR_STATUSES = (400, 401, 403, 404, 422)
ERRORS: dict[int, type[Schema]] = {status: ErrorOut for status in ERROR_STATUSES}


def responses(ok: dict[int, Any]) -> dict[int, Any]:
    """A response map: the success shapes plus the one error shape for every error status."""
    return {**ERRORS, **ok}


class PageQuery(Schema):
    limit: int = Field(
        settings.KEXIE_PAGE_SIZE,
        ge=1,
        le=settings.KEXIE_API_MAX_PAGE_SIZE,
        description=f"每页条数，1 至 {settings.KEXIE_API_MAX_PAGE_SIZE}。",
    )
    offset: int = Field(0, ge=0, le=1_000_000_000, description="跳过的条数。")


def page(qs: QuerySet, query: PageQuery) -> dict[str, Any]:
    """``count`` is the full count of the (already scoped) queryset; ``items`` one slice of it."""
    return {"count": qs.count(), "items": list(qs[query.offset : query.offset + query.limit])}
