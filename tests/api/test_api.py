"""The open-data API: published demands from the public projection only, events, host units
with stage dates, notices; filters, cursors, 304s, updated_since, throttling, CORS, keys."""

import json
from datetime import timedelta

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from api.models import ApiKey, ApiKeyUsage
from api.services import issue_key, revoke_key
from audit.models import ActivityLog
from contests.enums import Stage, WorkPlanState
from demands.enums import CooperationMode, DemandStatus
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import (
    CANARIES,
    CANARY_VARIANTS,
    HIDDEN_PASSAGE,
    PUBLIC_NAME,
    assert_no_leak,
    publish,
)
from tests.factories.contests import (
    ChallengeNoticeFactory,
    HostUnitFactory,
    WorkPlanFactory,
    WorkPlanStageFactory,
)
from tests.factories.demands import DemandFactory

LIST = "/api/v1/demands/"


def _json(response):
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


@pytest.fixture
def published(host_unit, demand_owner):
    """Three published demands, oldest first, a minute apart."""
    rows = []
    start = timezone.now() - timedelta(hours=1)
    for number in range(3):
        demand = DemandFactory(host_unit=host_unit, created_by=demand_owner,
                               status=DemandStatus.PUBLISHED,
                               published_at=start + timedelta(minutes=number))
        rows.append(publish(demand))
    return rows


def test_list_reads_the_projection_and_pages_by_cursor(client, published):
    first = _json(client.get(LIST, {"limit": 2}))
    assert [row["ref"] for row in first["results"]] == [published[2].ref, published[1].ref]
    row = first["results"][0]
    snapshot = published[2].public_snapshot
    assert set(row) == (set(snapshot) - {"snapshot_format"}) | {"api_url", "updated_at"}
    for name in ("title", "public_name", "key_problem", "keywords", "budget", "event_name"):
        assert row[name] == snapshot[name]
    assert row["url"].startswith("http://") and row["url"].endswith(f"/demands/{row['ref']}/")
    assert row["contact_mobile"] == "138****8000"
    assert "snapshot_format" not in row
    assert first["next"]
    second = _json(client.get(first["next"]))
    assert [row["ref"] for row in second["results"]] == [published[0].ref]
    assert second["next"] is None


def test_a_demand_published_between_pages_neither_repeats_nor_is_skipped(client, published,
                                                                         host_unit):
    first = _json(client.get(LIST, {"limit": 2}))
    publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED))
    second = _json(client.get(first["next"]))
    assert [row["ref"] for row in second["results"]] == [published[0].ref]


def test_a_bad_cursor_or_limit_is_a_400_in_json(client, published):
    for params in ({"cursor": "!!!"}, {"cursor": "eyJhdCI6IDF9"}, {"limit": "0"},
                   {"limit": "abc"}, {"updated_since": "yesterday"}, {"state": "maybe"}):
        response = client.get(LIST, params)
        assert response.status_code == 400, params
        assert _json(response)


def test_filters_are_the_list_pages(client, published, other_host_unit):
    other = publish(DemandFactory(host_unit=other_host_unit, status=DemandStatus.PUBLISHED,
                                  cooperation_modes=[CooperationMode.LICENSE]))
    closed = published[0]
    closed.status = DemandStatus.CLOSED
    closed.closed_at = timezone.now()
    closed.save(update_fields=["status", "closed_at"])
    publish(closed)

    def refs(**params):
        return {row["ref"] for row in _json(client.get(LIST, params))["results"]}

    assert refs(host=other_host_unit.slug) == {other.ref}
    assert refs(mode=CooperationMode.LICENSE) == {other.ref}
    assert refs(state="closed") == {closed.ref}
    assert closed.ref not in refs(state="open")
    assert refs(event=other_host_unit.event.number) >= {other.ref}
    assert refs(field=other.industry_field.code) == {other.ref}


def test_q_uses_the_portal_search_title_first(client, host_unit):
    body_only = publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED,
                                      title="轴承寿命预测", keywords=["轴承"],
                                      key_problem="轴承表面涂层在高速下磨损过快。"))
    titled = publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED,
                                   title="耐磨涂层工艺改进", keywords=["耐磨"],
                                   published_at=timezone.now() - timedelta(days=3)))
    publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED,
                          title="机器视觉检测", keywords=["视觉"]))
    results = _json(client.get(LIST, {"q": "涂层"}))["results"]
    assert [row["ref"] for row in results] == [titled.ref, body_only.ref]


