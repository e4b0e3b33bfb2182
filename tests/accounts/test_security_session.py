"""Sessions (MLPS 2.0): a new key at sign-in, and sign-out after 30 idle minutes."""

import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.urls import reverse
from django.utils import translation

from accounts.security import LAST_ACTIVITY_SESSION_KEY
from tests.factories.accounts import UserFactory


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """Messages are compared in English, whatever the zh-hans catalog says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield

PASSWORD = "Portal-2026-pass"


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = time.time()

        def advance(self, seconds):
            self.now += seconds

    instance = Clock()
    monkeypatch.setattr(time, "time", lambda: instance.now)
    return instance


@pytest.fixture
def member(db):
    user = UserFactory(email="zhao.lei@example.cn")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signed_in(client):
    return "_auth_user_id" in client.session


def test_session_key_rotates_on_sign_in(client, member):
    # An anonymous session exists before sign-in (as after choosing a language or a failed try).
    before = SessionStore()
    before["visited"] = True
    before.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = before.session_key

    response = client.post(reverse("account_login"), {"login": member.email,
                                                      "password": PASSWORD})

    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before.session_key
    assert not SessionStore().exists(before.session_key)
    assert SessionStore(session_key=after).get("_auth_user_id") == str(member.pk)


def test_idle_session_ends_after_thirty_minutes(client, member, clock):
    client.force_login(member)
    assert client.get(reverse("accounts:dashboard")).status_code == 200

    clock.advance(30 * 60 + 1)
    response = client.get(reverse("accounts:dashboard"), follow=True)

    assert not signed_in(client)
    assert response.redirect_chain[0][0].startswith(reverse("account_login"))
    assert "signed out after 30 minutes without activity" in response.content.decode()


def test_session_within_thirty_minutes_is_kept(client, member, clock):
    client.force_login(member)
    client.get(reverse("accounts:dashboard"))

    clock.advance(29 * 60)
    response = client.get(reverse("accounts:dashboard"))

    assert response.status_code == 200
    assert signed_in(client)


def test_activity_keeps_the_session_alive(client, member, clock):
    client.force_login(member)
    for _ in range(6):  # an hour of work, a request every 10 minutes
        clock.advance(10 * 60)
        assert client.get(reverse("accounts:dashboard")).status_code == 200
    assert signed_in(client)


def test_activity_stamp_is_written_at_most_once_a_minute(client, member, clock):
    client.force_login(member)
    client.get(reverse("home"))
    first = client.session[LAST_ACTIVITY_SESSION_KEY]

    clock.advance(30)
    client.get(reverse("home"))
    assert client.session[LAST_ACTIVITY_SESSION_KEY] == first

    clock.advance(31)
    client.get(reverse("home"))
    assert client.session[LAST_ACTIVITY_SESSION_KEY] == first + 61


def test_stored_session_expires_at_the_idle_timeout():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_TIMEOUT
    # No "remember me" that would outlive the idle timeout.
    from allauth.account import app_settings

    assert app_settings.SESSION_REMEMBER is False
