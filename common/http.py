"""Where a view goes back to: the ``next`` (or ``return``) a page passed along, if it is a path
on this site, otherwise the view's own default."""

import unicodedata

from django.utils.http import url_has_allowed_host_and_scheme

MAX_NEXT_LENGTH = 2000


def is_same_site_path(value, request):
    """A path on this site, such as ``/demands/?page=2``: never a URL name (``redirect()`` would
    reverse a bare word such as ``-1`` and fail), another host, a scheme, or a value with
    control or format characters (a newline would break the ``Location`` header)."""
    if not value or len(value) > MAX_NEXT_LENGTH or not value.startswith("/"):
        return False
    if value.startswith(("//", "/\\")):
        return False
    if any(unicodedata.category(char).startswith("C") for char in value):
        return False
    return url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request, default, names=("next", "return")):
    """The first of ``names`` in the form or the query that is a same-site path, else
    ``default`` (a path or URL the view built with ``reverse``)."""
    for name in names:
        for source in (request.POST, request.GET):
            candidate = source.get(name, "")
            if candidate and is_same_site_path(candidate, request):
                return candidate
    return default


def posted_text(request, name, *, default="", max_length=None):
    """A free-text value read straight from ``request.POST`` (where no form field cleans it):
    without NUL characters, which no database text column takes (PostgreSQL refuses them), and
    cut to ``max_length``. ``None`` when the field was not posted and ``default`` is ``None``."""
    value = request.POST.get(name, default)
    if value is None:
        return None
    value = str(value).replace("\x00", "")
    return value[:max_length] if max_length else value
