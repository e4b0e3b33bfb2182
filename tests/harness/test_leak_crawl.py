"""The leak crawl: the world's published demand hides every hideable field, each holding a
canary. Crawling every public page (from ``/``, the sitemap, every URL the permission matrix
opens to a visitor, the registered seeds, and a search for each canary), feeds, exports and
JSON answers, as a visitor and as signed-in users without access, finds no canary, and finds
the public substitute (so the crawl is known to see the page). What the public push writes
(inbox lines, e-mails, webhook payloads) is checked the same way. Sources: ``leaks.py``."""

import re
from collections import deque
from urllib.parse import urlencode

import pytest

from tests.harness.conftest import client_for, rolled_back
from tests.harness.discovery import route_for, routes_to_check
from tests.harness.leaks import sources
from tests.harness.pages import parse
from tests.harness.test_permission_matrix import url_of

MAX_PAGES = 400
# Not followed: they act rather than show (signing out, switching language), or are the admin,
# or their link is a credential mailed to one person (a demand's contact person opens
# /demands/contact-consent/<signed token>/ and sees, as in the e-mail, which organisation names
# them; tests/demands/test_contact_consent.py covers it).
SKIP = re.compile(
    r"^/(admin/|accounts/logout/|i18n/|static/|favicon\.ico|demands/contact-consent/)"
)
TEXT_TYPES = ("html", "xml", "json", "csv", "text", "rss", "atom", "javascript")


def _public_urls(world):
    """Every URL of the matrix that a visitor may open (GET answers 200)."""
    urls = []
    for named in routes_to_check():
        declared, _ = route_for(named)
        if declared is None:
            continue
        for variant in declared if isinstance(declared, tuple) else (declared,):
            if variant.get["visitor"] == "200":
                urls.append(url_of(world, named, variant))
    return urls


def _sitemap_paths(body):
    return [re.sub(r"^https?://[^/]+", "", loc) for loc in re.findall(r"<loc>([^<]+)</loc>", body)]


def crawl(world, persona, seeds):
    """Breadth-first over same-site links from ``seeds``: {path: body} of every text answer."""
    seen, bodies = set(), {}
    queue = deque(seeds)
    client = client_for(world, persona)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        if path in seen or SKIP.match(path):
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code < 500, f"{path} as {persona}: {response.status_code}"
        content_type = response.get("Content-Type", "")
        if response.status_code != 200 or not any(kind in content_type for kind in TEXT_TYPES):
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode("utf-8", errors="replace")
        bodies[path] = text
        if "html" in content_type:
            _, links = parse(text, "http://testserver" + path)
            queue.extend(link for link in links if link not in seen)
        elif "xml" in content_type:
            queue.extend(_sitemap_paths(text))
    return bodies


def _leaks(texts, canaries):
    return [
        f"{canary!r} in {where}"
        for where, text in texts.items()
        for canary in canaries
        if canary in text
    ]


@pytest.mark.parametrize("persona", ["visitor", "challenger", "other_company", "agency"])
def test_no_canary_on_any_public_page(harness, persona):
    registered = sources()
    canaries = [canary for source in registered for canary in source.canaries(harness)]
    substitutes = [text for source in registered for text in source.substitutes(harness)]
    seeds = ["/", "/sitemap.xml", *_public_urls(harness)]
    for source in registered:
        seeds += source.seeds(harness)
    # Searching for a hidden value must not find the demand (nor echo the value back anywhere
    # but the search box, which the crawl reads as the input it is: see below).
    searches = [f"/demands/?{urlencode({'q': canary})}" for canary in canaries]

    with rolled_back():
        bodies = crawl(harness, persona, seeds)
        client = client_for(harness, persona)
        search_bodies = {path: client.get(path).content.decode() for path in searches}

    print(f"leak crawl as {persona}: {len(bodies)} pages, {len(search_bodies)} searches")
    assert len(bodies) > 20, f"the crawl saw only {len(bodies)} pages"
    assert not _leaks(bodies, canaries), "\n".join(_leaks(bodies, canaries))
    for path, body in search_bodies.items():
        # The query is echoed in the search box; the demand behind the value must not be found.
        for substitute in substitutes:
            assert substitute not in _without_search_box(body), (
                f"searching {path} as {persona} finds the demand by a hidden value"
            )
    everything = "\n".join(bodies.values())
    missing = [text for text in substitutes if text not in everything]
    assert not missing, f"the public substitute never showed: {missing}"


def _without_search_box(body):
    return re.sub(r'<input[^>]*name="q"[^>]*>', "", body)


def test_public_push_carries_no_canary(harness):
    registered = [source for source in sources() if source.notify is not None]
    assert registered
    for source in registered:
        canaries = source.canaries(harness)
        with rolled_back():
            texts = dict(enumerate(source.notify(harness)))
        assert texts, f"{source.name}: the push wrote nothing to check"
        leaks = _leaks({f"{source.name} push #{k}": v for k, v in texts.items()}, canaries)
        assert not leaks, "\n".join(leaks)
        everything = "\n".join(texts.values())
        assert any(text in everything for text in source.substitutes(harness))
