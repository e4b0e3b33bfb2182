"""The base of every API view: read-only, open to all (keys only raise the limit), JSON,
conditional (ETag / Last-Modified, 304), cached by the versions of the public data it shows,
and readable from any web page (CORS for GET)."""

import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .authentication import ApiKeyAuthentication
from .conditional import validators_for
from .throttling import ClientRateThrottle

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "X-Api-Key, Authorization, If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Link, Retry-After",
    "Access-Control-Max-Age": "86400",
}


def absolute(path):
    """``path`` on the configured site (``SITE_URL``)."""
    return settings.SITE_URL.rstrip("/") + path


def updated_since(request):
    """The ``updated_since`` parameter (ISO 8601 date-time or date), or None."""
    value = request.query_params.get("updated_since", "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min
                                                                   .time()))
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError({"updated_since": [_("Give an ISO 8601 date or date-time.")]})
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class ApiView(APIView):
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [AllowAny]
    throttle_classes = [ClientRateThrottle]
    renderer_classes = [JSONRenderer]
    http_method_names = ["get", "head", "options"]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response


class PublicDataView(ApiView):
    """A view whose answer depends only on the public data of ``caches`` (page-cache
    namespaces) and the request's path: ``build(request, **kwargs)`` returns the data."""

    caches = ()
    max_age = 60

    def build(self, request, **kwargs):
        raise NotImplementedError

    def get(self, request, **kwargs):
        validators = validators_for(request, self.caches)
        if validators is not None and validators.not_modified(request):
            return validators.apply(Response(status=304))
        if validators is None:
            data = self.build(request, **kwargs)
        else:
            key = hashlib.sha256(f"{request.get_host()}\n{validators.etag}".encode()).hexdigest()
            data = self.caches[0].remember("api", (key,), lambda: self.build(request, **kwargs))
        response = Response(data)
        if validators is not None:
            validators.apply(response)
        response["Cache-Control"] = f"public, max-age={self.max_age}"
        if isinstance(data, dict) and data.get("next"):
            response["Link"] = f'<{data["next"]}>; rel="next"'
        return response
