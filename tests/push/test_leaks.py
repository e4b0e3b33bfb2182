"""Nothing the owner hid reaches a push: every hideable field of the demand holds a canary and
a passage is marked; inbox lines, e-mails (immediate and digest) and webhook payloads are
checked for all of them, and for the public substitute, so the test knows it is looking at
the demand."""

import json

import pytest

from notifications.enums import DeliveryMode
from notifications.models import Notification, OutboundEmail
from notifications.services import build_digests
from push import webhooks
from push.fanout import fan_out
from push.models import WebhookDelivery
from tests.demands.public_support import *  # noqa: F403 (canary_demand and its fixtures)
from tests.demands.public_support import PUBLIC_NAME, assert_no_leak
from tests.factories.notifications import NotificationPreferenceFactory
from tests.push.push_support import WebhookReceiver, subscriber

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    server = WebhookReceiver().start()
    yield server
    server.stop()


def test_push_of_a_demand_with_hidden_values_shows_only_the_substitute(
        canary_demand, new_materials, receiver, mailoutbox, django_capture_on_commit_callbacks):
    at_once = subscriber(fields=[new_materials], language="zh-hans")
    NotificationPreferenceFactory(user=at_once, kind="demand.published",
                                  mode=DeliveryMode.IMMEDIATE)
    daily = subscriber(regions=["610000"], language="en")
    by_keyword = subscriber(keywords=["涂层"])
    webhook = webhooks.create_webhook(actor=None, name="合作媒体", url=receiver.url)

    with django_capture_on_commit_callbacks(execute=True):
        assert fan_out(canary_demand.pk) == 3
    with django_capture_on_commit_callbacks(execute=True):
        build_digests()

    lines = list(Notification.objects.filter(kind="demand.published")
                 .values_list("recipient_id", "text", "url"))
    assert sorted(recipient for recipient, _text, _url in lines) == sorted(
        [at_once.pk, daily.pk, by_keyword.pk])
    for _recipient, text, url in lines:
        assert_no_leak(text + url, "an inbox line")
        assert PUBLIC_NAME in text
    for subject, body in OutboundEmail.objects.values_list("subject", "body"):
        assert_no_leak(subject + body, "an outbound e-mail")
    assert len(mailoutbox) == 3  # one at once, two digests
    for message in mailoutbox:
        assert_no_leak(message.subject + message.body, "a sent e-mail")
    immediate = next(m for m in mailoutbox if m.to == [at_once.email])
    assert PUBLIC_NAME in immediate.body
    assert canary_demand.public_snapshot["title"] in immediate.body

    stored = WebhookDelivery.objects.get(webhook=webhook).payload
    assert_no_leak(json.dumps(stored, ensure_ascii=False), "a stored webhook payload")
    assert stored["data"]["demand"]["public_name"] == PUBLIC_NAME
    [request] = receiver.requests
    sent = request["body"].decode("utf-8")
    assert_no_leak(sent, "a webhook request")
    assert_no_leak(json.dumps(request["headers"], ensure_ascii=False), "webhook headers")
    assert PUBLIC_NAME in sent
