"""Read replicas: public lists, search, the API and the dashboards read a ``replica`` database.

Off unless ``DATABASE_REPLICA_URL`` is set (then ``settings`` adds the ``replica`` alias and
installs :class:`ReplicaRouter`). :class:`ReplicaMiddleware` decides per request:

- only a ``GET``/``HEAD`` of a view named in ``settings.REPLICA_READ_VIEWS`` (``fnmatch``
  patterns of ``namespace:name``) reads the replica; everything else, every write and every read
  inside a transaction stays on the primary (``default``);
- after a request that may write (any other method), the browser gets a cookie that pins its
  reads to the primary for ``REPLICA_PIN_SECONDS``, so a person sees their own write at once
  even while the replica lags. The cookie is not signed: forging it only sends one's own reads
  to the primary.

The choice lives in a context variable, set for the view and reset when the response leaves
the middleware; a streamed body that is read after that (the CSV export) reads the primary.
"""

import contextvars
import fnmatch
import time

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
ROUTER = "common.replicas.ReplicaRouter"
PIN_COOKIE = "cp_primary_until"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")

_reading_replica = contextvars.ContextVar("reading_replica", default=False)


def replica_configured():
    """Whether a replica is in use: ``settings`` installs the router with the alias."""
    return ROUTER in settings.DATABASE_ROUTERS


def reads_replica():
    """Whether reads made now go to the replica (for tests and the health page)."""
    return _reading_replica.get() and replica_configured()


class ReplicaRouter:
    """Reads go to the replica only where the middleware allowed it and outside a transaction
    on the primary (a service reading what it is about to change reads the primary); writes,
    migrations and everything else go to ``default``."""

    def db_for_read(self, model, **hints):
        if reads_replica() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _pinned(request):
    try:
        return float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
    except ValueError:
        return False


def _replica_view(request):
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    return any(fnmatch.fnmatchcase(match.view_name, pattern)
               for pattern in settings.REPLICA_READ_VIEWS)


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _reading_replica.set(False)
        try:
            response = self.get_response(request)
        finally:
            _reading_replica.reset(token)
        if request.method not in SAFE_METHODS and replica_configured():
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(PIN_COOKIE, f"{time.time() + seconds:.0f}", max_age=seconds,
                                httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (request.method in ("GET", "HEAD") and replica_configured()
                and not _pinned(request) and _replica_view(request)):
            _reading_replica.set(True)
        return None
