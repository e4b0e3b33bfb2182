"""Account lockout (MLPS 2.0): 5 failed sign-ins lock the account for 15 minutes."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts import security
from audit.models import ActivityLog
from tests.factories.accounts import UserFactory


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """Messages are compared in English, whatever the zh-hans catalog says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield

PASSWORD = "Portal-2026-pass"


class Clock:
    """Moves ``time.time`` (read by allauth's rate limiter, the locmem cache and
    accounts.security) forward on demand."""

    def __init__(self, monkeypatch):
        self.now = time.time()
        monkeypatch.setattr(time, "time", lambda: self.now)

    def advance(self, seconds):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def member(db):
    user = UserFactory(email="wang.fang@example.cn")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, email, password, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


def fail(client, email, times, **extra):
    for _ in range(times):
        response = sign_in(client, email, "wrong-Password-1", **extra)
        assert response.status_code == 200
        assert not signed_in(client)
    return response


def test_lockout_after_five_failures_refuses_even_the_right_password(client, member, clock):
    fail(client, member.email, 4)
    # The fifth failure locks the account and says so at once.
    response = fail(client, member.email, 1)
    assert "locked" in response.content.decode()

    response = sign_in(client, member.email, PASSWORD)

    assert response.status_code == 200
    assert not signed_in(client)
    body = response.content.decode()
    assert "This account is locked after 5 failed sign-in attempts" in body
    assert re.search(r"Try again at \d\d:\d\d \(in about 15 minutes\)", body)


def test_four_failures_do_not_lock(client, member, clock):
    fail(client, member.email, 4)

    response = sign_in(client, member.email, PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_lockout_lasts_fifteen_minutes_then_ends(client, member, clock):
    fail(client, member.email, 5)

    clock.advance(14 * 60)
    sign_in(client, member.email, PASSWORD)
    assert not signed_in(client)

    clock.advance(60 + 1)
    response = sign_in(client, member.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_failures_older_than_the_window_are_forgotten(client, member, clock):
    fail(client, member.email, 4)
    clock.advance(15 * 60 + 1)
    fail(client, member.email, 1)

    sign_in(client, member.email, PASSWORD)

    assert signed_in(client)


def test_lockout_survives_spoofed_forwarded_for(client, member, clock, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(5):
        # A different client address every time, as a rotating attacker (or a forged header
        # in front of the proxy) would present.
        sign_in(client, member.email, "wrong-Password-1",
                HTTP_X_FORWARDED_FOR=f"198.51.100.{number + 1}", REMOTE_ADDR="10.0.0.1")
    assert not signed_in(client)

    response = sign_in(client, member.email, PASSWORD,
                       HTTP_X_FORWARDED_FOR="203.0.113.77", REMOTE_ADDR="10.0.0.2")

    assert not signed_in(client)
    assert "locked" in response.content.decode()


def test_lockout_is_keyed_on_the_account_whatever_its_case(client, member, clock):
    fail(client, member.email.upper(), 5)

    sign_in(client, member.email, PASSWORD)

    assert not signed_in(client)


def test_lockout_of_one_account_leaves_others_alone(client, member, clock):
    other = UserFactory(email="li.na@example.cn")
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    fail(client, member.email, 5)

    sign_in(client, other.email, PASSWORD)

    assert signed_in(client)


def test_lockout_is_written_to_the_audit_log(client, member, clock):
    fail(client, member.email, 5)

    entry = ActivityLog.objects.get(action=security.ACTION_LOCKOUT)

    assert entry.result == "denied"
    assert entry.object_id == str(member.pk)
    assert entry.data["failures"] == 5
    assert entry.data["known_account"] is True
    assert entry.ip_address == "127.0.0.1"


def test_unknown_address_is_locked_the_same_way(client, db, clock):
    # Same answer for accounts that do not exist: the lockout reveals nothing.
    response = fail(client, "nobody@example.cn", 5)

    assert "locked" in response.content.decode()
    entry = ActivityLog.objects.get(action=security.ACTION_LOCKOUT)
    assert entry.data["known_account"] is False
    assert entry.object_id == ""


def test_password_reset_lifts_the_lockout(client, member, clock):
    fail(client, member.email, 5)
    client.post(reverse("account_reset_password"), {"email": member.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body)
    response = client.get(link.group(1))  # allauth moves the key into the session
    new_password = "Harbour-lights-42"
    client.post(response.url, {"password1": new_password, "password2": new_password})

    sign_in(client, member.email, new_password)

    assert signed_in(client)


# --- the Django admin has no login of its own -------------------------------------------------
def test_admin_login_page_sends_to_the_portal_sign_in(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next=%2Fadmin%2F"


def test_admin_login_form_cannot_be_used_to_sign_in(client, member):
    member.is_staff = True
    member.save()

    response = client.post("/admin/login/", {"username": member.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not signed_in(client)


def test_admin_login_is_locked_like_the_portal(client, member, clock):
    member.is_staff = True
    member.save()
    fail(client, member.email, 5)

    response = client.get("/admin/login/?next=/admin/")
    response = sign_in(client, member.email, PASSWORD)  # the only way in: allauth's form

    assert not signed_in(client)
    assert "locked" in response.content.decode()


# --- the counters live in the shared cache ----------------------------------------------------
def test_lockout_is_shared_through_redis(client, member, clock, redis_url, settings):
    import redis

    # Only keys under this prefix are touched: never FLUSHDB a database others may use.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": redis_url, "KEY_PREFIX": "lockout-test"}}
    other_process = redis.Redis.from_url(redis_url)
    try:
        fail(client, member.email, 5)
        # Another web process sees the lock: a separate connection to the same database.
        assert len(other_process.keys("lockout-test:*portal:login-lock:*")) == 1
        sign_in(client, member.email, PASSWORD)
        assert not signed_in(client)
        # Expiry follows the stored time, not only Redis's own TTL, so it holds here too.
        clock.advance(15 * 60 + 1)
        sign_in(client, member.email, PASSWORD)
        assert signed_in(client)
    finally:
        keys = other_process.keys("lockout-test:*")
        if keys:
            other_process.delete(*keys)


def test_lockout_settings_match_allauth_rate_limit():
    from allauth.account import app_settings

    assert settings.LOGIN_LOCKOUT_FAILURES == 5
    assert settings.LOGIN_LOCKOUT_SECONDS == 15 * 60
    assert app_settings.RATE_LIMITS["login_failed"] == "10/m/ip,5/900s/key"
