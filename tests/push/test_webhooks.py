"""Webhooks: one signed delivery per publication and webhook, retried with backoff and finally
failed and visible, refused for private addresses; the Torch Center's page."""

import json
import socket
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import ActivityLog
from notifications.relay import Outcome
from push import webhooks
from push.enums import DeliveryState
from push.fanout import fan_out
from push.models import Webhook, WebhookAttempt, WebhookDelivery
from tests.factories.contests import IndustryFieldFactory
from tests.push.push_support import WebhookReceiver, published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages in English, whatever catalog is compiled (torch_client is this client)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def receiver():
    server = WebhookReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def field():
    return IndustryFieldFactory(code="new-energy", name="新能源汽车")


@pytest.fixture
def demand(field):
    return published(industry_field=field, region="610113")


def _webhook(url, *, fields=(), name="科技日报"):
    return webhooks.create_webhook(actor=None, name=name, url=url, fields=fields)


def _delivery(demand, webhook):
    return WebhookDelivery.objects.get(demand=demand, webhook=webhook)


# --- delivery and signature -------------------------------------------------------------------
def test_delivery_is_signed_with_the_webhooks_secret(demand, receiver,
                                                     django_capture_on_commit_callbacks):
    webhook = _webhook(receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        fan_out(demand.pk)

    delivery = _delivery(demand, webhook)
    assert delivery.state == DeliveryState.DELIVERED
    assert delivery.idempotency_key == f"webhook:{webhook.pk}:demand.published:{demand.pk}"
    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/hooks/portal"
    assert webhooks.verify_signature(webhook.secret, body, headers["X-Portal-Signature"])
    assert not webhooks.verify_signature("another secret", body, headers["X-Portal-Signature"])
    assert not webhooks.verify_signature(webhook.secret, body + b" ",
                                         headers["X-Portal-Signature"])
    assert headers["X-Portal-Event"] == "demand.published"
    assert headers["X-Portal-Delivery"] == str(delivery.uuid)
    document = json.loads(body)
    assert document["delivery"] == str(delivery.uuid)
    assert str(document["timestamp"]) == headers["X-Portal-Timestamp"]
    assert document["data"]["demand"]["ref"] == demand.ref
    assert document["data"]["demand"]["title"] == demand.public_snapshot["title"]
    assert document["data"]["demand"]["link"].endswith(f"/demands/{demand.ref}/")
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert (attempt.number, attempt.status_code, attempt.succeeded, attempt.error) == (
        1, 200, True, "")


def test_publication_queued_twice_gives_each_webhook_one_delivery(demand, receiver):
    webhook = _webhook(receiver.url)
    from demands.public.projection import for_projection, project

    loaded = for_projection(type(demand).objects.filter(pk=demand.pk)).get()
    for _run in range(2):
        assert webhooks.queue_publication(loaded, project(loaded)) == 1

    assert WebhookDelivery.objects.filter(webhook=webhook).count() == 1


def test_field_filter_picks_the_webhooks_of_the_demands_field(demand, field, receiver):
    everything = _webhook(receiver.url, name="全部")
    same_field = _webhook(receiver.url, fields=[field], name="新能源")
    other_field = _webhook(receiver.url, name="生物医药",
                           fields=[IndustryFieldFactory(code="bio", name="生物医药")])
    disabled = _webhook(receiver.url, name="停用")
    webhooks.set_active(disabled, False, actor=None)

    fan_out(demand.pk)

    assert set(WebhookDelivery.objects.values_list("webhook_id", flat=True)) == {
        everything.pk, same_field.pk}
    assert other_field.deliveries.count() == 0


# --- retries ----------------------------------------------------------------------------------
def test_failing_endpoint_is_retried_with_backoff_then_failed_and_visible(
        demand, settings, torch_client, torch_staff, django_capture_on_commit_callbacks):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_RETRY_BASE = 30
    server = WebhookReceiver(statuses=[500]).start()
    try:
        webhook = _webhook(server.url)
        fan_out(demand.pk)
        delivery = _delivery(demand, webhook)
        start = timezone.now()

        assert webhooks.deliver(delivery.pk, now=start) == Outcome.RETRY
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == start + timedelta(seconds=30)
        assert webhooks.deliver(delivery.pk, now=start + timedelta(seconds=29)) == (
            Outcome.SKIPPED)  # not due yet
        second = start + timedelta(seconds=30)
        assert webhooks.deliver(delivery.pk, now=second) == Outcome.RETRY
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == second + timedelta(seconds=60)  # doubled
        assert webhooks.deliver(delivery.pk, now=second + timedelta(seconds=60)) == (
            Outcome.FAILED)
        assert webhooks.deliver(delivery.pk, now=second + timedelta(days=1)) == Outcome.SKIPPED
    finally:
        server.stop()

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code, delivery.last_error) \
        == (DeliveryState.FAILED, 3, 500, "HTTP 500")
    attempts = list(delivery.attempt_log.values_list("number", "status_code", "succeeded"))
    assert attempts == [(1, 500, False), (2, 500, False), (3, 500, False)]
    assert len(server.requests) == 3
    assert len({request["headers"]["X-Portal-Delivery"] for request in server.requests}) == 1

    # Staff see it in admin, with its attempts, and on the Torch page, with a retry.
    changelist = reverse("admin:push_webhookdelivery_changelist")
    page = torch_client.get(changelist + "?state__exact=failed").content.decode()
    assert "HTTP 500" in page and demand.ref in page
    change = torch_client.get(reverse("admin:push_webhookdelivery_change",
                                      args=[delivery.pk])).content.decode()
    assert change.count("500") >= 3
    detail = torch_client.get(reverse("notifications:webhook_detail",
                                      args=[webhook.pk])).content.decode()
    assert reverse("notifications:webhook_delivery_retry", args=[webhook.pk, delivery.pk]) \
        in detail

    with django_capture_on_commit_callbacks(execute=False):
        torch_client.post(changelist, {"action": "retry", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.PENDING, 0)
    log = ActivityLog.objects.get(action="portal.notifications.webhook_retry")
    assert (log.actor, log.from_state, log.to_state) == (torch_staff, "failed", "pending")


def test_unreachable_endpoint_records_the_error_and_retries(demand):
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    webhook = _webhook(f"http://127.0.0.1:{port}/hook")
    fan_out(demand.pk)
    delivery = _delivery(demand, webhook)

    assert webhooks.deliver(delivery.pk) == Outcome.RETRY

    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.status_code is None
    assert "ConnectionRefused" in attempt.error
    assert not attempt.succeeded


def test_staff_retry_sends_a_failed_delivery_again(demand, receiver, torch_client):
    webhook = _webhook(receiver.url)
    fan_out(demand.pk)
    delivery = _delivery(demand, webhook)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.FAILED,
                                                          attempts=8)

    response = torch_client.post(reverse("notifications:webhook_delivery_retry",
                                         args=[webhook.pk, delivery.pk]))
    assert response.status_code == 302
    webhooks.sweep(time_budget=10)

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.DELIVERED, 1)
    assert len(receiver.requests) == 1


