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

    def allow_request(self, request, view):
        key = getattr(request, "auth", None)
        rate = f"{key.rate_per_minute}/min" if isinstance(key, ApiKey) else self.get_rate()
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        key = getattr(request, "auth", None)
        ident = f"key-{key.pk}" if isinstance(key, ApiKey) else f"ip-{self.get_ident(request)}"
        return f"api:throttle:{ident}"
