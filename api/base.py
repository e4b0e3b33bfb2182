"""The base of every API view: read-only, open to all (keys only raise the limit), JSON,
conditional (ETag / Last-Modified, 304), cached by the versions of the public data it shows,
and readable from any web page (CORS for GET)."""

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .authentication import ApiKeyAuthentication, presented_key
from .conditional import FORMAT, validators_for
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


# The headers of a whole answer kept with its body (the others are per request or added again).
KEPT_HEADERS = ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "Link", "Allow", "Vary")


class PublicDataView(ApiView):
    """A view whose answer depends only on the public data of ``caches`` (page-cache
    namespaces) and the request's path: ``build(request, **kwargs)`` returns the data.

    The whole answer (its JSON bytes and headers) is kept in the first namespace under the
    versions of all of them, and an anonymous plain GET is served from it before the
    framework's request wrapping, content negotiation and rendering (:meth:`dispatch`): the
    client is still throttled (by the same throttle, counted in the same bucket), and anything
    else — a partner key (its use is recorded), a conditional request, an ``Accept`` the JSON
    renderer does not answer, a refusal — takes the framework's path."""

    caches = ()
    max_age = 60

    def build(self, request, **kwargs):
        raise NotImplementedError

    # --- the whole answer, straight from the cache -----------------------------------------
    def _answer_key(self, request):
        """Where the whole answer to ``request`` is kept, with the versions it was built
        under."""
        digest = hashlib.sha256("\n".join(
            [FORMAT, request.get_host(), request.get_full_path()]).encode())
        return f"{self.caches[0].prefix}:api-answer:{digest.hexdigest()}"

    def _servable_from_cache(self, request):
        if not self.caches or request.method != "GET" or presented_key(request):
            return False
        meta = request.META
        if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
            return False
        accept = meta.get("HTTP_ACCEPT", "")
        return not accept or any(kind in accept for kind in
                                 ("*/*", "application/json", "application/*"))

    def _cached_answer(self, request):
        """The kept answer to ``request`` when it is current and the client is within its
        rate (one round trip reads the versions, the answer and the client's bucket; a second
        counts the request), else None and the framework's path decides, throttling
        included."""
        key = self._answer_key(request)
        throttle = ClientRateThrottle()
        bucket = throttle.prepare(request, self)
        versions, found = self.caches[0].versions_and(self.caches, [key, bucket])
        answer = found.get(key)
        if versions is None or answer is None or answer[0] != versions:
            return None, key, versions
        if not throttle.allow_with_history(found.get(bucket)):
            return None, key, versions
        _versions, content, headers = answer
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        for name, value in CORS_HEADERS.items():
            response[name] = value
        return response, key, versions

    def dispatch(self, request, *args, **kwargs):
        key = versions = None
        if self._servable_from_cache(request):
            response, key, versions = self._cached_answer(request)
            if response is not None:
                return response
        response = super().dispatch(request, *args, **kwargs)
        if versions is not None and response.status_code == 200 and "ETag" in response:
            # Kept under the versions read before it was built: a change meanwhile bumps
            # them, and the next request builds it again.
            response.render()
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            self.caches[0].set(key, (versions, response.content, headers))
        return response

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
