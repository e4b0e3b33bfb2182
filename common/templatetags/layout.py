"""``{% shared_include "template" vary… %}``: a layout fragment rendered once per process for
each language and set of ``vary`` values, then reused, instead of on every page.

Signed-in pages cannot come whole from the page cache (their layout is the user's), but most
of the layout is not: the footer is the same for everyone, the main navigation the same for
everyone with the same roles. A template included this way must depend only on the language,
the settings and the values it varies by — never on the request, the user's name, a CSRF
token or messages. Its rendered HTML is kept in this process (at most ``MAX_FRAGMENTS``, least
recently used dropped first), so keeping it costs no cache round trip.
"""

import threading
from collections import OrderedDict

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()

MAX_FRAGMENTS = 256
_fragments = OrderedDict()
_lock = threading.Lock()


def _freeze(value):
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(map(str, value)))
    if isinstance(value, (list, tuple)):
        return tuple(map(_freeze, value))
    return value


@register.simple_tag(takes_context=True)
def shared_include(context, template_name, *vary):
    key = (template_name, get_language(), *map(_freeze, vary))
    with _lock:
        html = _fragments.get(key)
        if html is not None:
            _fragments.move_to_end(key)
            return html
    html = mark_safe(get_template(template_name).render(context.flatten()))  # noqa: S308
    with _lock:
        _fragments[key] = html
        while len(_fragments) > MAX_FRAGMENTS:
            _fragments.popitem(last=False)
    return html
