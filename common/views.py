from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from .health import run_checks


@never_cache
def healthz(request):
    """200 when the database, the shared cache and the broker all answer, 503 otherwise.

    The body gives the state of each (``"ok"`` or ``"down"``), and for those down what went
    wrong (``"detail"``); every check has a second at most, so a hung dependency is reported,
    not waited for.
    """
    results = run_checks()
    healthy = all(ok for ok, _detail in results.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if ok else "down" for name, (ok, _detail) in results.items()})
    details = {name: detail for name, (ok, detail) in results.items() if not ok}
    if details:
        body["detail"] = details
    return JsonResponse(body, status=200 if healthy else 503)


def favicon(request):
    # Resolved per request: the hashed static name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
