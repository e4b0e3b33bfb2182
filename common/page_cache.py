"""The shared cache of public pages (announcement days bring crowds; DESIGN.md §5).

An app keeps its public pages under a namespace of its own, a :class:`PageCache` with a key
prefix, and drops them all at once by bumping the namespace's version whenever anything it
publishes changes (:meth:`PageCache.invalidate`, after the change commits). Two levels, both
keyed by page, version, language and full path:

- the *body* of a page (its main content, which is the same for every visitor), served to
  everyone, signed in or not: a signed-in user gets the cached body inside a layout rendered
  for them (:meth:`PageCache.cached_body`);
- the *whole response* for anonymous visitors (:meth:`PageCache.anonymous_page`): nothing per
  visitor is on such a page — the language switch carries no CSRF token — and a response is
  stored only when no message was waiting and no CSRF token was asked for while rendering it,
  so neither can ever be served to someone else.

The cache is an accelerator, never a dependency: when it fails, every read is a miss, every
write is skipped, the failure is logged, and the page is served uncached.
"""

import hashlib
import logging
import threading
import uuid
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.http import HttpResponse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

# Pages also expire on their own, for changes that do not bump the version (a host unit or an
# industry field renamed in admin).
CACHE_TIMEOUT = 600

_MISSING = object()

# Seconds a single-flight recomputation holds its lock at most (a worker that dies while
# computing delays the fresh value by this long, never blocks it).
SINGLE_FLIGHT_LOCK = 30


# --- work after the response -----------------------------------------------------------------
_deferred = threading.local()


def _request_started(**kwargs):
    _deferred.tasks = []


def _request_finished(**kwargs):
    tasks, _deferred.tasks = getattr(_deferred, "tasks", None), None
    for task in tasks or ():
        try:
            task()
        except Exception:  # the response is out already; the next request recomputes
            logger.exception("Recomputing a cached value after the response failed.")


request_started.connect(_request_started, dispatch_uid="common.page_cache.started")
request_finished.connect(_request_finished, dispatch_uid="common.page_cache.finished")


def after_response(task):
    """Run ``task()`` once the current response has been sent (``request_finished``: the WSGI
    server has written the body when it closes the response); returns False, and does
    nothing, outside a request."""
    tasks = getattr(_deferred, "tasks", None)
    if tasks is None:
        return False
    tasks.append(task)
    return True


def _cache_failed(action, key):
    logger.warning("Page cache %s failed for %s; serving uncached.", action, key, exc_info=True)


