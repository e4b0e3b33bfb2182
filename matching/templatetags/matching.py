"""Template helpers of the matching pages."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def highlight(text, reasons):
    """``text`` escaped, with each matched term of ``reasons`` (as written in the achievement)
    wrapped in ``<mark>``."""
    forms = sorted({reason.get("achievement", "") for reason in reasons or ()
                    if reason.get("achievement")}, key=len, reverse=True)
    text = str(text or "")
    if not forms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(form) for form in forms), re.IGNORECASE)
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last:match.start()]))
        pieces.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped
