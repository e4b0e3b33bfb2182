"""The home page on a desktop and on a phone: search box, figures, how to take part, newest
demands, event stages; it fits the phone's screen, and its search leads to the results."""

import pytest

from tests.browser.data import load_contest, published_demand
from tests.browser.test_phone_journey import PHONE, assert_fits

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_on_desktop_and_phone(journey):
    load_contest()
    published_demand(title="面向低空经济的无人机电池快换与热失控预警系统研发",
                     keywords=["无人机", "电池快换"])
    page = journey.page
    page.set_viewport_size({"width": 1280, "height": 900})
    journey.goto("/")
    assert page.locator("form.home-search input[name=q]").is_visible()
    assert page.locator(".home-hero .stats > div").count() >= 4
    assert page.locator(".take-part article").count() == 3
    assert page.locator(".demand-headlines li").count() == 1
    assert page.locator("main .event-card .event-stage").count() == 22
    journey.shot("desktop")

    page.set_viewport_size(PHONE)
    journey.goto("/")
    assert_fits(journey)
    journey.shot("phone")
    page.fill("form.home-search input[name=q]", "无人机")
    journey.submit("form.home-search button[type=submit]")
    assert journey.path().startswith("/demands/?q=")
    assert page.locator("main .demand-row").count() == 1
    assert_fits(journey)
    journey.shot("phone-search")
