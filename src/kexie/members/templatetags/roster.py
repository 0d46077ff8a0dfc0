"""``{% roster_links association as roster_links %}``: may the user import / export its roster?"""

from django import template

from kexie.accounts.permissions import has_perm

from ..permissions import roster_associations_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def roster_links(context, association) -> dict[str, bool]:
    user = context["request"].user
    links = {"import": False, "export": False}
    if has_perm(user, "roster.import"):
        links["import"] = roster_associations_for_user(user, write=True).filter(pk=association.pk).exists()
    if has_perm(user, "roster.export"):
        links["export"] = roster_associations_for_user(user).filter(pk=association.pk).exists()
    return links
