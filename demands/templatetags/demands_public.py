"""``{% national_demands %}``: the nationally published demands, for the home page (the
contests app loads this tag and never imports demands)."""

from django import template

from ..public.projection import from_snapshot, public_demands
from ..services.national import national_demands as _national_demands

register = template.Library()

HOME_LIMIT = 6


@register.inclusion_tag("demands/public/includes/national_list.html")
def national_demands(limit=HOME_LIMIT):
    return {"demands": _national_demands(limit=limit)}


@register.inclusion_tag("demands/public/includes/newest_list.html")
def newest_demands(limit=HOME_LIMIT):
    """The newest published demands (their snapshots only), for the home page."""
    rows = (public_demands().order_by("-published_at", "-pk")
            .values_list("public_snapshot", flat=True)[:limit])
    return {"demands": [from_snapshot(row) for row in rows]}
