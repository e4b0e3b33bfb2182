"""The shared cache, failing soft: a Redis outage makes the portal slower, never broken.

``FailSoftRedisCache`` is Django's ``RedisCache`` with four changes:

- **Short timeouts.** Connecting and each answer wait at most ``socket_connect_timeout`` /
  ``socket_timeout`` (0.5 s unless ``OPTIONS`` say otherwise), so a hung Redis cannot hang a page.
- **Errors are misses.** A connection error or a timeout is logged and the operation answers as
  an empty cache would: ``get`` returns the default, ``get_many`` ``{}``, ``has_key``, ``delete``
  and ``touch`` False, ``incr`` raises ``ValueError`` (the key is missing), ``set_many`` returns
  every key as not stored. ``add`` returns **True**: the locks and "first use" checks built on it
  fail open — allauth's rate limits and our account lockout count nothing while the cache is down
  (sign-in keeps working, unthrottled), and a TOTP code is not remembered as used.
- **A short circuit breaker.** After a failure this process leaves Redis alone for
  ``RETRY_AFTER`` seconds (every operation is then a miss at once), so a page with ten cache
  reads pays one timeout, not ten. ``ping`` (used by ``/healthz``) always asks Redis.
- **Lost writes are repaired.** The key of a write that failed (a set, a delete, …) may hold a
  stale value once Redis is back — a session signed out during the outage, an old public
  version. Such keys are deleted on the first successful operation after the outage, in the
  process that lost the write (up to ``MAX_PENDING`` keys; the log says when more were lost).

Errors are logged on the ``portal.cache`` logger at most once per ``LOG_EVERY`` seconds per
process, with the number of failures in between.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("portal.cache")

CACHE_ERRORS = (RedisConnectionError, RedisTimeoutError)
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
RETRY_AFTER = 5.0
LOG_EVERY = 60.0
MAX_PENDING = 10_000
_MISSING = object()


class _ServerState:
    """What this process knows about one cache server (shared by the backend instances of all
    threads): until when it is left alone, the keys to delete once it is back, the log's pace."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.down = False
        self.pending = set()
        self.overflowed = False
        self.logged_at = None
        self.unlogged = 0


_states = {}
_states_lock = threading.Lock()


def _state_for(location):
    with _states_lock:
        return _states.setdefault(location, _ServerState())


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._state = _state_for(server if isinstance(server, str) else ",".join(server))

    # --- the guard --------------------------------------------------------------------------
    def _skipping(self):
        return self._state.down and time.monotonic() < self._state.down_until

    def _remember(self, keys):
        state = self._state
        for key in keys:
            if len(state.pending) < MAX_PENDING:
                state.pending.add(key)
            else:
                state.overflowed = True

    def _failed(self, operation, error, keys=()):
        state = self._state
        with state.lock:
            state.down = True
            state.down_until = time.monotonic() + RETRY_AFTER
            self._remember(keys)
            now = time.monotonic()
            if state.logged_at is not None and now - state.logged_at < LOG_EVERY:
                state.unlogged += 1
                return
            unlogged, state.unlogged, state.logged_at = state.unlogged, 0, now
        logger.warning(
            "Cache unavailable (%s: %s); serving without it, retrying every %.0f s "
            "(%d more failures since the last message)",
            operation,
            error,
            RETRY_AFTER,
            unlogged,
        )

    def _recover(self):
        """Called once the breaker's wait is over: delete the keys whose writes were lost (or
        just ping), before anything is read. True when Redis answered."""
        state = self._state
        with state.lock:
            pending, state.pending = list(state.pending), set()
            overflowed, state.overflowed = state.overflowed, False
        try:
            client = self._cache.get_client(write=True)
            if pending:
                client.delete(*pending)
            else:
                client.ping()
        except CACHE_ERRORS as error:
            self._failed("recover", error, pending)
            return False
        with state.lock:
            state.down = False
        logger.warning(
            "Cache available again; %d keys written during the outage deleted%s",
            len(pending),
            " (more were lost and may be stale until they expire)" if overflowed else "",
        )
        return True

    def _guarded(self, operation, fallback, call, *args, written=(), version=None):
        keys = [self.make_and_validate_key(key, version=version) for key in written]
        if self._state.down and (self._skipping() or not self._recover()):
            with self._state.lock:
                self._remember(keys)
            return fallback
        try:
            return call(*args)
        except CACHE_ERRORS as error:
            self._failed(operation, error, keys)
            return fallback

    # --- reads ------------------------------------------------------------------------------
    def get(self, key, default=None, version=None):
        return self._guarded("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, super().has_key, key, version)

    # --- writes -----------------------------------------------------------------------------
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            "set", None, super().set, key, value, timeout, version, written=[key], version=version
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            "add", True, super().add, key, value, timeout, version, written=[key], version=version
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            "touch", False, super().touch, key, timeout, version, written=[key], version=version
        )

    def delete(self, key, version=None):
        return self._guarded(
            "delete", False, super().delete, key, version, written=[key], version=version
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            "set_many",
            list(data),
            super().set_many,
            data,
            timeout,
            version,
            written=list(data),
            version=version,
        )

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._guarded(
            "delete_many", None, super().delete_many, keys, version, written=keys, version=version
        )

    def incr(self, key, delta=1, version=None):
        result = self._guarded(
            "incr", _MISSING, super().incr, key, delta, version, written=[key], version=version
        )
        if result is _MISSING:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)")
        return result

    def clear(self):
        return self._guarded("clear", None, super().clear)

    def ping(self):
        """Ask Redis now, past the breaker; raises on any failure (for ``/healthz``)."""
        if self._state.down:
            if not self._recover():
                raise RedisConnectionError("the cache is unavailable")
            return True
        try:
            self._cache.get_client(write=True).ping()
        except CACHE_ERRORS as error:
            self._failed("ping", error)
            raise
        return True
