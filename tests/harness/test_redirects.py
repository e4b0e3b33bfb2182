"""Redirect targets: every URL of the matrix is given ``next`` and ``return`` values that are
not same-site paths, as each persona who may use it (GET where it may open the page, POST where
it may post). None answers a server error or sends anywhere but this site; a page that honours
``next`` still follows a same-site path (so the check sees the parameter being read)."""

import os
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from common.permission_matrix import ALLOWED
from tests.harness.conftest import client_for, rolled_back
from tests.harness.discovery import route_for, routes_to_check
from tests.harness.test_permission_matrix import url_of

EVIL = "evil.example"
BAD_TARGETS = [
    f"https://{EVIL}/",
    f"//{EVIL}/",
    f"/\\{EVIL}/",
    "-1",
    "javascript:alert(1)",
    "/ok/\r\nLocation: https://evil.example/",
    # make test-full adds these
    f"https:{EVIL}",
    "inbox",
    "notifications:inbox",
    "\u202e/ok/",
]
FULL = int(os.environ.get("FUZZ_EXAMPLES", "4")) > 4
TARGETS = BAD_TARGETS if FULL else BAD_TARGETS[:6]
PRIORITY = ("owner", "host", "torch", "challenger_granted", "expert_assigned", "visitor")


def _cases():
    cases = []
    for named in routes_to_check():
        declared, _ = route_for(named)
        if declared is None or named.namespace == "admin":
            continue
        variant = declared[0] if isinstance(declared, tuple) else declared
        for method in ("get", "post"):
            allowed = [p for p in PRIORITY if getattr(variant, method)[p] in ALLOWED]
            if allowed:
                cases.append(
                    pytest.param(
                        named, variant, method, allowed[0], id=f"{named.name}-{method}-{allowed[0]}"
                    )
                )
    return cases


def assert_same_site(response, where):
    """No server error, and a redirect stays on this site. (An odd value may come back as a
    same-site path with it percent-encoded, such as ``/ok/%0D%0A...``: a page of ours that
    does not exist, harmless.)"""
    assert response.status_code < 500, f"{where}: {response.status_code}"
    if response.status_code in (301, 302, 303, 307, 308):
        location = response["Location"]
        parts = urlsplit(location)
        assert "\r" not in location and "\n" not in location, f"{where}: sent to {location!r}"
        assert parts.scheme in ("", "http", "https"), f"{where}: sent to {location}"
        assert parts.netloc in ("", "testserver"), f"{where}: sent to {location}"
        # A relative reference ("-1") resolves on this site too; only "/\\host" would not.
        assert not location.startswith("/\\"), f"{where}: sent to {location}"


@pytest.mark.parametrize("named, route, method, persona", _cases())
def test_next_and_return_accept_only_same_site_paths(harness, named, route, method, persona):
    url = url_of(harness, named, route)
    data = {key: harness.resolve(value) for key, value in route.data.items()}
    for target in TARGETS:
        # Both names at once: a view reads one of them, and falls back when it is no path.
        params = {"next": target, "return": target}
        with rolled_back():
            client = client_for(harness, persona)
            if method == "get":
                response = client.get(url, {**route.query, **params})
            else:
                response = client.post(url, {**data, **params})
        assert_same_site(response, f"{method.upper()} {url} next={target!r} as {persona}")


@pytest.mark.parametrize("target", BAD_TARGETS)
def test_sign_in_never_sends_elsewhere(harness, target):
    user = harness.user("owner")
    with rolled_back():
        response = client_for(harness, "visitor").post(
            reverse("account_login"),
            {"login": user.email, "password": "Portal-2026-pass", "next": target},
        )
    assert_same_site(response, f"sign-in with next={target!r}")


@pytest.mark.parametrize(
    "name, kwargs",
    [("notifications:mark_all_read", {}), ("notifications:mark_read", {"pk": "@notification.pk"})],
)
def test_a_same_site_next_is_followed(harness, name, kwargs):
    url = reverse(name, kwargs={key: harness.resolve(value) for key, value in kwargs.items()})
    with rolled_back():
        response = client_for(harness, "owner").post(url, {"next": "/demands/?page=2"})
    assert (response.status_code, response["Location"]) == (302, "/demands/?page=2")
