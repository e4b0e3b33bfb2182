"""Real Celery workers against real Redis and the test database.

The worker is a subprocess of ``celery -A challenge_portal worker`` with DATABASE_URL pointing
at pytest's test database (rows are committed: transaction=True) and its own queue, so that
parallel runs sharing a Redis database never take each other's messages. It sends mail with a
file-based backend; a message is counted by its Message-ID in those files."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from notifications import relay
from notifications.enums import EmailState
from notifications.models import OutboundEmail
from notifications.tasks import relay as relay_task
from tests.factories.notifications import OutboundEmailFactory

from .conftest import _reset_producer_pool

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.services, pytest.mark.xdist_group("celery-worker")]

CELERY = Path(sys.executable).with_name("celery")


def database_url():
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return (f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}")


class Worker:
    def __init__(self, *, redis_url, queue, mail_dir, log_path, env=None):
        self.log_path = log_path
        full_env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "EMAIL_BACKEND": "tests.notifications.mail_backends.SlowFileBackend",
            "PORTAL_TEST_MAIL_DIR": str(mail_dir),
            "PYTHONPATH": str(settings.BASE_DIR),
            **(env or {}),
        }
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            # prefork: the child sends while the parent's event loop acknowledges (the solo
            # pool would defer even an early ack until the task ends)
            [str(CELERY), "-A", "challenge_portal", "worker", "-P", "prefork", "-c", "1",
             "-Q", queue,
             "-n", f"{queue}-{uuid.uuid4().hex[:6]}@%h", "--without-gossip",
             "--without-mingle", "--without-heartbeat", "--loglevel=INFO"],
            cwd=settings.BASE_DIR, env=full_env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for(lambda: " ready." in self.output() or self.process.poll() is not None,
                 timeout=30, what="the worker to start")
        assert self.process.poll() is None, self.output()

    def output(self):
        return Path(self.log_path).read_text()

    def kill(self):
        """SIGKILL to the worker and its pool child: no chance to clean up."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.log.close()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


def wait_for(condition, *, timeout, what, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout} s waiting for {what}")


def sent_copies(mail_dir, email):
    header = f"Message-ID: {relay.message_id(email.idempotency_key)}"
    return sum(path.read_text().count(header) for path in Path(mail_dir).glob("*.log"))


@pytest.fixture
def live_broker(redis_url, eager_celery, monkeypatch):
    """This process publishes to the real Redis of REDIS_URL (its database number is this
    run's own) instead of running tasks eagerly."""
    monkeypatch.setenv("CELERY_BROKER_URL", redis_url)
    eager_celery.broker_url = redis_url
    eager_celery.task_always_eager = False
    _reset_producer_pool()
    return eager_celery


@pytest.fixture
def workers(tmp_path, redis_url):
    started = []
    queue = f"test-relay-{uuid.uuid4().hex[:10]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()

    def start(name, env=None):
        worker = Worker(redis_url=redis_url, queue=queue, mail_dir=mail_dir,
                        log_path=tmp_path / f"{name}.log", env=env)
        started.append(worker)
        return worker

    start.queue = queue
    start.mail_dir = mail_dir
    yield start
    for worker in started:
        worker.stop()


def test_relay_task_round_trip_through_a_real_worker(postgres, live_broker, workers):
    email = OutboundEmailFactory(subject="往返测试")
    workers("worker")

    relay_task.apply_async(kwargs={"email_ids": [email.pk]}, queue=workers.queue)

    wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).state == EmailState.SENT,
             timeout=30, what="the worker to send the e-mail")
    assert sent_copies(workers.mail_dir, email) == 1


# Workers that redeliver quickly: a 10 s visibility timeout, with every limit below it as the
# settings demand (the claim of a killed sender expires after 9 s, before the redelivery).
FAST_REDELIVERY = {
    "CELERY_VISIBILITY_TIMEOUT": "10",
    "CELERY_TASK_TIME_LIMIT": "8",
    "CELERY_TASK_SOFT_TIME_LIMIT": "6",
    "NOTIFICATIONS_SENDING_LEASE": "9",
    "NOTIFICATIONS_RETRY_MAX": "9",
    "NOTIFICATIONS_SWEEP_SECONDS": "5",
}


@pytest.mark.fault
def test_worker_killed_mid_send_message_sent_once_after_restart(postgres, live_broker, workers):
    email = OutboundEmailFactory(subject="故障恢复测试")
    first = workers("killed", env={**FAST_REDELIVERY, "PORTAL_TEST_MAIL_DELAY": "120"})

    relay_task.apply_async(kwargs={"email_ids": [email.pk]}, queue=workers.queue)
    wait_for(lambda: any(workers.mail_dir.glob("*.marker")), timeout=20,
             what="the first worker to start sending")
    first.kill()

    email.refresh_from_db()
    assert email.state == EmailState.SENDING  # claimed by a worker that is gone
    assert sent_copies(workers.mail_dir, email) == 0

    # Nothing but Celery's redelivery of the unacknowledged task sends it: no beat runs here.
    workers("restarted", env={**FAST_REDELIVERY, "CELERY_UNACKED_RESTORE_INTERVAL": "1",
                              "CELERY_UNACKED_RESTORE_THROTTLE": "1"})
    wait_for(lambda: OutboundEmail.objects.get(pk=email.pk).state == EmailState.SENT,
             timeout=40, what="the redelivered task to send the e-mail")
    time.sleep(2)  # a second redelivery would show up here

    email.refresh_from_db()
    assert email.attempts == 2
    assert sent_copies(workers.mail_dir, email) == 1
