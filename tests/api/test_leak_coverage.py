"""The leak crawl (tests/harness/test_leak_crawl.py) starts from every API endpoint: each
named API route but Torch staff's key pages is among the API source's seeds."""

from types import SimpleNamespace

from django.urls import get_resolver, resolve

from tests.harness.leaks import sources

STAFF_PAGES = {"keys", "key_revoke"}


def _api_route_names():
    return {name.removeprefix("api:") for name in _names(get_resolver())
            if name.startswith("api:")}


def _names(resolver, namespace=""):
    from django.urls import URLPattern, URLResolver

    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_api_endpoint_is_a_seed_of_the_leak_crawl(db):
    world = SimpleNamespace(objects={
        "demand": SimpleNamespace(ref="6-01-0001", public_snapshot={"public_name": "某企业"}),
        "event": SimpleNamespace(number=1),
        "unit": SimpleNamespace(slug="xian"),
        "published_notice": SimpleNamespace(pk=1),
        "achievement": SimpleNamespace(pk=1),
        "staff_achievement": SimpleNamespace(pk=2),
    })
    source = next(source for source in sources() if source.name == "api")
    seeded = {resolve(path.split("?")[0]).url_name for path in source.seeds(world)}
    assert _api_route_names() - STAFF_PAGES <= seeded
    assert any("?q=" in path for path in source.seeds(world))
