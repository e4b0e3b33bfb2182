"""Fuzzing every form and query parameter the portal offers, found from the URL configuration:
each page of the permission matrix is opened as a persona that may open it, its forms are read
with an HTML parser, and hypothesis fills them (and the page's query string) with odd values —
long, empty, Unicode controls and bidi marks, NUL, emoji, wrong types, huge and negative
numbers, repeated parameters, SQL and HTML fragments. No answer is a server error, and typed
HTML never comes back unescaped, neither in the answer nor on the page afterwards.

``FUZZ_EXAMPLES`` sets the examples per form (small by default so ``make test`` stays quick;
``make test-full`` runs many more).
"""

import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from common.permission_matrix import PERSONAS
from tests.harness.conftest import client_for, rolled_back
from tests.harness.discovery import route_for, routes_to_check
from tests.harness.pages import parse
from tests.harness.test_permission_matrix import url_of

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))

# Typed HTML that must never come back as markup.
MARKUP = '<q-fz onmouseover="fz()">'
NASTY = [
    "",
    " ",
    "a" * 5000,
    "\x00",
    "abc\x00def",
    "\u202e\u2066evil\u2069",
    "\u200f\u200e\u200b",
    "\ufeff",
    "\x1b[31m\x07\x08",
    "😀🇨🇳👩‍👩‍👧" * 20,
    "-1",
    "0",
    "1.5",
    "1e309",
    "NaN",
    "-Infinity",
    "99999999999999999999999",
    "-99999999999999999999999",
    "9223372036854775808",
    "' OR 1=1 --",
    '"; DROP TABLE demands_demand; --',
    "%' AND 1=0 UNION SELECT 1 --",
    MARKUP,
    f"</textarea>{MARKUP}",
    "<script>alert(1)</script>",
    "../../../../etc/passwd",
    "%00%2e%2e%2f",
    "https://evil.example/",
    "//evil.example/",
    "javascript:alert(1)",
    "\r\nSet-Cookie: fz=1",
    "2021-02-30",
    "9999-12-31T23:59:59",
    "0001-01-01",
    "6-07-0001",
    "[]",
    "{}",
    "null",
    "true",
    "中文" * 300,
]

values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=300),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
# Query parameters every list or page might read.
COMMON_QUERY = ("page", "q", "sort", "next", "return", "format")
PRIORITY = (
    "owner",
    "host",
    "torch",
    "challenger_granted",
    "expert_assigned",
    "other_company",
    "challenger",
    "expert",
    "other_host",
    "agency",
)


def _fuzz_personas(route):
    """Who opens the page: the visitor where a visitor may (the public surface) and the first
    signed-in persona that may."""
    reachable = [persona for persona in PERSONAS if route.get[persona] == "200"]
    chosen = ["visitor"] if "visitor" in reachable else []
    chosen += [persona for persona in PRIORITY if persona in reachable][:1]
    return chosen


_FUZZED = set()
CASES = []
for named in routes_to_check():
    declared, _ = route_for(named)
    if declared is None or named.namespace == "admin":
        continue
    for index, variant in enumerate(declared if isinstance(declared, tuple) else (declared,)):
        for persona in _fuzz_personas(variant):
            CASES.append(
                pytest.param(named, variant, persona, id=f"{named.name}[{index}]-{persona}")
            )


def _strategy_for(form_field):
    options = [value for value in form_field.options if value]
    single = st.one_of(st.sampled_from(options), values) if options else values
    # Sometimes the same parameter twice or more.
    return st.one_of(single, st.lists(single, min_size=2, max_size=3))


# Tried every run whatever hypothesis draws: every field at once a word, empty, a number
# beyond any integer column, and markup.
EXPLICIT = ("abc", "", "-99999999999999999999999", MARKUP)


def _explicit_examples(fields):
    def decorate(function):
        for value in EXPLICIT:
            function = example({name: value for name in fields})(function)
        return function

    return decorate


def _check(response, where):
    assert response.status_code < 500, f"{where}: answered {response.status_code}"
    if "html" in response.get("Content-Type", ""):
        assert MARKUP not in response.content.decode(errors="replace"), (
            f"{where}: typed HTML came back unescaped"
        )


def _fuzz(world, persona, page_url, forms):
    """Fill the page's query and each of its forms with hypothesis's values."""
    fuzz_settings = settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    query_fields = {
        name: _strategy_for(field)
        for form in forms
        if form.method == "get"
        for name, field in form.fields.items()
    }
    query_fields.update(
        {name: st.one_of(values, st.lists(values, min_size=2, max_size=3)) for name in COMMON_QUERY}
    )

    @fuzz_settings
    @given(st.fixed_dictionaries({}, optional=query_fields))
    @_explicit_examples(query_fields)
    def fuzz_query(query):
        with rolled_back():
            response = client_for(world, persona).get(page_url, query)
            _check(response, f"GET {page_url} {query!r} as {persona}")

    fuzz_query()

    for form in forms:
        if form.method == "post":
            _fuzz_form(world, persona, page_url, form, fuzz_settings)


def _fuzz_form(world, persona, page_url, form, fuzz_settings):
    fields = {
        name: _strategy_for(field)
        for name, field in form.fields.items()
        if field.kind not in ("file", "hidden") or name in ("next", "return")
    }
    fixed = {
        name: field.value
        for name, field in form.fields.items()
        if field.kind == "hidden" and name not in fields
    }

    @fuzz_settings
    @given(st.fixed_dictionaries({}, optional=fields))
    @_explicit_examples(fields)
    def fuzz_form(data):
        with rolled_back():
            client = client_for(world, persona)
            response = client.post(form.action, {**fixed, **data})
            where = f"POST {form.action} {data!r} as {persona} (form of {page_url})"
            _check(response, where)
            if response.status_code in (301, 302, 303):
                location = response["Location"]
                if location.startswith("/"):
                    _check(client.get(location), f"{where}, then {location}")
            _check(client.get(page_url), f"{where}, then {page_url} again")

    fuzz_form()


@pytest.mark.parametrize("named, route, persona", CASES)
def test_fuzz_page(harness, named, route, persona):
    page_url = url_of(harness, named, route)
    with rolled_back():
        response = client_for(harness, persona).get(page_url)
    assert response.status_code == 200, f"{page_url} as {persona}: {response.status_code}"
    forms = []
    if "html" in response.get("Content-Type", ""):
        forms, _ = parse(response.content.decode(), "http://testserver" + page_url)
    # A form found on many pages (the language switch, signing out) is fuzzed once per persona.
    unique = {}
    for form in forms:
        if form.method == "get" or (persona, form.key()) not in _FUZZED:
            unique[form.key()] = form
            _FUZZED.add((persona, form.key()))
    print(
        f"fuzz {page_url} as {persona}: {len(unique)} forms, "
        f"{sum(len(form.fields) for form in unique.values())} fields"
    )
    _fuzz(harness, persona, page_url, list(unique.values()))
