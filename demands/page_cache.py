"""The shared cache of public demand pages (crowds hit them when a batch is announced).

Two levels, both keyed by page, public version, language and full path, and both dropped at
once by :func:`demands.public.bump_public_version` whenever anything public changes:

- the *body* of a page (its main content, which is the same for every visitor), served to
  everyone, signed in or not: a signed-in user gets the cached body inside a layout rendered for
  them;
- the *whole response* for anonymous visitors (:func:`anonymous_page`): nothing per visitor is
  on such a page — the language switch carries no CSRF token — and a response is stored only
  when no message was waiting and no CSRF token was asked for while rendering it, so neither can
  ever be served to someone else.
"""

import hashlib
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .public import public_version

# Pages also expire on their own, for changes that do not pass through refresh_public_index (a
# host unit or an industry field renamed in admin).
CACHE_TIMEOUT = 600


def cache_key(request, page, level="body"):
    """The key of a cached page body (or whole response): page, public version, language,
    full path."""
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"demands:public:{level}:{page}:{public_version()}:{get_language()}:{path}"


def cached_body(request, page, build):
    """The HTML of a public page body: from the shared cache, or built by ``build()`` and
    stored."""
    key = cache_key(request, page)
    body = cache.get(key)
    if body is None:
        body = build()
        cache.set(key, body, CACHE_TIMEOUT)
    return mark_safe(body)  # noqa: S308 - our own rendered template output


def _cacheable_request(request):
    return (request.method in ("GET", "HEAD") and not request.user.is_authenticated
            and not len(messages.get_messages(request)))


def _cacheable_response(request, response):
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"))


def anonymous_page(page):
    """Serve the decorated view's whole response to anonymous visitors from the shared cache."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = cache_key(request, page, level="page")
            cached = cache.get(key)
            if cached is not None:
                content, content_type = cached
                return HttpResponse(content, content_type=content_type)
            response = view(request, *args, **kwargs)
            if _cacheable_response(request, response):
                cache.set(key, (response.content, response["Content-Type"]), CACHE_TIMEOUT)
            return response

        return wrapper

    return decorator
