"""The permission matrix, generated from the URL configuration: every named URL of the portal
(and of the admin site) has a declared entry in its app's ``matrix.py``, and every cell of it —
each persona of the world, GET and POST — answers as declared. A denied POST changes nothing in
the database. A URL added without an entry fails ``test_every_named_url_has_a_matrix_entry``.

Run with ``HARNESS_RECORD=1`` to print what each persona gets today instead of asserting (a
start for the entry of a new URL; read it before copying it: it records leaks too).
"""

import os

import pytest
from django.urls import reverse

from common.permission_matrix import ALLOWED, PERSONAS
from tests.harness.conftest import checksum, classify, client_for, rolled_back
from tests.harness.discovery import route_for, routes_to_check, undeclared

RECORD = os.environ.get("HARNESS_RECORD") == "1"


def test_every_named_url_has_a_matrix_entry():
    missing = undeclared()
    assert not missing, (
        "These URLs have no entry in their app's matrix.py (common.permission_matrix says "
        "how to declare one):\n  " + "\n  ".join(missing)
    )


def _variants(named):
    declared, module = route_for(named)
    if declared is None:
        return []
    variants = declared if isinstance(declared, tuple | list) else (declared,)
    return [(named, index, variant, module.__name__) for index, variant in enumerate(variants)]


CASES = [case for named in routes_to_check() for case in _variants(named)]


def url_of(world, named, route):
    kwargs = {key: str(world.resolve(value)) for key, value in route.kwargs.items()}
    return reverse(named.name, kwargs=kwargs or None)


def run_cell(world, persona, method, url, route):
    """One persona's request, rolled back afterwards: (outcome, database changed?). Every cell
    starts from the world as built, whose checksum was taken once."""
    data = {key: world.resolve(value) for key, value in route.data.items()}
    expected = getattr(route, method)[persona]
    with rolled_back():
        client = client_for(world, persona)
        if method == "get":
            response = client.get(url, route.query)
        else:
            response = client.post(url, data)
        changed = method == "post" and expected not in ALLOWED and checksum() != world.checksum
    return classify(response), changed


@pytest.mark.parametrize(
    "case", CASES, ids=[f"{named.name}[{index}]" for named, index, _, _ in CASES]
)
def test_route_cells(harness, case):
    named, _, route, module = case
    url = url_of(harness, named, route)
    wrong, fixed, observed = [], [], {"get": {}, "post": {}}
    for method in ("get", "post"):
        for persona in PERSONAS:
            expected = getattr(route, method)[persona]
            outcome, changed = run_cell(harness, persona, method, url, route)
            observed[method][persona] = outcome
            problems = []
            if outcome != expected:
                problems.append(f"answered {outcome}, declared {expected}")
            if changed and expected not in ALLOWED:
                problems.append("a denied POST changed the database")
            reason = route.xfail.get((method, persona))
            cell = f"{method.upper()} {url} as {persona}"
            if reason and not problems:
                fixed.append(f"{cell}: passes now, remove its xfail ({reason})")
            elif problems and not reason:
                wrong.append(f"{cell}: {'; '.join(problems)}")
    if RECORD:
        print(f"\n{named.name} {route.kwargs}: {observed}")
        return
    assert not wrong, f"{named.name} (declared in {module}):\n  " + "\n  ".join(wrong)
    assert not fixed, "strict xfail:\n  " + "\n  ".join(fixed)
    known = sorted(set(route.xfail.values()))
    if known:
        pytest.xfail("; ".join(known))