class PageCache:
    """The public pages of one app: keys under ``prefix``, all dropped at once by a version
    kept in the shared cache (so every process sees a bump)."""

    def __init__(self, prefix, *, timeout=CACHE_TIMEOUT):
        self.prefix = prefix
        self.timeout = timeout
        self.version_key = f"{prefix}:version"

    # --- fail-soft access -------------------------------------------------------------------
    def get(self, key, default=None):
        try:
            return cache.get(key, default)
        except Exception:  # any backend error is a miss
            _cache_failed("read", key)
            return default

    def set(self, key, value, timeout=_MISSING):
        try:
            cache.set(key, value, self.timeout if timeout is _MISSING else timeout)
        except Exception:  # any backend error skips the write
            _cache_failed("write", key)

    # --- version ----------------------------------------------------------------------------
    def version(self):
        """The current version of everything public in this namespace, or None when the cache
        cannot tell (then nothing is read from or written to it)."""
        try:
            version = cache.get(self.version_key)
            if version is None:
                cache.add(self.version_key, uuid.uuid4().hex, None)
                version = cache.get(self.version_key)
        except Exception:
            _cache_failed("version read", self.version_key)
            return None
        return version

    @staticmethod
    def versions_and(page_caches, keys=()):
        """The current versions of several namespaces and the values of other ``keys``, read
        in one round trip (``get_many``): ``(versions in order, {key: value found})``. The
        versions are None when the cache cannot tell one (a namespace without a version yet
        gets one from :meth:`version` here)."""
        version_keys = [page_cache.version_key for page_cache in page_caches]
        try:
            found = cache.get_many([*version_keys, *keys])
        except Exception:  # any backend error is a miss
            _cache_failed("read", ",".join(version_keys))
            return None, {}
        if any(key not in found for key in version_keys):
            versions = [page_cache.version() for page_cache in page_caches]
            return (None if None in versions else versions), found
        return [found[key] for key in version_keys], found

    def bump(self):
        """Drop every cached page of the namespace now."""
        try:
            cache.set(self.version_key, uuid.uuid4().hex, None)
        except Exception:
            _cache_failed("version bump", self.version_key)

    def invalidate(self):
        """Drop every cached page of the namespace once the surrounding transaction commits
        (at once outside a transaction). Never inside it: the change is not visible to other
        processes until then, and a cache outage must not roll the change back."""
        transaction.on_commit(self.bump)

    # --- keys and values --------------------------------------------------------------------
    def key(self, name, *parts, version=None):
        """``prefix:name:version:parts…``, or None when the version is unknown."""
        version = self.version() if version is None else version
        if version is None:
            return None
        return ":".join((self.prefix, name, version, *map(str, parts)))

    def remember(self, name, parts, compute, timeout=_MISSING, *, single_flight=False):
        """``compute()``, cached under ``name`` and ``parts`` until the version changes.

        ``single_flight``: right after a bump, when many requests miss at once, only the one
        that takes a short lock computes; the others serve the value of the previous version
        (kept under a key without the version) until the new one is stored. Inside a request
        the one that took the lock serves the previous value too and recomputes after its
        response is sent (:func:`after_response`), so that no reader waits for a count over
        every row right after a publish; outside a request it computes at once. For values
        that may be a moment old (counts, search windows); without a previous value, or when
        the cache cannot lock, everyone computes as usual."""
        key = self.key(name, *parts)
        if key is None:
            return compute()
        value = self.get(key, _MISSING)
        if value is not _MISSING:
            return value
        if not single_flight:
            value = compute()
            self.set(key, value, timeout)
            return value
        latest = ":".join((self.prefix, "latest", name, *map(str, parts)))
        lock = f"{key}:computing"
        locked = self._lock(lock)
        previous = self.get(latest, _MISSING)

        def refresh():
            try:
                fresh = compute()
                self.set(key, fresh, timeout)
                self.set(latest, fresh, None)
            finally:
                if locked:
                    self._unlock(lock)
            return fresh

        if previous is not _MISSING and (not locked or after_response(refresh)):
            # Another worker recomputes, or this one does once its response is sent: serve
            # the previous version's value meanwhile.
            return previous
        return refresh()

    def _lock(self, lock):
        try:
            return bool(cache.add(lock, 1, SINGLE_FLIGHT_LOCK))
        except Exception:
            _cache_failed("lock", lock)
            return True  # cannot tell: compute, as without single flight

    def _unlock(self, lock):
        try:
            cache.delete(lock)
        except Exception:
            _cache_failed("unlock", lock)

    def page_key(self, request, page, level="body"):
        """The key of a cached page body (or whole response): page, version, language, full
        path; None when the version is unknown."""
        path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
        version = self.version()
        if version is None:
            return None
        return f"{self.prefix}:{level}:{page}:{version}:{get_language()}:{path}"

    # --- pages ------------------------------------------------------------------------------
    def cached_body(self, request, page, build):
        """The HTML of a public page body: from the shared cache, or built by ``build()`` and
        stored."""
        key = self.page_key(request, page)
        body = None if key is None else self.get(key)
        if body is None:
            body = build()
            if key is not None:
                self.set(key, body)
        return mark_safe(body)  # noqa: S308 - our own rendered template output

    def anonymous_page(self, page):
        """Serve the decorated view's whole response to anonymous visitors from the shared
        cache."""

        def decorator(view):
            @wraps(view)
            def wrapper(request, *args, **kwargs):
                if not _cacheable_request(request):
                    return view(request, *args, **kwargs)
                key = self.page_key(request, page, level="page")
                cached = None if key is None else self.get(key)
                if cached is not None:
                    content, content_type = cached
                    return HttpResponse(content, content_type=content_type)
                response = view(request, *args, **kwargs)
                if key is not None and _cacheable_response(request, response):
                    self.set(key, (response.content, response["Content-Type"]))
                return response

            return wrapper

        return decorator


def _cacheable_request(request):
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and not len(messages.get_messages(request))
    )


def _cacheable_response(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )
