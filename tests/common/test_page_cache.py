"""The shared public page cache: namespaces by prefix, versions bumped after commit, and
failing soft (a miss, logged) when the cache itself fails."""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from common import page_cache
from common.page_cache import PageCache

pytestmark = pytest.mark.django_db


class BrokenCache:
    """A cache whose server is gone: every call raises, as django-redis does."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache server unreachable")

        return fail


@pytest.fixture
def broken_cache(monkeypatch):
    monkeypatch.setattr(page_cache, "cache", BrokenCache())


def _anonymous_request(rf, path="/somewhere/"):
    request = rf.get(path)
    request.user, request.session = AnonymousUser(), SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_namespaces_have_their_own_versions(rf):
    first, second = PageCache("first:public"), PageCache("second:public")
    request = rf.get("/page/")
    first_key, second_key = first.page_key(request, "p"), second.page_key(request, "p")

    first.bump()

    assert first_key.startswith("first:public:body:p:")
    assert first.page_key(request, "p") != first_key
    assert second.page_key(request, "p") == second_key


def test_cached_body_is_built_once_until_the_version_changes(rf):
    pages = PageCache("test:public")
    builds = []

    def build():
        builds.append(1)
        return "<p>body</p>"

    pages.cached_body(rf.get("/page/"), "p", build)
    pages.cached_body(rf.get("/page/"), "p", build)
    pages.bump()
    pages.cached_body(rf.get("/page/"), "p", build)

    assert len(builds) == 2


def test_invalidate_bumps_the_version_only_after_commit(django_capture_on_commit_callbacks):
    pages = PageCache("test:public")
    before = pages.version()

    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            pages.invalidate()
            inside = pages.version()

    assert inside == before
    assert pages.version() != before


def test_invalidate_outside_a_transaction_bumps_at_once(transactional_db):
    pages = PageCache("test:public")
    before = pages.version()

    pages.invalidate()

    assert pages.version() != before


def test_remember_computes_once_per_version():
    pages = PageCache("test:public")
    calls = []

    def compute():
        calls.append(1)
        return 42

    assert pages.remember("count", ("a",), compute) == 42
    assert pages.remember("count", ("a",), compute) == 42
    assert pages.remember("count", ("b",), compute) == 42
    assert len(calls) == 2
    assert cache.get(pages.key("count", "a")) == 42


# --- when the cache fails ----------------------------------------------------------------------
def test_body_is_built_when_the_cache_fails(rf, broken_cache, caplog):
    pages = PageCache("test:public")

    with caplog.at_level(logging.WARNING, logger="common.page_cache"):
        body = pages.cached_body(rf.get("/page/"), "p", lambda: "<p>fresh</p>")

    assert body == "<p>fresh</p>"
    assert "Page cache version read failed" in caplog.text


def test_anonymous_page_is_served_uncached_when_the_cache_fails(rf, broken_cache):
    pages = PageCache("test:public")
    calls = []

    @pages.anonymous_page("p")
    def view(request):
        calls.append(1)
        return HttpResponse("page")

    responses = [view(_anonymous_request(rf)) for _ in range(2)]

    assert [response.content for response in responses] == [b"page", b"page"]
    assert len(calls) == 2


def test_a_failing_get_or_set_is_a_miss(rf, monkeypatch, caplog):
    pages = PageCache("test:public")
    version = pages.version()
    monkeypatch.setattr(page_cache, "cache", BrokenCache())
    monkeypatch.setattr(pages, "version", lambda: version)

    with caplog.at_level(logging.WARNING, logger="common.page_cache"):
        value = pages.remember("count", (), lambda: 7)

    assert value == 7
    assert "Page cache read failed" in caplog.text
    assert "Page cache write failed" in caplog.text


def test_bump_after_commit_never_fails_the_change(broken_cache, caplog):
    pages = PageCache("test:public")

    with caplog.at_level(logging.WARNING, logger="common.page_cache"):
        pages.bump()
        pages.invalidate()  # outside a transaction: at once

    assert "Page cache version bump failed" in caplog.text
