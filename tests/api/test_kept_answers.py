"""The API's whole answers kept in the page cache: an anonymous plain GET is served from the
kept bytes (no query, no framework rendering), yet it is throttled in the same bucket, a change
is seen at once, and a partner key's use is still counted."""

import json
from datetime import timedelta

from django.utils import timezone

from api.services import issue_key
from demands.enums import DemandStatus
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import publish
from tests.factories.demands import DemandFactory

LIST = "/api/v1/demands/"


def _published(host_unit, count=2):
    start = timezone.now() - timedelta(hours=1)
    return [publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED,
                                  published_at=start + timedelta(minutes=number)))
            for number in range(count)]


def test_a_repeated_get_is_the_kept_answer_without_a_query(client, host_unit, monkeypatch,
                                                          django_assert_num_queries):
    from rest_framework.views import APIView

    _published(host_unit, count=3)
    first = client.get(LIST, {"limit": 2})

    def framework(*args, **kwargs):
        raise AssertionError("a kept answer is served before the framework's machinery")

    monkeypatch.setattr(APIView, "initial", framework)
    with django_assert_num_queries(0):
        again = client.get(LIST, {"limit": 2})
    assert again.status_code == 200 and again.content == first.content
    for header in ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "Link",
                   "Access-Control-Allow-Origin"):
        assert again[header] == first[header], header


def test_a_kept_answer_counts_against_the_clients_rate(client, settings, host_unit):
    _published(host_unit)
    settings.API_ANONYMOUS_RATE = "3/min"
    assert [client.get(LIST).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(LIST, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_change_is_seen_at_once(client, host_unit):
    _published(host_unit)
    before = [row["ref"] for row in json.loads(client.get(LIST).content)["results"]]
    newest = publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED,
                                   published_at=timezone.now()))
    after = [row["ref"] for row in json.loads(client.get(LIST).content)["results"]]
    assert after == [newest.ref, *before]


def test_a_partner_keys_use_is_counted_when_the_answer_is_kept(client, host_unit,
                                                              torch_staff):
    _published(host_unit)
    key, raw = issue_key(actor=torch_staff, partner="科技日报", rate_per_minute=5)
    client.get(LIST)
    client.get(LIST)  # kept now
    assert client.get(LIST, HTTP_X_API_KEY=raw).status_code == 200
    key.refresh_from_db()
    assert key.request_count == 1


def test_a_conditional_request_still_gets_304(client, host_unit):
    _published(host_unit)
    first = client.get(LIST)
    client.get(LIST)
    assert client.get(LIST, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
