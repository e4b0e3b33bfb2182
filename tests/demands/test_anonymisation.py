"""Nothing the owner hid reaches any public surface (DESIGN.md §3 rule 1): every hideable field
holds a unique canary and a passage is marked; each surface is checked for all of them, and
for the public substitute, so the test is known to be looking at the demand."""

import csv
import io
import json

import pytest
from django.urls import reverse

from demands.enums import HideableField
from demands.models import Demand
from demands.public import search
from demands.public.projection import REDACTION_MARK, project, public_demands
from demands.services.national import set_national
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import (
    CANARIES,
    HIDDEN_PASSAGE,
    PASSAGE_PIECE,
    PUBLIC_NAME,
    assert_no_leak,
)

pytestmark = pytest.mark.django_db


def _text(response):
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def test_projection_hides_every_field_and_passage(canary_demand):
    projection = project(canary_demand)

    payload = json.dumps(projection.to_dict(), ensure_ascii=False)
    assert_no_leak(payload, "to_dict()")
    assert projection.public_name == PUBLIC_NAME
    assert REDACTION_MARK in projection.key_problem
    assert REDACTION_MARK in projection.current_base
    assert projection.text_redacted
    assert all(getattr(projection, flag) for flag in (
        "organisation_hidden", "contact_person_hidden", "phone_hidden", "email_hidden",
        "address_hidden", "budget_hidden", "prize_hidden", "attachments_hidden"))


def test_stored_snapshot_and_search_columns_hold_nothing_hidden(canary_demand):
    stored = Demand.objects.values("public_snapshot", "search_tokens", "search_bigrams",
                                   "search_title").get(pk=canary_demand.pk)

    assert_no_leak(json.dumps(stored["public_snapshot"], ensure_ascii=False), "public_snapshot")
    for column in ("search_tokens", "search_bigrams", "search_title"):
        assert_no_leak(stored[column], column)
    assert stored["public_snapshot"]["public_name"] == PUBLIC_NAME
    assert "涂层" in stored["search_tokens"]


@pytest.mark.parametrize("field", list(HideableField))
def test_search_for_a_hidden_value_finds_nothing(canary_demand, field, client):
    found = search.search(public_demands(), CANARIES[field])
    page = client.get(reverse("demands:list"), {"q": CANARIES[field]})

    assert list(found) == []
    assert canary_demand.get_absolute_url() not in _text(page)


@pytest.mark.parametrize("query", [HIDDEN_PASSAGE, PASSAGE_PIECE])
def test_search_for_a_hidden_passage_finds_nothing(canary_demand, query, client):
    page = client.get(reverse("demands:list"), {"q": query})

    assert list(search.search(public_demands(), query)) == []
    assert canary_demand.get_absolute_url() not in _text(page)


def test_search_for_public_text_finds_the_demand(canary_demand, client):
    page = _text(client.get(reverse("demands:list"), {"q": "涂层"}))

    assert list(search.search(public_demands(), "涂层")) == [
        Demand.objects.get(pk=canary_demand.pk)]
    assert canary_demand.get_absolute_url() in page
    assert PUBLIC_NAME in page
    assert_no_leak(page, "search results")


def test_list_page_shows_substitute_only(canary_demand, client, stranger):
    anonymous = _text(client.get(reverse("demands:list")))
    client.force_login(stranger)
    signed_in = _text(client.get(reverse("demands:list")))

    for page, who in ((anonymous, "anonymous list"), (signed_in, "signed-in list")):
        assert PUBLIC_NAME in page
        assert canary_demand.get_absolute_url() in page
        assert_no_leak(page, who)


def test_detail_page_shows_substitute_only(canary_demand, client, challenger):
    url = canary_demand.get_absolute_url()
    anonymous = _text(client.get(url))
    client.force_login(challenger)
    not_granted = _text(client.get(url))

    for page, who in ((anonymous, "anonymous detail"), (not_granted, "challenger detail")):
        assert PUBLIC_NAME in page
        assert REDACTION_MARK in page
        assert "涂层在1100℃热循环500次后剥落" in page
        assert_no_leak(page, who)


@pytest.mark.parametrize("feed", ["feed", "feed_atom", "feed_national", "feed_event",
                                  "feed_field"])
def test_feeds_show_substitute_only(canary_demand, client, torch_staff, feed):
    set_national(canary_demand, actor=torch_staff)
    kwargs = {"feed_event": {"number": canary_demand.host_unit.event.number},
              "feed_field": {"code": canary_demand.industry_field.code}}.get(feed, {})

    page = _text(client.get(reverse(f"demands:{feed}", kwargs=kwargs)))

    assert PUBLIC_NAME in page
    assert canary_demand.ref in page
    assert_no_leak(page, feed)


def test_sitemap_lists_the_demand_and_nothing_hidden(canary_demand, client):
    page = _text(client.get("/sitemap.xml"))

    assert canary_demand.get_absolute_url() in page
    assert_no_leak(page, "sitemap")


def test_export_has_substitute_only(canary_demand, client):
    response = client.get(reverse("demands:export"))
    text = _text(response)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))

    assert response["Content-Type"].startswith("text/csv")
    assert [row[0] for row in rows[1:]] == [canary_demand.ref]
    assert PUBLIC_NAME in rows[1]
    assert_no_leak(text, "export")


def test_home_page_national_list_shows_substitute_only(canary_demand, client, torch_staff):
    set_national(canary_demand, actor=torch_staff)

    page = _text(client.get(reverse("home")))

    assert PUBLIC_NAME in page
    assert canary_demand.get_absolute_url() in page
    assert_no_leak(page, "home page")


def test_hidden_values_written_into_free_text_are_redacted_too(host_unit, new_materials,
                                                                demand_owner):
    from tests.factories.demands import DemandFactory

    demand = DemandFactory(
        host_unit=host_unit, industry_field=new_materials, status="published",
        contact_person="雀鸣远CANARYP", contact_mobile="13912345678",
        key_problem="详情请联系雀鸣远CANARYP，电话13912345678。",
        hidden_fields=[HideableField.CONTACT_PERSON, HideableField.PHONE],
    )

    projection = project(demand)

    assert "CANARYP" not in projection.key_problem
    assert "13912345678" not in projection.key_problem
    assert projection.key_problem == f"详情请联系{REDACTION_MARK}，电话{REDACTION_MARK}。"


def test_push_email_built_from_the_projection_hides_everything(canary_demand, stranger):
    from notifications.models import OutboundEmail
    from notifications.services import notify

    projection = project(canary_demand)
    notify(recipient=stranger, kind="demand.published", context=projection.push_context(),
           idempotency_key=f"demand-published-{canary_demand.pk}", url=projection.url)

    email = OutboundEmail.objects.get(recipient=stranger)
    text = f"{email.subject}\n{email.body}"
    assert projection.title in text
    assert canary_demand.get_absolute_url() in email.body
    assert projection.push_context()["public_name"] == PUBLIC_NAME
    assert_no_leak(text, "push e-mail")
    assert_no_leak(json.dumps(projection.push_context(), ensure_ascii=False), "push context")
