"""On a phone (390×844): the home page, the demand list and a demand fit the screen without
sideways scrolling, and the menu opens and closes with its toggle."""

import pytest

from tests.browser.data import PASSWORD, load_contest, published_demand, verified_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def overflow(page):
    """How many pixels the page is wider than the screen, and the widest offenders."""
    return page.evaluate("""() => {
      const width = window.innerWidth;
      const wide = [...document.querySelectorAll("body *")]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .slice(0, 5)
        .map((el) => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
      return {excess: document.documentElement.scrollWidth - width, wide: wide};
    }""")


def assert_fits(journey):
    found = overflow(journey.page)
    if found["excess"] > 0:
        journey.shot("overflow")  # the evidence, beside the other steps
    assert found["excess"] <= 0, f"{journey.page.url} scrolls sideways: {found}"


def test_phone_pages_fit_the_screen_and_menu_toggles(journey):
    load_contest()
    demand = published_demand(title="面向低空经济的无人机电池快换与热失控预警系统研发",
                              keywords=["无人机", "电池快换", "热失控预警"])
    page = journey.page
    page.set_viewport_size(PHONE)

    journey.goto("/")
    assert page.evaluate("window.innerWidth") == PHONE["width"]
    assert_fits(journey)
    assert page.locator("main .event-card").count() == 22
    menu = page.locator("nav.main-nav ul")
    toggle = page.locator("nav.main-nav label.nav-toggle-label")
    assert toggle.is_visible() and not menu.is_visible()
    journey.shot("home")

    toggle.click()
    assert menu.is_visible()
    assert page.locator("nav.main-nav a[href='/demands/']").is_visible()
    journey.shot("menu-open")
    toggle.click()
    assert not menu.is_visible()
    toggle.click()
    journey.submit("nav.main-nav a[href='/demands/']")
    assert journey.path() == "/demands/"
    assert not menu.is_visible()  # a new page starts with the menu closed
    assert_fits(journey)
    assert page.locator("main .demand-row").count() == 1
    journey.shot("demand-list")

    journey.submit(f"main .demand-row a[href='/demands/{demand.ref}/']")
    assert_fits(journey)
    journey.shot("demand-detail")

    for path in ("/events/4/", "/accounts/signup/", "/accounts/login/"):
        journey.goto(path)
        assert_fits(journey)
        journey.shot(path.strip("/").replace("/", "-"))

    # Signed in, the header carries the name, the notifications and the sign-out button too.
    verified_user("wang.fang@example.cn", roles=["challenger"], full_name="王芳")
    journey.sign_in("wang.fang@example.cn", PASSWORD)
    journey.goto("/")
    assert_fits(journey)
    assert page.locator("header form[action$='/accounts/logout/'] button").is_visible()
    toggle.click()
    assert page.locator("nav.main-nav a[href='/accounts/workspace/']").is_visible()
    journey.shot("signed-in-menu-open")
