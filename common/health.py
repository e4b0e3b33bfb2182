"""What ``/healthz`` checks: the database, the shared cache and the Celery broker.

The checks run at the same time, each in a thread of its own, and the probe waits at most
``CHECK_TIMEOUT`` seconds for all of them: a dependency that hangs is reported down without
holding up the answer (its thread ends on its own socket timeout).
"""

from concurrent.futures import ThreadPoolExecutor, wait

# The project's Celery app (challenge_portal.celery), found without importing the project.
from celery import current_app as celery_app
from django.core.cache import caches
from django.db import connection

CHECK_TIMEOUT = 1.0


def check_database():
    # A thread has its own connection: close it, or every probe would leave one open.
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


def check_cache(backend):
    ping = getattr(backend, "ping", None)
    if ping is not None:  # common.cache.FailSoftRedisCache, whose reads never raise
        ping()
    else:
        backend.set("healthz", 1, 5)


def check_broker():
    if celery_app.conf.task_always_eager:
        return
    with celery_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=CHECK_TIMEOUT)


def run_checks(timeout=CHECK_TIMEOUT):
    """``{name: (ok, detail)}`` for every dependency; detail is empty when ok."""
    checks = {
        "database": (check_database, ()),
        # Resolved here: a backend made in the worker thread would open its own pool.
        "cache": (check_cache, (caches["default"],)),
        "broker": (check_broker, ()),
    }
    executor = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="healthz")
    try:
        futures = {name: executor.submit(fn, *args) for name, (fn, args) in checks.items()}
        wait(futures.values(), timeout=timeout)
    finally:
        executor.shutdown(wait=False, cancel_futures=True)
    results = {}
    for name, future in futures.items():
        if not future.done():
            results[name] = (False, f"no answer within {timeout:g} s")
        elif future.exception() is not None:
            error = future.exception()
            results[name] = (False, f"{type(error).__name__}: {error}"[:200])
        else:
            results[name] = (True, "")
    return results
