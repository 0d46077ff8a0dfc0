"""Encryption of personal identifiers at rest (PIPL): ID numbers are stored as AES-GCM ciphertext,
found by a keyed digest, and shown through a stored mask — the plain value never sits in a column,
a URL or a log line.

The key is ``KEXIE_FIELD_KEY`` (any string; production sets it apart from ``SECRET_KEY`` so that
rotating one does not lose the other); in development it is derived from ``SECRET_KEY``.
Two sub-keys are derived from it: one encrypts, one keys the digest.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Callable
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_PREFIX = "v1:"


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[AESGCM, bytes]:
    root = hashlib.sha256(("kexie.field-key:" + secret).encode()).digest()
    enc = hmac.new(root, b"encrypt", hashlib.sha256).digest()
    mac = hmac.new(root, b"digest", hashlib.sha256).digest()
    return AESGCM(enc), mac


def _current() -> tuple[AESGCM, bytes]:
    return _keys(getattr(settings, "KEXIE_FIELD_KEY", "") or settings.SECRET_KEY)


def encrypt(value: str) -> str:
    """Ciphertext of ``value`` ("" stays ""), a fresh nonce each time."""
    if not value:
        return ""
    aes, _mac = _current()
    nonce = os.urandom(12)
    return _PREFIX + base64.b64encode(nonce + aes.encrypt(nonce, value.encode(), None)).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    aes, _mac = _current()
    raw = base64.b64decode(token.removeprefix(_PREFIX))
    return aes.decrypt(raw[:12], raw[12:], None).decode()


def digest(value: str) -> str:
    """A keyed, deterministic digest for finding and de-duplicating by value ("" stays "")."""
    if not value:
        return ""
    _aes, mac = _current()
    return hmac.new(mac, value.upper().encode(), hashlib.sha256).hexdigest()


# For many values in one go (a roster of 100,000 people): the keys are looked up once, not per value.


def encrypter() -> Callable[[str], str]:
    """``encrypt`` with the current key bound (a fresh nonce each time, as ``encrypt``)."""
    aes, _mac = _current()
    urandom, b64encode = os.urandom, base64.b64encode

    def encrypt_one(value: str) -> str:
        if not value:
            return ""
        nonce = urandom(12)
        return _PREFIX + b64encode(nonce + aes.encrypt(nonce, value.encode(), None)).decode()

    return encrypt_one


def digester() -> Callable[[str], str]:
    """``digest`` with the current key bound: the keyed HMAC state is computed once and copied."""
    _aes, mac = _current()
    keyed = hmac.new(mac, digestmod=hashlib.sha256)

    def digest_one(value: str) -> str:
        if not value:
            return ""
        h = keyed.copy()
        h.update(value.upper().encode())
        return h.hexdigest()

    return digest_one
