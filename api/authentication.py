"""Optional partner keys: ``X-Api-Key: cp_…`` (or ``Authorization: Api-Key cp_…``). Without
a key a client is anonymous (rate-limited by address); a wrong or revoked key is refused
with 401, never silently downgraded."""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiKey
from .services import hash_key, record_use

HEADER = "HTTP_X_API_KEY"


def presented_key(request):
    raw = request.META.get(HEADER, "").strip()
    if raw:
        return raw
    scheme, _sep, value = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "api-key":
        return value.strip()
    return ""


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``request.auth`` is the :class:`ApiKey`; ``request.user`` stays anonymous: the API
    serves public data only, whoever asks."""

    def authenticate(self, request):
        raw = presented_key(request)
        if not raw:
            return None
        key = ApiKey.objects.filter(key_hash=hash_key(raw), revoked_at__isnull=True).first()
        if key is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked API key."))
        record_use(key)
        return AnonymousUser(), key

    def authenticate_header(self, request):
        return 'Api-Key realm="api"'
