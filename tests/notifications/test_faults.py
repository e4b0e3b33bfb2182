"""Faults around the broker, the worker and beat, with our own redis-server (append-only, on a
free port), a real Celery worker and a real beat in subprocesses (see test_worker.py):

1. the broker is down while demands are published and solutions submitted: the requests
   succeed, the e-mails wait in the outbox;
2. the broker comes back, a worker starts sending and is SIGKILLed in the middle of an e-mail;
3. another worker runs while Redis is restarted under it, and beat is restarted;
4. afterwards every e-mail is sent exactly once (counted by Message-ID in the mail files),
   every subscriber's inbox holds each publication once (the fan-out's entries) and the
   partner's webhook received each publication once (counted by delivery id at the receiver).
"""

import os
import signal
import socket
import subprocess
import time
from collections import Counter

import pytest
import redis
from django.conf import settings
from django.urls import reverse

from demands.enums import DemandStatus
from demands.services import workflow
from notifications import outbox
from notifications.enums import EmailState
from notifications.models import OutboundEmail
from push import webhooks
from push.enums import DeliveryState
from push.models import WebhookDelivery
from solutions.enums import SolutionStatus
from solutions.models import Solution
from solutions.services import solutions as solution_services
from tests.factories.accounts import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    sign_current_agreements,
)
from tests.factories.contests import HostMembershipFactory, HostUnitFactory
from tests.factories.demands import DemandFactory
from tests.push.push_support import WebhookReceiver, bulk_subscribers, notified_user_ids

from .conftest import _reset_producer_pool
from .test_worker import CELERY, FAST_REDELIVERY, Worker, database_url, sent_copies, wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services,
              pytest.mark.fault, pytest.mark.xdist_group("celery-worker")]

# The sweep every 2 s, so that beat's part shows within the test's time; the partner's
# receiver listens on loopback over plain HTTP.
FAST_SWEEP = {"NOTIFICATIONS_RELAY_EVERY": "2", "WEBHOOK_ALLOW_HTTP": "true",
              "WEBHOOK_ALLOW_PRIVATE": "true"}
SUBSCRIBERS = 5
# Sent, or held for the recipient's digest.
DONE = (EmailState.SENT, EmailState.HELD)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A redis-server of this test only, configured as the production broker."""

    def __init__(self, directory):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.directory),
             "--maxmemory-policy", "noeviction"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)

        def up():
            try:
                return client.ping()
            except redis.RedisError:
                return False

        wait_for(up, timeout=10, what="redis-server to start")

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: redis writes its append-only file and exits
            self.process.wait(timeout=10)


class Beat:
    def __init__(self, *, broker, tmp_path, name):
        self.log = open(tmp_path / f"{name}.log", "w")
        env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": broker.url,
               "CELERY_BROKER_URL": broker.url, "CELERY_TASK_ALWAYS_EAGER": "false",
               "AUDIT_ANCHOR_PATH": str(tmp_path / "anchors.jsonl"), **FAST_SWEEP}
        self.process = subprocess.Popen(
            [str(CELERY), "-A", "challenge_portal", "beat", "--loglevel=INFO",
             "--schedule", str(tmp_path / "beat-schedule")],
            cwd=settings.BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


@pytest.fixture
def broker(tmp_path, eager_celery, monkeypatch):
    server = RedisServer(tmp_path)
    # This process publishes to it (not eagerly); no earlier failure pauses the kicks.
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)
    eager_celery.broker_url = server.url
    eager_celery.task_always_eager = False
    monkeypatch.setattr(outbox, "_kick_paused_until", 0.0)
    _reset_producer_pool()
    yield server
    server.stop()


@pytest.fixture
def receiver():
    server = WebhookReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def processes(tmp_path, broker):
    started = []
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    common = {"REDIS_URL": broker.url, "AUDIT_ANCHOR_PATH": str(tmp_path / "anchors.jsonl"),
              **FAST_SWEEP}

    def worker(name, **env):
        started.append(Worker(redis_url=broker.url, queue="celery", mail_dir=mail_dir,
                              log_path=tmp_path / f"{name}.log", env={**common, **env}))
        return started[-1]

    def beat(name):
        started.append(Beat(broker=broker, tmp_path=tmp_path, name=name))
        return started[-1]

    worker.beat = beat
    worker.mail_dir = mail_dir
    yield worker
    for process in started:
        process.stop()


def _arrange(receiver, settings):
    """Two approved demands of a company with three members, a partner's webhook and
    subscribers of their field; a published demand with three challengers' complete drafts."""
    unit = HostUnitFactory()
    staff = HostMembershipFactory(host_unit=unit).user
    company = OrganisationFactory()
    for _ in range(3):
        MembershipFactory(organisation=company, user=UserFactory(roles=["demand_company"]))
    approved = [DemandFactory(host_unit=unit, organisation=company, status=DemandStatus.APPROVED)
                for _ in range(2)]
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE = True
    webhooks.create_webhook(actor=None, name="科技日报", url=receiver.url)
    subscribers = bulk_subscribers(SUBSCRIBERS, field=approved[0].industry_field)
    for demand in approved[1:]:
        demand.industry_field = approved[0].industry_field
        demand.save(update_fields=["industry_field"])
    open_demand = DemandFactory(host_unit=unit, organisation=company,
                                status=DemandStatus.PUBLISHED)
    drafts = []
    for n in range(3):
        organisation = OrganisationFactory(kind="university")
        member = UserFactory(roles=["challenger"])
        MembershipFactory(user=member, organisation=organisation)
        MembershipFactory(user=UserFactory(roles=["challenger"]), organisation=organisation)
        sign_current_agreements(member, unit.event.contest)
        drafts.append((member, solution_services.create_solution(
            open_demand, actor=member, organisation=organisation,
            data={"title": f"故障方案{n}", "summary": "概述", "approach": "路线", "trl": 5,
                  "ip_status": "none", "team_lead": "李教授", "cost": 80,
                  "duration_months": 6, "cooperation_mode": open_demand.cooperation_modes[0]})))
    return staff, approved, drafts, subscribers


