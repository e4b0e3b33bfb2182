"""The registry of the leak crawl: what must never be public, what must be (so the crawl is
known to see the page), and where to start looking.

Each app with confidential data registers one ``LeakSource`` here (``tests/harness/
leak_sources.py``): solutions, Q&A, recommendations and complaints add theirs beside the
demands' as they are written. A source reads the harness's world, so its canaries live in
objects the world builds (give the world the app's objects with canary values first).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_SOURCES = {}


@dataclass(frozen=True)
class LeakSource:
    """``canaries(world)``: strings that must appear on no public page, feed, export, search
    result, JSON answer, e-mail or webhook payload. ``substitutes(world)``: strings the public
    must see instead (each must show at least once in the crawl). ``seeds(world)``: public
    paths to start from, beyond ``/`` and the sitemap (searches for each canary are added by the
    crawl). ``notify(world)``: run the app's public push of its object (e-mails, webhooks), if
    it has one; what it sends is checked too."""

    name: str
    canaries: Callable
    substitutes: Callable
    seeds: Callable = field(default=lambda world: [])
    notify: Callable | None = None


def register(source):
    if source.name in _SOURCES:
        raise ValueError(f"leak source {source.name!r} is registered twice")
    _SOURCES[source.name] = source
    return source


def sources():
    from tests.harness import leak_sources  # noqa: F401  (registers the sources)

    return list(_SOURCES.values())
