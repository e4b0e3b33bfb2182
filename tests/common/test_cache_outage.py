"""With the shared cache's Redis gone — refusing connections, or accepting them and never
answering — pages answer, sign-in and sessions work, publishing commits, and /healthz names
the cache as down. Nothing here needs a running Redis, so it runs everywhere, CI included."""

import contextlib
import socket
import threading
from urllib.parse import urlparse

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse

from demands.enums import DemandStatus
from demands.models import Demand
from demands.public.projection import refresh_public_index
from tests.demands.collection import *  # noqa: F403
from tests.factories.demands import DemandFactory

PASSWORD = "Portal-2026-pass"  # tests.factories.accounts.UserFactory


@pytest.fixture
def hung_port():
    """A port that accepts connections and never says anything."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield listener.getsockname()[1]
    listener.close()


def _cache_at(settings, location):
    settings.CACHES = {
        "default": {"BACKEND": "common.cache.FailSoftRedisCache", "LOCATION": location}
    }


def _closed_port():
    """A port nobody listens on (just released, so each test has a server state of its own)."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture(params=["refused", "hung"])
def cache_down(request, settings):
    if request.param == "refused":
        _cache_at(settings, f"redis://127.0.0.1:{_closed_port()}/0")
    else:
        _cache_at(settings, f"redis://127.0.0.1:{request.getfixturevalue('hung_port')}/0")
    return request.param


class SwitchableProxy:
    """A TCP proxy to Redis on a fixed port that can be taken down (connections reset, new ones
    refused) and brought back: the same cache location goes away and returns."""

    def __init__(self, target):
        self.target = target
        self.port = _closed_port()
        self.listener = None
        self.sockets = []

    def up(self):
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def down(self):
        # shutdown() wakes the thread blocked in accept(); close() alone would leave it listening.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets = []

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)


@pytest.fixture
def demand_owner(demand_owner):
    """The owner persona with a verified address, so that signing in goes to the workspace."""
    EmailAddress.objects.create(
        user=demand_owner, email=demand_owner.email, verified=True, primary=True
    )
    return demand_owner


@pytest.fixture
def published(host_unit):
    demand = DemandFactory(
        host_unit=host_unit,
        status=DemandStatus.PUBLISHED,
        title="储能电池热管理系统优化",
        keywords=["储能", "热管理"],
    )
    refresh_public_index(demand)
    return demand


# --- the backend ------------------------------------------------------------------------------
def test_failing_cache_answers_as_an_empty_one(cache_down):
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["key", "other"]) == {}
    assert cache.has_key("key") is False
    cache.set("key", 1)
    assert cache.delete("key") is False
    assert cache.get_or_set("key", 2) == 2
    with pytest.raises(ValueError):
        cache.incr("key")


def test_failing_cache_add_fails_open_so_locks_built_on_it_do_not_wait(cache_down):
    assert cache.add("lock", 1) is True
    assert cache.add("lock", 1) is True


def test_failing_cache_is_logged_once_not_per_operation(cache_down, caplog):
    with caplog.at_level("WARNING", logger="portal.cache"):
        for _ in range(20):
            cache.get("key")
            cache.set("key", 1)

    assert len([r for r in caplog.records if r.name == "portal.cache"]) == 1


# --- pages ------------------------------------------------------------------------------------
def test_public_list_detail_and_search_answer_without_cache(client, cache_down, published):
    listing = client.get(reverse("demands:list"))
    detail = client.get(published.get_absolute_url())
    search = client.get(reverse("demands:list"), {"q": "热管理"})

    assert (listing.status_code, detail.status_code, search.status_code) == (200, 200, 200)
    assert published.title in listing.content.decode()
    assert published.title in detail.content.decode()
    assert published.title in search.content.decode()


def test_sign_in_and_workspace_work_without_cache(client, cache_down, demand_owner):
    response = client.post(
        reverse("account_login"), {"login": demand_owner.email, "password": PASSWORD}
    )

    assert (response.status_code, response.url) == (302, "/")
    assert client.session[SESSION_KEY] == str(demand_owner.pk)
    workspace = client.get(reverse("accounts:dashboard"))
    assert workspace.status_code == 200
    assert workspace.context["user"] == demand_owner


