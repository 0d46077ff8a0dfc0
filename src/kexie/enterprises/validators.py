"""统一社会信用代码 (GB 32100-2015) and the normalisation of what people type."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext, ngettext

from kexie.core.errors import DomainError

# 31 characters: digits and capitals without I, O, Z, S, V.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
FORBIDDEN_LETTERS = "IOZSV"
FIELD = "credit_code"


def to_halfwidth(text: str) -> str:
    """Full-width digits, letters and spaces (as typed with a Chinese IME) to ASCII."""
    return unicodedata.normalize("NFKC", text).replace("\u3000", " ")


def credit_code_check_char(first17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(raw: object, *, field: str = FIELD) -> str:
    """Return the canonical code or raise a DomainError naming the field and the reason."""
    text = to_halfwidth(str(raw or "")).strip().upper().replace(" ", "").replace("-", "")
    if not text:
        raise DomainError(gettext("统一社会信用代码不能为空。"), field=field)
    if len(text) != 18:
        length = len(text)
        message = ngettext(
            "统一社会信用代码应为18位，当前为%(length)s位。",
            "统一社会信用代码应为18位，当前为%(length)s位。",
            length,
        )
        raise DomainError(message % {"length": length}, field=field)
    for position, char in enumerate(text, start=1):
        if char in FORBIDDEN_LETTERS:
            raise DomainError(
                gettext("统一社会信用代码第%(position)s位是字母“%(char)s”，代码中不得使用 I、O、Z、S、V。")
                % {"position": position, "char": char},
                field=field,
            )
        if char not in CREDIT_CODE_ALPHABET:
            raise DomainError(
                gettext("统一社会信用代码第%(position)s位“%(char)s”不是允许的字符。")
                % {"position": position, "char": char},
                field=field,
            )
    expected = credit_code_check_char(text[:17])
    if text[17] != expected:
        raise DomainError(
            gettext("统一社会信用代码校验位错误：第18位应为“%(expected)s”，实际为“%(actual)s”，请核对代码。")
            % {"expected": expected, "actual": text[17]},
            field=field,
        )
    return text


def is_valid_credit_code(raw: object) -> bool:
    try:
        normalize_credit_code(raw)
    except DomainError:
        return False
    return True


def make_credit_code(body17: str) -> str:
    """Complete 17 characters with their check character (demo data and tests)."""
    return body17 + credit_code_check_char(body17)
