"""The strict Content Security Policy in a real browser: every page a visitor and each role
opens, in both languages, loads without a single violation (no inline script or style slipped
through a template, a widget or a library), and the watch that every journey relies on does
catch a violation when there is one."""

import time

import pytest

from accounts.models import User
from tests.accounts.conftest import give_totp
from tests.browser.data import DEMO_PASSWORD, published_demand, seed_demo
from tests.browser.journey import totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/events/", "/events/4/", "/hosts/xian/", "/demands/", "/accounts/login/",
                "/accounts/signup/", "/accounts/password/reset/", "/accounts/privacy/"]
ENGLISH_PAGES = ["/", "/demands/", "/accounts/signup/"]
# (demo account, pages it opens once signed in) — pages the other journeys do not walk through
# (they are watched the same way).
ROLE_PAGES = [
    ("challenger@demo.cn", ["/notifications/", "/accounts/profile/", "/accounts/agreements/"]),
    ("host.xian@demo.cn", ["/organiser/xian/work-plan/", "/organiser/xian/notices/"]),
    ("torch@demo.cn", ["/torch/workplans/", "/admin/demands/demand/"]),
]


def sign_in_with_totp(journey, email):
    user = give_totp(User.objects.get(email=email))
    journey.goto("/accounts/login/")
    journey.page.fill("input[name=login]", email)
    journey.page.fill("input[name=password]", DEMO_PASSWORD)
    journey.submit("form:has(input[name=password]) [type=submit]")
    if journey.path().startswith("/accounts/2fa/authenticate/"):
        journey.page.fill("input[name=code]",
                          totp_code(user.authenticator_set.get().data["secret"]))
        journey.submit("form:has(input[name=code]) [type=submit]")
    assert journey.path() != "/accounts/login/"


def test_no_csp_violation_on_any_page_and_the_watch_catches_one(journey):
    seed_demo()
    demand = published_demand(title="高精度MEMS惯性传感器温漂补偿算法")
    page = journey.page

    response = journey.goto("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy

    for path in [*PUBLIC_PAGES, f"/demands/{demand.ref}/"]:
        journey.goto(path)
    journey.shot("visitor-chinese")
    journey.submit(".language-switch button[value=en]")
    for path in [*ENGLISH_PAGES, f"/demands/{demand.ref}/"]:
        journey.goto(path)
        assert page.locator("html").get_attribute("lang") == "en"
    journey.shot("visitor-english")
    journey.submit(".language-switch button[value=zh-hans]")

    for email, paths in ROLE_PAGES:
        sign_in_with_totp(journey, email)
        for path in paths:
            journey.goto(path)
        journey.shot(email.split("@")[0])
        journey.sign_out()

    assert journey.csp_violations() == []

    # The watch is live: an inline style added to the page is refused, and reported.
    page.evaluate("""document.querySelector("main").insertAdjacentHTML("beforeend",
        '<p id="csp-canary" style="color: red">inline style</p>')""")
    deadline = time.monotonic() + 5
    while not journey.csp_violations() and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    caught = journey.csp_violations()
    assert caught and any("style" in text for text in caught), caught
    assert page.locator("#csp-canary").evaluate("el => getComputedStyle(el).color") != \
        "rgb(255, 0, 0)"
    journey.shot("canary-refused")
    # Deliberate: not a finding of this journey.
    journey.forget_csp_violations()