def test_wrong_password_is_refused_not_rate_limited_without_cache(client, cache_down, demand_owner):
    response = client.post(
        reverse("account_login"), {"login": demand_owner.email, "password": "wrong-password"}
    )

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert response.context["form"].errors


def test_session_outlives_a_cache_outage(client, settings, demand_owner):
    """Signed in while the cache worked, then it goes away: still signed in (cached_db)."""
    client.post(reverse("account_login"), {"login": demand_owner.email, "password": PASSWORD})
    _cache_at(settings, f"redis://127.0.0.1:{_closed_port()}/0")

    workspace = client.get(reverse("accounts:dashboard"))

    assert workspace.status_code == 200
    assert workspace.context["user"] == demand_owner


def test_owner_edit_page_works_without_cache(client, cache_down, make_demand, demand_owner):
    demand = make_demand(status=DemandStatus.DRAFT)
    client.force_login(demand_owner)

    response = client.get(reverse("demands:edit", kwargs={"ref": demand.ref}))

    assert response.status_code == 200


def test_publishing_commits_without_cache(client, cache_down, make_demand, host_organiser):
    demand = make_demand(status=DemandStatus.APPROVED)
    client.force_login(host_organiser)

    response = client.post(
        reverse("demands:change_status", kwargs={"ref": demand.ref}),
        {"to_status": DemandStatus.PUBLISHED, "comment": ""},
    )

    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == DemandStatus.PUBLISHED
    assert demand.public_indexed_at is not None
    public = client.get(demand.get_absolute_url())
    assert public.status_code == 200


def test_keys_written_during_an_outage_are_dropped_when_the_cache_returns(
    client, settings, redis_url, make_demand, host_organiser, monkeypatch,
    django_capture_on_commit_callbacks,
):
    """The anonymous list cached before the outage must not hide what was published during
    it: the public version's bump was lost with the cache, so the backend deletes that key as
    soon as the cache answers again."""
    from common import cache as fail_soft

    monkeypatch.setattr(fail_soft, "RETRY_AFTER", 0)
    # The Redis database of this test worker's cache (tests/conftest.py), or the broker's.
    location = urlparse(settings.CACHES["default"].get("LOCATION") or redis_url)
    proxy = SwitchableProxy((location.hostname, location.port or 6379))
    proxy.up()
    _cache_at(settings, f"redis://127.0.0.1:{proxy.port}{location.path}")
    cache.clear()
    demand = make_demand(status=DemandStatus.APPROVED, title="停机期间发布的需求")
    client.get(reverse("demands:list"))  # cached without the demand
    assert demand.title not in client.get(reverse("demands:list")).content.decode()

    proxy.down()
    client.force_login(host_organiser)
    # The bump runs after commit (common.page_cache), still during the outage.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("demands:change_status", kwargs={"ref": demand.ref}),
            {"to_status": DemandStatus.PUBLISHED, "comment": ""},
        )
    client.logout()
    proxy.up()
    try:
        listing = client.get(reverse("demands:list")).content.decode()
    finally:
        proxy.down()

    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.PUBLISHED
    assert demand.title in listing


# --- /healthz ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_healthz_says_the_cache_is_down(client, cache_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["cache"], body["database"]) == ("unavailable", "down", "ok")
    assert "cache" in body["detail"]


@pytest.mark.django_db
def test_healthz_answers_while_a_check_never_returns(client, monkeypatch):
    """A dependency that hangs is reported down, not waited for: the probe answers while the
    cache check is still blocked."""
    from common import health

    release, finished = threading.Event(), threading.Event()

    def hanging_check(backend):
        release.wait(30)  # released after the answer; at the latest after 30 s
        finished.set()

    monkeypatch.setattr(health, "check_cache", hanging_check)
    try:
        response = client.get("/healthz")
        still_blocked = not finished.is_set()
    finally:
        release.set()

    assert still_blocked
    assert response.status_code == 503
    body = response.json()
    assert (body["cache"], body["database"]) == ("down", "ok")
    assert body["detail"]["cache"].startswith("no answer within")
