"""A visitor without an account: the events on the home page, the published demands under
their anonymised name, search that does not find hidden values, and the language switch."""

import re

import pytest

from tests.browser.data import HIDDEN_ORGANISATION, load_contest, published_demand

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANONYMISED = re.compile(r"某\S*企业")


def test_visitor_sees_events_anonymised_demands_and_switches_language(journey):
    load_contest()
    first = published_demand(title="硅基光电芯片晶圆级封装良率提升",
                             keywords=["晶圆级封装", "光电芯片"])
    second = published_demand(title="碳化硅功率器件栅氧可靠性攻关",
                              keywords=["碳化硅", "功率器件"], organisation=first.organisation)
    page = journey.page

    journey.goto("/")
    assert page.locator("main .event-card").count() == 22
    assert "22" in page.locator(".hero .stats").inner_text()
    journey.shot("home-22-events")

    journey.submit("nav.main-nav a[href='/demands/']")
    rows = page.locator("main .demand-row")
    assert rows.count() == 2
    listing = journey.text()
    assert first.title in listing and second.title in listing
    for index in range(2):
        meta = rows.nth(index).locator(".meta").inner_text()
        assert ANONYMISED.search(meta), meta
    assert HIDDEN_ORGANISATION not in page.content()
    journey.shot("demand-list")

    # Searching for the hidden name finds nothing; a word of the title finds its demand.
    page.fill("input[name=q]", HIDDEN_ORGANISATION)
    journey.submit("form[role=search] button[type=submit]")
    assert page.locator("main .demand-row").count() == 0
    assert page.locator("main .empty-state").is_visible()
    journey.shot("search-hidden-name-finds-nothing")
    page.fill("input[name=q]", "碳化硅")
    journey.submit("form[role=search] button[type=submit]")
    assert page.locator("main .demand-row").count() == 1
    assert second.title in journey.text("main .demand-row")
    journey.shot("search-title-word")

    journey.submit(f"main .demand-row a[href='/demands/{second.ref}/']")
    assert page.locator("h1").inner_text() == second.title
    overview = journey.text("main")
    assert ANONYMISED.search(overview)
    assert HIDDEN_ORGANISATION not in page.content()
    # A visitor is invited to sign in before asking for the hidden details.
    assert page.locator(f"a[href^='/accounts/login/?next=/demands/{second.ref}/']").is_visible()
    journey.shot("demand-detail")

    # English and back: the page, its language attribute and the switch itself change.
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    journey.submit(".language-switch button[value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert journey.path() == f"/demands/{second.ref}/"
    assert page.locator("nav.main-nav a[href='/']").inner_text().strip() == "Home"
    assert page.locator(".language-switch button[value=zh-hans]").inner_text() == "简体中文"
    assert ANONYMISED.search(journey.text("main"))
    journey.shot("demand-detail-english")
    journey.goto("/")
    assert page.locator("main .event-card").count() == 22
    journey.shot("home-english")
    journey.submit(".language-switch button[value=zh-hans]")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("nav.main-nav a[href='/']").inner_text().strip() == "首页"
    assert page.locator(".language-switch button[value=en]").inner_text() == "English"
    journey.shot("home-chinese-again")