def test_disabled_webhook_ends_its_waiting_deliveries_as_failed(demand, receiver):
    webhook = _webhook(receiver.url)
    fan_out(demand.pk)
    webhooks.set_active(webhook, False, actor=None)

    assert webhooks.deliver(_delivery(demand, webhook).pk) == Outcome.FAILED
    assert _delivery(demand, webhook).last_error == "The webhook is disabled."
    assert receiver.requests == []


# --- server-side request forgery --------------------------------------------------------------
@pytest.mark.parametrize("url", [
    "https://127.0.0.1/hook",
    "https://localhost/hook",
    "https://10.1.2.3/hook",
    "https://172.16.0.1/hook",
    "https://192.168.1.20/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/hook",
    "https://0.0.0.0/hook",
    "https://[::1]/hook",
    "https://[fd00::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://2130706433/hook",  # 127.0.0.1 as a number
])
def test_ssrf_guard_refuses_private_and_loopback_addresses(url, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False

    with pytest.raises(ValidationError) as refused:
        webhooks.check_url(url)
    assert refused.value.code == "private"


def test_ssrf_guard_accepts_a_public_https_address(settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    settings.WEBHOOK_ALLOW_HTTP = False

    webhooks.check_url("https://93.184.216.34/hooks/portal")  # a public address, no DNS needed


@pytest.mark.parametrize(("url", "code"), [
    ("http://93.184.216.34/hook", "scheme"),
    ("ftp://93.184.216.34/hook", "scheme"),
    ("https://user:secret@93.184.216.34/hook", "credentials"),
    ("https:///hook", "invalid"),
    ("https://93.184.216.34:99999/hook", "invalid"),
])
def test_production_accepts_https_without_credentials_only(url, code, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    settings.WEBHOOK_ALLOW_HTTP = False

    with pytest.raises(ValidationError) as refused:
        webhooks.check_url(url)
    assert refused.value.code == code


def test_ssrf_guard_applies_again_when_sending(demand, receiver, settings):
    webhook = _webhook(receiver.url)  # allowed while registering (development settings)
    fan_out(demand.pk)
    settings.WEBHOOK_ALLOW_PRIVATE = False

    assert webhooks.deliver(_delivery(demand, webhook).pk) == Outcome.FAILED

    delivery = _delivery(demand, webhook)
    assert delivery.attempts == 1
    assert delivery.last_error.startswith("Refused:")
    assert receiver.requests == []


# --- the Torch Center's page ------------------------------------------------------------------
def test_webhook_pages_are_for_torch_staff_only(client, stranger, host_organiser, receiver,
                                               with_totp):
    webhook = _webhook(receiver.url)
    urls = [reverse("notifications:webhooks"), reverse("notifications:webhook_create"),
            reverse("notifications:webhook_detail", args=[webhook.pk])]
    for user in (stranger, with_totp(host_organiser)):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404
        assert client.post(reverse("notifications:webhook_toggle", args=[webhook.pk]),
                           {"active": "0"}).status_code == 404
    assert Webhook.objects.get(pk=webhook.pk).active


def test_torch_staff_register_a_webhook_and_see_its_secret(torch_client, torch_staff, field,
                                                           receiver):
    response = torch_client.post(reverse("notifications:webhook_create"), {
        "name": "中国高新技术产业导报", "url": receiver.url, "fields": [field.pk]})

    webhook = Webhook.objects.get()
    assert response.headers["Location"] == reverse("notifications:webhook_detail",
                                                   args=[webhook.pk])
    assert (webhook.name, webhook.url, webhook.active, webhook.created_by) == (
        "中国高新技术产业导报", receiver.url, True, torch_staff)
    assert list(webhook.fields.all()) == [field]
    assert len(webhook.secret) >= 40
    page = torch_client.get(response.headers["Location"]).content.decode()
    assert webhook.secret in page
    assert ActivityLog.objects.filter(action="portal.notifications.webhook_created").exists()
    listing = torch_client.get(reverse("notifications:webhooks")).content.decode()
    assert "中国高新技术产业导报" in listing


def test_private_address_is_refused_and_the_form_keeps_the_input(torch_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False

    response = torch_client.post(reverse("notifications:webhook_create"), {
        "name": "内网测试", "url": "https://192.168.0.10/hook"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "private, loopback or reserved network" in page
    assert 'value="内网测试"' in page and "https://192.168.0.10/hook" in page
    assert not Webhook.objects.exists()


def test_torch_staff_disable_and_enable_a_webhook(torch_client, torch_staff, receiver):
    webhook = _webhook(receiver.url)

    torch_client.post(reverse("notifications:webhook_toggle", args=[webhook.pk]),
                      {"active": "0"})
    webhook.refresh_from_db()
    assert not webhook.active
    torch_client.post(reverse("notifications:webhook_toggle", args=[webhook.pk]),
                      {"active": "1"})
    webhook.refresh_from_db()
    assert webhook.active
    assert list(ActivityLog.objects.filter(action__startswith="portal.notifications.webhook_")
                .order_by("pk").values_list("action", flat=True)) == [
        "portal.notifications.webhook_created", "portal.notifications.webhook_disabled",
        "portal.notifications.webhook_enabled"]


def _queries_of_get(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_webhook_list_costs_the_same_queries_for_one_or_three(torch_client, receiver):
    url = reverse("notifications:webhooks")
    _webhook(receiver.url, name="一")
    torch_client.get(url)  # the session and the user's roles warm up

    one = _queries_of_get(torch_client, url)
    _webhook(receiver.url, name="二", fields=[IndustryFieldFactory()])
    _webhook(receiver.url, name="三")

    assert _queries_of_get(torch_client, url) == one


def test_admin_registers_a_webhook_through_the_url_check(torch_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    add = reverse("admin:push_webhook_add")

    refused = torch_client.post(add, {"name": "内网", "url": "https://10.0.0.8/x",
                                      "active": "on"})
    accepted = torch_client.post(add, {"name": "公网", "url": "https://93.184.216.34/x",
                                       "active": "on"})

    assert refused.status_code == 200
    assert "private, loopback or reserved network" in refused.content.decode()
    assert accepted.status_code == 302
    assert list(Webhook.objects.values_list("name", flat=True)) == ["公网"]
