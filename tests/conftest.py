"""Fixtures shared by the whole suite: personas, service requirements and the browser."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.contests import HostMembershipFactory, HostUnitFactory

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each xdist worker gets its own Redis cache database: tests clear the cache, and a
    # clear (FLUSHDB) must not wipe another worker's lockout counters or page caches.
    location = settings.CACHES["default"].get("LOCATION")
    if location and location.startswith("redis"):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        db = 8 + int(worker.removeprefix("gw") or 0)
        settings.CACHES["default"]["LOCATION"] = location.rstrip("/").rsplit("/", 1)[0] + f"/{db}"


def require_service(what, available):
    """Skip a test whose service is missing, except under CI=true where that is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not available")
    pytest.skip(f"{what} not available")


def _port_open(url, default_port):
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port),
                                      timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    require_service("Redis (REDIS_URL)", bool(url) and _port_open(url, 6379))
    return url


@pytest.fixture
def postgres(db):
    from django.db import connection

    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")
    return connection


@pytest.fixture(autouse=True)
def _clean_cache():
    """Every test starts with an empty cache (throttles, page caches), also on shared Redis."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _eager_celery():
    """Tasks run in the test process unless a test says otherwise (the worker and broker-down
    tests do): with REDIS_URL set and no worker, a queued task would never run."""
    from challenge_portal.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _private_media(tmp_path, settings):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _audit_anchor_sink(tmp_path, settings):
    """The audit anchors of each test go to its own file, never the checkout's var/."""
    settings.AUDIT_ANCHOR_PATH = tmp_path / "audit-anchors.jsonl"


def _uses_transactional_db(request):
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _audit_flush_permit(request):
    """A transactional test ends with a flush, which on SQLite is a DELETE of every table; the
    audit table's trigger (audit migration 0003) lets it through only with a purge permit. The
    permit is granted after the test body and taken back before the next one."""
    from django.db import connection

    if not _uses_transactional_db(request) or connection.vendor != "sqlite":
        yield
        return
    request.getfixturevalue("transactional_db")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_purge_permit")
    yield
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO audit_purge_permit (everything) VALUES (1)")


# --- personas ---------------------------------------------------------------------------------
@pytest.fixture
def host_unit(db):
    return HostUnitFactory()


@pytest.fixture
def other_host_unit(db):
    return HostUnitFactory()


@pytest.fixture
def host_organiser(host_unit):
    return HostMembershipFactory(host_unit=host_unit).user


@pytest.fixture
def other_host_organiser(other_host_unit):
    return HostMembershipFactory(host_unit=other_host_unit).user


@pytest.fixture
def torch_staff(db):
    return UserFactory(roles=["torch_staff"], is_staff=True)


@pytest.fixture
def demand_owner(db):
    membership = MembershipFactory(user=UserFactory(roles=["demand_company"]))
    return membership.user


@pytest.fixture
def challenger(db):
    membership = MembershipFactory(
        user=UserFactory(roles=["challenger"]), organisation=OrganisationFactory(kind="university")
    )
    return membership.user


@pytest.fixture
def expert(db):
    return UserFactory(roles=["expert"])


@pytest.fixture
def stranger(db):
    return UserFactory()


# --- browser ----------------------------------------------------------------------------------
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server, monkeypatch):
    require_service("Chromium (/usr/bin/chromium)", os.path.exists(CHROMIUM))
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        try:
            yield page
        finally:
            context.close()
            browser.close()
