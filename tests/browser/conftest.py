"""Fixtures of the browser journeys (the toolkit is in tests/browser/journey.py)."""

import pytest

from tests.browser.journey import Journey


@pytest.fixture
def journey(browser_page, live_server, request):
    walk = Journey(browser_page, live_server.url, request.node.name)
    yield walk
    walk.assert_clean()
