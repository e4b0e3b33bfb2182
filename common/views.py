# The project's Celery app (challenge_portal.celery), found without importing the project.
from celery import current_app as celery_app
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.views.decorators.cache import never_cache


def _database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:  # any driver error means "down" for a health probe
        return False


def _broker_ok():
    if celery_app.conf.task_always_eager:
        return True
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:  # connection refused, DNS, timeout: all mean "down"
        return False


@never_cache
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise, with the state of each."""
    checks = {
        "database": _database_ok(),
        "broker": _broker_ok(),
    }
    try:
        cache.get("healthz")
        checks["cache"] = True
    except Exception:
        checks["cache"] = False
    healthy = checks["database"] and checks["broker"]
    body = {"status": "ok" if healthy else "unavailable"}
    body.update({name: "ok" if ok else "down" for name, ok in checks.items()})
    return JsonResponse(body, status=200 if healthy else 503)


def favicon(request):
    # Resolved per request: the hashed static name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
