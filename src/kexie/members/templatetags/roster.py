"""``{% roster_links association as roster_links %}``: may the user import / export its roster?"""

from django import template

from kexie.accounts import scoping
from kexie.accounts.permissions import has_perm

register = template.Library()


@register.simple_tag(takes_context=True)
def roster_links(context, association) -> dict[str, bool]:
    user = context["request"].user
    links = {"import": False, "export": False}
    if has_perm(user, "roster.import"):
        links["import"] = scoping.roster_associations(user, write=True).filter(pk=association.pk).exists()
    if has_perm(user, "roster.export"):
        links["export"] = scoping.roster_associations(user).filter(pk=association.pk).exists()
    return links
