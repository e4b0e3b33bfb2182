"""The OpenAPI 3 document is valid and complete, and the interactive docs run on the
portal's own assets under its CSP."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from api.resources import resources


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_every_endpoint_is_documented(schema):
    expected = {"/api/v1/"}
    for resource in resources():
        expected.add(f"/api/v1/{resource.name}/")
        lookup = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", resource.lookup)
        expected.add(f"/api/v1/{resource.name}/{lookup}/")
    assert set(schema["paths"]) == expected
    for path, operations in schema["paths"].items():
        assert set(operations) == {"get"}, path
        operation = operations["get"]
        assert operation.get("summary"), path
        assert "200" in operation["responses"], path
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, parameter["name"])
        if "{" in path:
            assert "404" in operation["responses"], path


def test_every_field_is_documented(schema):
    undocumented = [
        f"{name}.{field}"
        for name, component in schema["components"]["schemas"].items()
        for field, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]
    assert not undocumented


def test_documented_fields_are_the_answers_fields(client, schema, host_unit, demand_owner):
    from demands.enums import DemandStatus
    from tests.demands.public_support import publish
    from tests.factories.demands import DemandFactory

    demand = publish(DemandFactory(host_unit=host_unit, created_by=demand_owner,
                                   status=DemandStatus.PUBLISHED))
    answer = json.loads(client.get(f"/api/v1/demands/{demand.ref}/").content)
    assert set(answer) == set(schema["components"]["schemas"]["Demand"]["properties"])


def test_docs_are_served_by_the_portal_within_the_csp(client, db):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert url.startswith("/"), f"{url} is not served by the portal"
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp
    script = re.search(r'src="([^"]+script=[^"]*)"', html).group(1).replace("&amp;", "&")
    init = client.get(script)
    assert init.status_code == 200 and "application/javascript" in init["Content-Type"]
    assert b"/api/v1/schema/" in init.content
