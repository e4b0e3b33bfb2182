from django.conf import settings


def client_ip(request):
    """The address of the client, trusting exactly ``TRUSTED_PROXY_COUNT`` proxies.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For, so
    the client is the entry that many places from the right; anything further left was written
    by the client itself and is ignored (a spoofed header cannot choose the address).
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return forwarded[0] if forwarded else remote
    return forwarded[-count]


class ClientIPMiddleware:
    """Puts the real client address in REMOTE_ADDR for everything downstream (allauth's rate
    limits, the audit log, agreement signatures)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META["REMOTE_ADDR"] = client_ip(request)
        return self.get_response(request)
