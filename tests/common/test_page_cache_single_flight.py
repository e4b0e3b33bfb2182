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


def test_inside_a_request_the_previous_value_is_served_and_recomputed_after_the_response(db):
    from django.core.signals import request_finished, request_started

    pages = PageCache("test:flight-after")
    calls = []

    def compute(value):
        def run():
            calls.append(value)
            return value
        return run

    assert pages.remember("count", ("c",), compute(1), single_flight=True) == 1
    pages.bump()
    request_started.send(sender=None)
    # The first reader after the change does not wait for the count: it gets the previous
    # one, and so does every other reader until the fresh one is stored.
    assert pages.remember("count", ("c",), compute(2), single_flight=True) == 1
    assert pages.remember("count", ("c",), compute(3), single_flight=True) == 1
    assert calls == [1]
    request_finished.send(sender=None)
    # Recomputed once, after the response was sent.
    assert calls == [1, 2]
    assert pages.remember("count", ("c",), compute(4), single_flight=True) == 2
    assert calls == [1, 2]


def test_a_first_value_is_computed_at_once_even_inside_a_request(db):
    from django.core.signals import request_finished, request_started

    pages = PageCache("test:flight-first")
    request_started.send(sender=None)
    try:
        assert pages.remember("count", ("d",), lambda: 5, single_flight=True) == 5
    finally:
        request_finished.send(sender=None)
