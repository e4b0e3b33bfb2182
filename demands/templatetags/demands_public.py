"""``{% national_demands %}``: the nationally published demands, for the home page (the
contests app loads this tag and never imports demands)."""

from django import template

from ..services.national import national_demands as _national_demands

register = template.Library()

HOME_LIMIT = 6


@register.inclusion_tag("demands/public/includes/national_list.html")
def national_demands(limit=HOME_LIMIT):
    return {"demands": _national_demands(limit=limit)}
