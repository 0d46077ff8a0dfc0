"""Masking of personal data (PIPL): phones and ID numbers are shown masked by default."""

from __future__ import annotations


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = str(value)
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(value: str | None) -> str:
    if not value:
        return ""
    text = str(value)
    if len(text) < 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"


def mask_name(value: str | None) -> str:
    if not value:
        return ""
    text = str(value)
    if len(text) == 1:
        return text
    return text[0] + "*" * (len(text) - 1)


MASKERS = {"phone": mask_phone, "id_number": mask_id_number, "name": mask_name}
