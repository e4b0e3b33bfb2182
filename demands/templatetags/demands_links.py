"""``{% demand_links ref demand page as links %}``: the links apps above ``demands`` offer on a
demand's pages (``demands.hooks.register_links``), so that demands never imports them."""

from django import template

from .. import hooks

register = template.Library()


@register.simple_tag(takes_context=True)
def demand_links(context, ref, demand=None, page="public"):
    request = context.get("request")
    user = getattr(request, "user", None)
    return hooks.links(user, ref=ref, demand=demand or None, page=page)
