"""``{% if user|may:"association.supervise" %}``: a permission check for links in shared templates."""

from django import template

from kexie.accounts.permissions import has_perm

register = template.Library()


@register.filter
def may(user, perm: str) -> bool:
    return has_perm(user, perm)
