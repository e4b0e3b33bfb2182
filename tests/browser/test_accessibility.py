"""Accessibility: axe-core (from the npm registry, ``npm ci`` through the Makefile; injected by
the browser through the DevTools protocol, so neither a CDN nor the page's CSP is involved) on
the main public and signed-in pages in both languages. No serious or critical violation of the
WCAG 2.1 A/AA rules (what GB/T 37668 assesses) may remain."""

from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.test import Client

from tests.browser.data import load_contest, published_demand, verified_user, xian
from tests.conftest import require_service
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.contests import HostMembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return {
    rules: result.passes.length + result.violations.length + result.incomplete.length
           + result.inapplicable.length,
    violations: result.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ")),
    })),
  };
}"""


def audit(page, url):
    page.goto(url)
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(RUN_AXE, TAGS)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_main_pages_have_no_serious_accessibility_violation(browser_page, live_server, language):
    require_service("axe-core (make install runs npm ci)", AXE.exists())
    load_contest()
    demand = published_demand()
    owner = verified_user(
        "a11y-owner@example.cn", roles=["demand_company"], organisation=OrganisationFactory()
    )
    context = browser_page.context
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    public = [
        "/",
        "/events/",
        "/demands/",
        f"/demands/{demand.ref}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/privacy/",
    ]
    signed_in = [
        "/accounts/workspace/",
        "/demands/mine/",
        "/demands/new/",
        "/notifications/",
        "/notifications/subscriptions/",
        "/accounts/profile/",
    ]

    found, rules = [], set()
    for path in public:
        report = audit(browser_page, live_server.url + path)
        rules.add(report["rules"])
        found += [(path, v) for v in report["violations"]]
    sign_in(context, live_server, owner)
    for path in signed_in:
        report = audit(browser_page, live_server.url + path)
        rules.add(report["rules"])
        found += [(path, v) for v in report["violations"]]

    print(f"axe {language}: {len(public) + len(signed_in)} pages, {max(rules)} rules each")
    assert_no_serious(found)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_staff_pages_have_no_serious_accessibility_violation(browser_page, live_server, language):
    """The pages host organisers and Torch staff work in, Django admin included."""
    require_service("axe-core (make install runs npm ci)", AXE.exists())
    load_contest()
    demand = published_demand()
    unit = xian()
    organiser = HostMembershipFactory(host_unit=unit, user__email="a11y-host@example.cn").user
    torch = UserFactory(roles=["torch_staff"], is_staff=True, email="a11y-torch@example.cn")
    for user in (organiser, torch):
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                     data={"secret": "JBSWY3DPEHPK3PXP"})
    context = browser_page.context
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    pages = {
        organiser: [
            "/organiser/",
            "/demands/manage/",
            f"/demands/manage/{demand.ref}/",
            f"/demands/manage/{demand.ref}/experts/",
            f"/organiser/{unit.slug}/work-plan/",
            f"/organiser/{unit.slug}/notices/",
            "/admin/",
            "/admin/demands/demand/",
            f"/admin/demands/demand/{demand.pk}/change/",
        ],
        torch: [
            "/torch/workplans/",
            "/admin/audit/activitylog/",
            "/admin/notifications/outboundemail/",
            "/admin/accounts/user/",
        ],
    }

    found, rules, audited = [], set(), 0
    for user, paths in pages.items():
        sign_in(context, live_server, user)
        for path in paths:
            report = audit(browser_page, live_server.url + path)
            assert report["rules"], f"{path} was not audited"
            rules.add(report["rules"])
            found += [(path, v) for v in report["violations"]]
            audited += 1

    print(f"axe {language}: {audited} staff pages, {max(rules)} rules each")
    assert_no_serious(found)


def sign_in(context, live_server, user):
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def assert_no_serious(found):
    serious = [
        f"{path}: {v['id']} ({v['impact']}) {v['help']} at {v['nodes']}"
        for path, v in found
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)
