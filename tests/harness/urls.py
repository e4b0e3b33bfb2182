"""Reversing URLs by name only, whatever module or namespace serves them today: the push routes
may live under ``notifications:`` or ``push:``."""

from django.urls import NoReverseMatch, reverse


def reverse_any(name, *namespaces, **kwargs):
    """``reverse()`` of the first ``namespace:name`` that exists (``name`` alone when no
    namespace is given)."""
    candidates = [f"{namespace}:{name}" for namespace in namespaces] or [name]
    for candidate in candidates:
        try:
            return reverse(candidate, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
    raise NoReverseMatch(f"none of {candidates} exists")


def push_url(name, **kwargs):
    return reverse_any(name, "push", "notifications", **kwargs)
