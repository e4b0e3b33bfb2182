"""``{% latest_news %}``: the latest published news, for the home page (contests loads this tag
and never imports news)."""

from django import template

from ..selectors import latest_items

register = template.Library()


@register.inclusion_tag("news/includes/latest.html")
def latest_news(limit=5):
    return {"items": latest_items(limit)}
