"""``{% load rights %}…{% if user|may:"association.supervise" %}``: a right of the user, for links in shared templates."""

from django import template

from ..permissions import has_perm

register = template.Library()


@register.filter
def may(user, perm: str) -> bool:
    return has_perm(user, perm)