def test_the_hidden_never_reaches_the_api(client, canary_demand):
    texts = [client.get(LIST).content.decode(),
             client.get(f"{LIST}{canary_demand.ref}/").content.decode()]
    for canary in [*map(str, CANARIES.values()), *CANARY_VARIANTS, HIDDEN_PASSAGE]:
        texts.append(client.get(LIST, {"q": canary}).content.decode())
    for text in texts[:2]:
        assert PUBLIC_NAME in text
    for number, text in enumerate(texts):
        assert_no_leak(text, f"API answer #{number}")
    for text in texts[2:]:
        assert canary_demand.ref not in text


def test_unknown_ref_and_unknown_path_are_json_404(client, published):
    for path in ("/api/v1/demands/9-99-9999/", "/api/v1/demands/nope/", "/api/v1/events/999/",
                 "/api/v1/host-units/nowhere/", "/api/v1/notices/999999/", "/api/v1/nothing/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "detail" in _json(response)


def test_a_draft_is_not_in_the_api(client, host_unit):
    draft = DemandFactory(host_unit=host_unit)
    assert client.get(f"{LIST}{draft.ref}/").status_code == 404
    assert _json(client.get(LIST))["results"] == []


def test_etag_and_last_modified_answer_304_until_something_is_published(client, published,
                                                                        host_unit):
    response = client.get(LIST)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get(LIST, {"limit": 1}, HTTP_IF_NONE_MATCH=etag).status_code == 200
    old = http_date((timezone.now() - timedelta(days=1)).timestamp())
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=old).status_code == 200
    publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED))
    fresh = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    assert len(_json(fresh)["results"]) == 4


def test_updated_since_returns_what_changed_oldest_change_first(client, published):
    cut = timezone.now()
    changed = published[0]
    with TestCase.captureOnCommitCallbacks(execute=True):
        from demands.public.projection import refresh_public_index

        refresh_public_index(changed)
    rows = _json(client.get(LIST, {"updated_since": cut.isoformat()}))["results"]
    assert [row["ref"] for row in rows] == [changed.ref]
    everything = _json(client.get(LIST, {"updated_since": "2000-01-01"}))["results"]
    assert len(everything) == 3
    stamps = [row["updated_at"] for row in everything]
    assert stamps == sorted(stamps)


