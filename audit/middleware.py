"""Every refusal of a signed-in user is written to the audit log, in this one place.

Views answer a denial with 404 (``Http404``, or ``PermissionDenied``, which the portal also
shows as "not found"), or with a redirect carrying an error message (a company page opened by
someone who is no company member, the edit page of a demand no longer editable); the Django
admin answers a signed-in user who may not use it with a redirect to its login page. This
middleware sees the final response of every request, so no view has to remember to log its
refusals: a 403 or 404 to a signed-in user, a redirect with an error message, and the admin's
redirect to its login, write one ``portal.access.denied`` entry with who (the actor), what (the
method, path and URL name), which object (the URL's arguments, such as the demand's id) and the
result (``denied``, with the status).

A crawler walking ids must not flood the log: one entry per user and path per
``AUDIT_DENIAL_WINDOW`` seconds (default 300), counted in the shared cache (which fails open: with
the cache down every denial is logged). A view that already logged its refusal with
``audit.services.log_denied`` (with the object itself) is not logged twice. Writing the entry
never turns the answer into a 500.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import DatabaseError
from django.urls import NoReverseMatch, reverse

from .services import log_denied

logger = logging.getLogger("portal.audit")

DENIED_STATUSES = frozenset({403, 404})
# Set on the request by audit.services.log_denied.
LOGGED_FLAG = "_portal_denial_logged"


def denial_window():
    return getattr(settings, "AUDIT_DENIAL_WINDOW", 300)


def _rate_key(user, path):
    digest = hashlib.sha256(f"{user.pk}:{path}".encode()).hexdigest()[:32]
    return f"audit:denied:{digest}"


def _admin_login_path():
    try:
        return reverse("admin:login")
    except NoReverseMatch:
        return None


def is_admin_refusal(request, response):
    """The admin sends a signed-in user it refuses (not staff, or staff without the right) to
    its login page."""
    if response.status_code not in (301, 302):
        return False
    match = getattr(request, "resolver_match", None)
    if match is None or "admin" not in match.namespaces:
        return False
    login = _admin_login_path()
    location = response.get("Location", "")
    return bool(login) and location.startswith(login) and request.path != login


def refusal_message(request, response):
    """The error message a view queued before redirecting away (``messages.error`` then
    ``redirect``: how the portal's views refuse a page they will not show), or ``""``."""
    if response.status_code not in (301, 302, 303):
        return ""
    storage = getattr(request, "_messages", None)
    # Read without consuming: iterating the storage would mark the messages as shown.
    queued = getattr(storage, "_queued_messages", None) or []
    for message in queued:
        if message.level >= messages.ERROR:
            return str(message.message)[:200]
    return ""


def is_denial(request, response):
    return (response.status_code in DENIED_STATUSES or is_admin_refusal(request, response)
            or bool(refusal_message(request, response)))


class DenialAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not getattr(request, LOGGED_FLAG, False)
                and is_denial(request, response)):
            try:
                self.log(request, response, user)
            except DatabaseError:
                # The refusal stands; an audit write that failed is reported, never a 500.
                logger.exception("Could not write the audit entry of a refused request")
        return response

    def log(self, request, response, user):
        if not cache.add(_rate_key(user, request.path), 1, timeout=denial_window()):
            return None
        match = getattr(request, "resolver_match", None)
        data = {"status": response.status_code}
        if match is not None:
            data["view"] = match.view_name
            # Which object: the URL's own arguments (a demand's id, a file's key...).
            data["object"] = {key: str(value)[:100] for key, value in match.kwargs.items()}
        if is_admin_refusal(request, response):
            data["refused_by"] = "admin"
        elif message := refusal_message(request, response):
            data["refused_by"] = "redirect"
            data["message"] = message
        return log_denied(request, data=data)
