"""The client address behind a configured number of reverse proxies (common.middleware), which
allauth's per-IP limits and the audit log rely on."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from common.middleware import client_ip


@pytest.fixture(autouse=True)
def _in_english(client, settings):
    """Messages are compared in English, whatever the zh-hans catalog says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def request_with(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_no_trusted_proxy_ignores_forwarded_for(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request_with("203.0.113.5", "198.51.100.1")) == "203.0.113.5"


def test_one_proxy_takes_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_with("10.0.0.2", "203.0.113.5")) == "203.0.113.5"


def test_one_proxy_ignores_what_the_client_wrote_itself(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client sent "X-Forwarded-For: 1.2.3.4, 5.6.7.8"; the proxy appended its real address.
    forwarded = "1.2.3.4, 5.6.7.8, 203.0.113.5"

    assert client_ip(request_with("10.0.0.2", forwarded)) == "203.0.113.5"


def test_two_proxies_take_the_address_the_outer_one_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    # client -> CDN/load balancer (appends client) -> nginx (appends load balancer) -> Django
    forwarded = "1.2.3.4, 203.0.113.5, 10.0.0.1"

    assert client_ip(request_with("10.0.0.2", forwarded)) == "203.0.113.5"


def test_two_proxies_with_spaces_and_empty_entries(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    assert client_ip(request_with("10.0.0.2", " ,203.0.113.5 ,  10.0.0.1 ")) == "203.0.113.5"


def test_proxy_count_without_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request_with("203.0.113.5")) == "203.0.113.5"
    assert client_ip(request_with("203.0.113.5", "")) == "203.0.113.5"


@pytest.mark.django_db
def test_middleware_gives_allauth_the_real_address(client, settings):
    """Ten failures a minute from one client address are refused even when the client forges a
    different X-Forwarded-For prefix each time (allauth's 10/m/ip limit)."""
    settings.TRUSTED_PROXY_COUNT = 1
    for number in range(10):
        response = client.post(
            reverse("account_login"),
            {"login": f"guess{number}@example.cn", "password": "wrong-Password-1"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.5", REMOTE_ADDR="10.0.0.2",
        )
        assert "Too many failed login attempts" not in response.content.decode()

    response = client.post(
        reverse("account_login"), {"login": "guess-last@example.cn", "password": "x"},
        HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.5", REMOTE_ADDR="10.0.0.2",
    )
    assert "Too many failed login attempts" in response.content.decode()

    # Another real client behind the same proxy is not affected.
    response = client.post(
        reverse("account_login"), {"login": "guess-other@example.cn", "password": "x"},
        HTTP_X_FORWARDED_FOR="203.0.113.99", REMOTE_ADDR="10.0.0.2",
    )
    assert "Too many failed login attempts" not in response.content.decode()
