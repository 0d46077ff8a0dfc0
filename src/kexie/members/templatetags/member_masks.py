from django import template

from kexie.core.masking import mask_phone

register = template.Library()


@register.filter
def masked_phone(value: str) -> str:
    """A phone as lists show it (138****5678): the full number never reaches the page."""
    return mask_phone(value)
