"""The environment of a benchmark run, set before Django starts.

Everything runs against PostgreSQL (``DATABASE_URL``, by default a dedicated database
``portal_bench`` on 127.0.0.1:5432, created when absent; the small scale of step 1 lives in a
second database, the same name with ``_small``) and a Redis cache in a database number
of its own (``BENCH_CACHE_URL``, by default ``redis://127.0.0.1:6379/14``; flushed at the start
of a run). Celery runs eagerly. The same variables, plus production-like security settings
over plain HTTP on loopback, are given to the gunicorn subprocess.
"""

import os
import secrets
from dataclasses import dataclass
from urllib.parse import urlparse, urlunparse

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/14"
BENCH_URLCONF = "bench.urls"


class BenchConfigError(RuntimeError):
    pass


@dataclass(frozen=True)
class BenchEnvironment:
    database_url: str
    cache_url: str
    secret_key: str

    @property
    def database_name(self):
        return urlparse(self.database_url).path.lstrip("/")

    @property
    def small_database_url(self):
        """The database of the small scale: the same server, the name with ``_small``. The
        two scales live in two databases, so that each keeps its data between runs."""
        parts = urlparse(self.database_url)
        return urlunparse(parts._replace(path=f"/{self.database_name}_small"))

    def django_env(self, database_url=None):
        """Variables for this process and the subprocesses (gunicorn, manage.py)."""
        database_url = database_url or self.database_url
        return {
            "DJANGO_SETTINGS_MODULE": "challenge_portal.settings",
            "DATABASE_URL": database_url,
            "CACHE_URL": self.cache_url,
            # One key space per database: a page cached from one scale is never served at the
            # other, and sessions stay with their users' database.
            "CACHE_KEY_PREFIX": "bench:" + urlparse(database_url).path.lstrip("/"),
            # No broker: Celery tasks run eagerly (the fan-out step says so in its result).
            "REDIS_URL": "",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "DEBUG": "false",
            "SECRET_KEY": self.secret_key,
            "AUDIT_HMAC_KEY": "bench-" + self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "http://127.0.0.1",
            # The open-data API's per-address limit would throttle the load of step 3.
            "API_ANONYMOUS_RATE": "100000000/min",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_PROXY_SSL": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "ROOT_URLCONF": BENCH_URLCONF,
            "LOG_LEVEL": "WARNING",
            # Persistent connections, as in production.
            "DB_CONN_MAX_AGE": "600",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }


def environment(database_url=None, cache_url=None):
    """The run's environment: ``database_url`` or ``$DATABASE_URL`` or the default, which must
    be PostgreSQL; ``cache_url`` or ``$BENCH_CACHE_URL`` or the default Redis database 14."""
    database_url = database_url or os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    scheme = urlparse(database_url).scheme
    if scheme not in ("postgres", "postgresql", "pgsql"):
        raise BenchConfigError(
            f"The benchmarks run on PostgreSQL only; DATABASE_URL is {scheme or 'unset'}:. "
            f"Unset it to use {DEFAULT_DATABASE_URL}.")
    cache_url = cache_url or os.environ.get("BENCH_CACHE_URL") or DEFAULT_CACHE_URL
    if urlparse(cache_url).scheme not in ("redis", "rediss"):
        raise BenchConfigError("BENCH_CACHE_URL must be a redis:// URL.")
    return BenchEnvironment(database_url=database_url, cache_url=cache_url,
                            secret_key=secrets.token_urlsafe(50))


def ensure_database(database_url):
    """Create the database when absent (connecting to the server's ``postgres`` database);
    returns whether it was created."""
    import psycopg2
    from psycopg2 import sql

    parts = urlparse(database_url)
    name = parts.path.lstrip("/")
    maintenance = urlunparse(parts._replace(path="/postgres"))
    try:
        conn = psycopg2.connect(maintenance)
    except psycopg2.OperationalError as error:
        raise BenchConfigError(f"PostgreSQL is not reachable at {parts.hostname}:"
                               f"{parts.port or 5432}: {error}".strip()) from error
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                return True
    finally:
        conn.close()
    return False


def flush_cache(env):
    """Empty the run's own Redis database (page caches and sessions of earlier runs)."""
    import redis

    client = redis.Redis.from_url(env.cache_url)
    try:
        client.flushdb()
    except redis.exceptions.ConnectionError as error:
        raise BenchConfigError(f"Redis is not reachable at {env.cache_url}: {error}") from error
    finally:
        client.close()


def apply(env):
    """Set the variables in this process and start Django."""
    os.environ.update(env.django_env())
    import django

    django.setup()
