"""Right after a bump, one request recomputes a single-flight value while the others serve
the previous version's value, instead of every concurrent request recomputing at once."""

from django.core.cache import cache

from common.page_cache import PageCache


def test_one_computes_the_others_serve_the_previous_value(db):
    pages = PageCache("test:flight")
    calls = []

    def compute(value):
        def run():
            calls.append(value)
            return value
        return run

    assert pages.remember("count", ("a",), compute(1), single_flight=True) == 1
    pages.bump()
    # Another worker is recomputing the new version's value: hold its lock.
    key = pages.key("count", "a")
    cache.add(f"{key}:computing", 1, 30)
    assert pages.remember("count", ("a",), compute(2), single_flight=True) == 1
    assert calls == [1]
    # Once the lock is released, the next request computes and stores the fresh value.
    cache.delete(f"{key}:computing")
    assert pages.remember("count", ("a",), compute(3), single_flight=True) == 3
    assert pages.remember("count", ("a",), compute(4), single_flight=True) == 3
    assert calls == [1, 3]


def test_without_a_previous_value_everyone_computes(db):
    pages = PageCache("test:flight-empty")
    key = pages.key("count", "b")
    cache.add(f"{key}:computing", 1, 30)
    assert pages.remember("count", ("b",), lambda: 7, single_flight=True) == 7


def test_without_single_flight_nothing_changes(db):
    pages = PageCache("test:flight-off")
    assert pages.remember("count", (), lambda: 1) == 1
    pages.bump()
    key = pages.key("count")
    cache.add(f"{key}:computing", 1, 30)
    assert pages.remember("count", (), lambda: 2) == 2