def test_broker_down_then_worker_killed_redis_and_beat_restarted_each_mail_sent_once(
        postgres, broker, processes, client, receiver, settings):
    staff, approved, drafts, subscribers = _arrange(receiver, settings)
    broker.start()
    broker.stop()  # 1. the broker is down from here

    for demand in approved:
        workflow.transition(demand, DemandStatus.PUBLISHED, actor=staff)
    for member, draft in drafts:
        client.force_login(member)
        response = client.post(reverse("solutions:submit", args=[draft.pk]))
        assert response.status_code == 302  # the request succeeded
    assert set(Solution.objects.values_list("status", flat=True)) == {SolutionStatus.SUBMITTED}
    waiting = set(OutboundEmail.objects.values_list("pk", flat=True))
    assert len(waiting) >= 8
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {EmailState.PENDING}

    # 2. The broker is back; beat sweeps; the first worker is killed mid-send.
    broker.start()
    first_beat = processes.beat("beat-1")
    killed = processes("killed", **FAST_REDELIVERY, PORTAL_TEST_MAIL_DELAY="120")
    wait_for(lambda: any(processes.mail_dir.glob("*.marker")), timeout=30,
             what="the first worker to start sending")
    killed.kill()

    # 3. A second worker runs; Redis restarts under it; beat restarts.
    processes("survivor", **FAST_REDELIVERY, CELERY_UNACKED_RESTORE_INTERVAL="1",
              CELERY_UNACKED_RESTORE_THROTTLE="1")
    time.sleep(1)
    broker.stop()
    time.sleep(1)
    broker.start()
    first_beat.stop()
    processes.beat("beat-2")

    # 4. Every e-mail and webhook delivery is sent, each exactly once; every subscriber was
    #    told of each publication once.
    def settled():
        return (not OutboundEmail.objects.exclude(state__in=DONE).exists()
                and WebhookDelivery.objects.filter(state=DeliveryState.DELIVERED).count()
                == len(approved)
                and all(len(notified_user_ids(demand)) == SUBSCRIBERS for demand in approved))

    wait_for(settled, timeout=60, what="every e-mail, webhook and fan-out entry", interval=0.5)
    time.sleep(2)  # a duplicate delivery would show up here
    emails = list(OutboundEmail.objects.filter(pk__in=waiting))
    assert {email.state for email in emails} == {EmailState.SENT}
    copies = {email.pk: sent_copies(processes.mail_dir, email) for email in emails}
    assert set(copies.values()) == {1}, copies
    # The subscribers' mails wait for their digest (held), one per subscriber and publication.
    sent = list(OutboundEmail.objects.filter(state=EmailState.SENT))
    assert {sent_copies(processes.mail_dir, email) for email in sent} == {1}
    held = OutboundEmail.objects.filter(state=EmailState.HELD)
    assert held.count() == SUBSCRIBERS * len(approved)
    assert not any(sent_copies(processes.mail_dir, email) for email in held)
    for demand in approved:
        assert notified_user_ids(demand) == sorted(user.pk for user in subscribers)
    received = Counter(request["headers"]["X-Portal-Delivery"] for request in receiver.requests)
    assert sorted(received) == sorted(str(delivery) for delivery in
                                      WebhookDelivery.objects.values_list("uuid", flat=True))
    assert set(received.values()) == {1}, received
