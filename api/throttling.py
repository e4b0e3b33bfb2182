"""Per-client rate limits: each key at its own rate, anonymous clients per address (the real
client address, ``common.middleware.ClientIPMiddleware``; X-Forwarded-For is not read again
here, so a client cannot pick its own bucket)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiKey


class ClientRateThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE

    def get_ident(self, request):
        return request.META.get("REMOTE_ADDR", "")

    def prepare(self, request, view):
        """Set the rate of ``request``'s client; returns the cache key of its bucket."""
        key = getattr(request, "auth", None)
        self.rate = f"{key.rate_per_minute}/min" if isinstance(key, ApiKey) else self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        return self.key

    def allow_request(self, request, view):
        self.prepare(request, view)
        return super().allow_request(request, view)

    def allow_with_history(self, history):
        """:meth:`allow_request` after :meth:`prepare`, with the bucket's history read by the
        caller (in the same round trip as its other reads): the same rule, the same bucket."""
        self.history = list(history or [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()

    def get_cache_key(self, request, view):
        key = getattr(request, "auth", None)
        ident = f"key-{key.pk}" if isinstance(key, ApiKey) else f"ip-{self.get_ident(request)}"
        return f"api:throttle:{ident}"