def test_cors_for_get_and_preflight(client, published):
    response = client.get(LIST, HTTP_ORIGIN="https://media.example.com")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    preflight = client.options(LIST, HTTP_ORIGIN="https://media.example.com",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 200
    assert "X-Api-Key" in preflight["Access-Control-Allow-Headers"]
    assert client.post(LIST, {}).status_code == 405


def test_anonymous_clients_are_throttled_per_address(client, settings, published):
    settings.API_ANONYMOUS_RATE = "3/min"
    for _ in range(3):
        assert client.get(LIST).status_code == 200
    throttled = client.get(LIST)
    assert throttled.status_code == 429 and throttled["Retry-After"]
    assert client.get(LIST, REMOTE_ADDR="10.0.0.7").status_code == 200
    # The header is not trusted without a trusted proxy: it cannot pick a fresh bucket.
    assert client.get(LIST, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_a_key_raises_the_limit_and_counts_its_use(client, settings, published, torch_staff):
    settings.API_ANONYMOUS_RATE = "2/min"
    key, raw = issue_key(actor=torch_staff, partner="科技日报", rate_per_minute=5)
    assert raw.startswith("cp_") and raw not in {key.key_hash, key.prefix}
    for _ in range(5):
        assert client.get(LIST, HTTP_X_API_KEY=raw).status_code == 200
    assert client.get(LIST, HTTP_X_API_KEY=raw).status_code == 429
    assert client.get(LIST, HTTP_AUTHORIZATION=f"Api-Key {raw}").status_code == 429
    assert client.get(LIST).status_code == 200  # anonymous: its own bucket
    key.refresh_from_db()
    assert key.request_count == 7 and key.last_used_at
    assert ApiKeyUsage.objects.get(key=key).requests == 7


def test_a_wrong_or_revoked_key_is_refused(client, published, torch_staff):
    key, raw = issue_key(actor=torch_staff, partner="新华网")
    assert client.get(LIST, HTTP_X_API_KEY="cp_nope").status_code == 401
    with TestCase.captureOnCommitCallbacks(execute=True):
        revoke_key(key, actor=torch_staff)
    response = client.get(LIST, HTTP_X_API_KEY=raw)
    assert response.status_code == 401 and "detail" in _json(response)


def test_keys_are_torch_staffs_audited_and_notified(torch_staff, host_organiser):
    from common.errors import DomainError
    from notifications.models import Notification

    with pytest.raises(DomainError):
        issue_key(actor=host_organiser, partner="x")
    with TestCase.captureOnCommitCallbacks(execute=True):
        key, _raw = issue_key(actor=torch_staff, partner="人民网")
        revoke_key(key, actor=torch_staff)
    assert list(ActivityLog.objects.filter(action__startswith="portal.api.")
                .values_list("action", flat=True).order_by("pk")) == [
        "portal.api.key_issued", "portal.api.key_revoked"]
    assert Notification.objects.filter(kind="api.key_changed", recipient=torch_staff).count() == 2


def test_the_keys_page_issues_shows_once_and_revokes(client, torch_staff, host_organiser):
    client.force_login(host_organiser)
    assert client.get(reverse("api:keys")).status_code == 404
    client.force_login(torch_staff)
    response = client.post(reverse("api:keys"), {"partner": "中国科技网",
                                                 "rate_per_minute": "900"})
    assert response.status_code == 200
    key = ApiKey.objects.get()
    text = response.content.decode()
    raw = text.split('<code class="secret">')[1].split("<")[0]
    assert raw.startswith(f"cp_{key.prefix}_")
    assert raw not in client.get(reverse("api:keys")).content.decode()
    assert client.post(reverse("api:keys"), {"partner": ""}).status_code == 400
    response = client.post(reverse("api:key_revoke", args=[key.pk]))
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_events_host_units_with_stages_and_notices(client, host_unit, torch_staff):
    plan = WorkPlanFactory(host_unit=host_unit, state=WorkPlanState.APPROVED)
    WorkPlanStageFactory(work_plan=plan, stage=Stage.DEMAND_COLLECTION,
                         starts_on=timezone.localdate(),
                         ends_on=timezone.localdate() + timedelta(days=30))
    draft_plan_unit = HostUnitFactory(event=host_unit.event)
    WorkPlanStageFactory(work_plan=WorkPlanFactory(host_unit=draft_plan_unit),
                         stage=Stage.DEMAND_COLLECTION)
    notice = ChallengeNoticeFactory(host_unit=host_unit, published=True, title="挑战须知一")
    hidden = ChallengeNoticeFactory(host_unit=host_unit, title="未发布须知")

    events = _json(client.get("/api/v1/events/"))["results"]
    assert host_unit.event.number in [event["number"] for event in events]
    event = _json(client.get(f"/api/v1/events/{host_unit.event.number}/"))
    assert host_unit.slug in [unit["slug"] for unit in event["host_units"]]

    units = {unit["slug"]: unit for unit in _json(client.get("/api/v1/host-units/"))["results"]}
    assert [row["stage"] for row in units[host_unit.slug]["stages"]] == ["demand_collection"]
    assert units[draft_plan_unit.slug]["stages"] == []
    assert _json(client.get(f"/api/v1/host-units/{host_unit.slug}/"))["stages"]

    notices = _json(client.get("/api/v1/notices/"))["results"]
    assert [row["id"] for row in notices] == [notice.pk]
    assert _json(client.get(f"/api/v1/notices/{notice.pk}/"))["title"] == "挑战须知一"
    assert client.get(f"/api/v1/notices/{hidden.pk}/").status_code == 404
    assert _json(client.get("/api/v1/notices/", {"host": "elsewhere"}))["results"] == []


def test_index_lists_every_resource(client, db):
    from api.resources import resources

    index = _json(client.get("/api/v1/"))
    assert set(index["resources"]) == {resource.name for resource in resources()}
    for url in index["resources"].values():
        assert client.get(url).status_code == 200
