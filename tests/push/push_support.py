"""Helpers of the push tests: published demands, subscribers in bulk, a local webhook
receiver."""

import http.server
import json
import threading
from collections import deque

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from demands.enums import DemandStatus
from demands.models import Demand
from demands.public.projection import refresh_public_index
from notifications.models import Notification, OutboundEmail
from push.models import Subscription, SubscriptionKeyword, SubscriptionRegion
from push.subscriptions import create_subscription, keyword_anchor
from tests.factories.accounts import UserFactory
from tests.factories.demands import DemandFactory


def published(**fields):
    """A published demand, indexed as the publishing service leaves it (snapshot and search
    columns written from its projection)."""
    demand = DemandFactory(status=DemandStatus.PUBLISHED, **fields)
    refresh_public_index(demand)
    demand.refresh_from_db()
    return demand


def subscriber(*, fields=(), regions=(), keywords=(), **user_fields):
    """A user with one subscription."""
    user = UserFactory(**user_fields)
    create_subscription(user, fields=fields, regions=regions, keywords=keywords)
    return user


def bulk_subscribers(count, *, field=None, region="", keyword="", prefix="bulk"):
    """``count`` users with one subscription each, written in bulk (no per-user queries),
    their ids ascending."""
    User = get_user_model()
    users = User.objects.bulk_create([
        User(email=f"{prefix}{n}@subscribers.example.cn", full_name=f"订阅者{n}",
             language="zh-hans", password="!")
        for n in range(count)
    ])
    if users[0].pk is None:  # backends that do not return ids from a bulk insert
        users = list(User.objects.filter(email__startswith=prefix).order_by("pk"))
    subscriptions = Subscription.objects.bulk_create([
        Subscription(user=user, regions=[region] if region else [],
                     keywords=[keyword] if keyword else [])
        for user in users
    ])
    if subscriptions[0].pk is None:
        subscriptions = list(Subscription.objects.filter(user__in=users).order_by("pk"))
    if field is not None:
        Subscription.fields.through.objects.bulk_create([
            Subscription.fields.through(subscription_id=s.pk, industryfield_id=field.pk)
            for s in subscriptions])
    if region:
        SubscriptionRegion.objects.bulk_create([
            SubscriptionRegion(subscription=s, code=region) for s in subscriptions])
    if keyword:
        SubscriptionKeyword.objects.bulk_create([
            SubscriptionKeyword(subscription=s, keyword=keyword, anchor=keyword_anchor(keyword))
            for s in subscriptions])
    return users


def notified_user_ids(demand):
    """Recipients of ``demand``'s publication, one entry per inbox line (duplicates show)."""
    return sorted(Notification.objects.filter(
        kind="demand.published",
        target_content_type=ContentType.objects.get_for_model(Demand),
        target_object_id=str(demand.pk)).values_list("recipient_id", flat=True))


def emails_of(demand):
    return OutboundEmail.objects.filter(kind="demand.published",
                                        idempotency_key__endswith=f":demand:{demand.pk}")


class WebhookReceiver:
    """A tiny HTTP server on 127.0.0.1 in a thread: records every request and answers with the
    next status of ``statuses`` (the last one repeats)."""

    def __init__(self, statuses=(200,)):
        self.requests = []
        self.statuses = deque(statuses)
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": body})
                status = (receiver.statuses.popleft() if len(receiver.statuses) > 1
                          else receiver.statuses[0])
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/portal"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def json(self, index=-1):
        return json.loads(self.requests[index]["body"].decode("utf-8"))
