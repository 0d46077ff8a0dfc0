"""Fast, deterministic 统一社会信用代码 for demo enterprises.

Layout (GB 32100-2015): ``9`` (registered by 市场监管) ``1`` (enterprise), the six-digit county code,
nine characters of organisation code, and the mod-31 check character. The organisation code of the
n-th demo enterprise is n scrambled by a bijection of [0, 31⁹), so distinct serials give distinct codes
and the codes don't look sequential.

The check character is a weighted sum mod 31. The sum over the first eight characters is computed
once per county, and the organisation code is three groups of three characters whose strings and
weighted sums come from tables of 31³ entries, so one code costs three look-ups and an addition.
"""

from __future__ import annotations

from functools import lru_cache

from kexie.enterprises.validators import CREDIT_CODE_ALPHABET, CREDIT_CODE_WEIGHTS

ALPHABET = CREDIT_CODE_ALPHABET
ORG_SPACE = 31**9
_GROUP = 31**3
_ORG_STEP = 1_000_003  # not a multiple of 31, so serial → serial·STEP + SHIFT (mod 31⁹) is a bijection
_ORG_SHIFT = 2_718_281_828_459
CHECK_CHARS = tuple(ALPHABET[(31 - s) % 31] for s in range(31))  # weighted sum mod 31 → check char


def _weighted(chars: str, weights: tuple[int, ...]) -> int:
    return sum(ALPHABET.index(c) * w for c, w in zip(chars, weights, strict=True)) % 31


@lru_cache(maxsize=1)
def group_tables() -> tuple[tuple[list[str], list[int]], ...]:
    """For each of the three groups (characters 9–11, 12–14, 15–17): every 3-character string
    and its weighted sum mod 31."""
    tables = []
    for g in range(3):
        w0, w1, w2 = CREDIT_CODE_WEIGHTS[8 + 3 * g : 11 + 3 * g]
        strings: list[str] = []
        sums: list[int] = []
        for a in range(31):
            for b in range(31):
                base = a * w0 + b * w1
                ab = ALPHABET[a] + ALPHABET[b]
                for c in range(31):
                    strings.append(ab + ALPHABET[c])
                    sums.append((base + c * w2) % 31)
        tables.append((strings, sums))
    return tuple(tables)


@lru_cache(maxsize=4096)
def county_prefix(region_code: str) -> tuple[str, int]:
    """``91`` + county code and the weighted sum of those eight characters."""
    head = "91" + region_code
    return head, _weighted(head, CREDIT_CODE_WEIGHTS[:8])


def scramble(serial: int) -> int:
    return (serial * _ORG_STEP + _ORG_SHIFT) % ORG_SPACE


def credit_code(region_code: str, serial: int) -> str:
    """The demo credit code of the ``serial``-th enterprise registered in ``region_code``."""
    (s0, w0), (s1, w1), (s2, w2) = group_tables()
    head, total = county_prefix(region_code)
    x = scramble(serial)
    hi, rest = divmod(x, _GROUP * _GROUP)
    mid, lo = divmod(rest, _GROUP)
    return head + s0[hi] + s1[mid] + s2[lo] + CHECK_CHARS[(total + w0[hi] + w1[mid] + w2[lo]) % 31]
