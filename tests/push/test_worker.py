"""The fan-out under a real worker: a run whose worker process dies mid-way is taken over by
the redelivered task as soon as the dead run's short lease ends, without the beat sweep.

The worker (see ``tests.notifications.test_worker``) fans out in batches of ten. The test
holds one recipient's inbox row in an open transaction, so the second batch waits on it;
then the worker's pool process is SIGKILLed while it waits. Celery requeues the task at once
(late acks, reject on worker lost) and the restarted pool process runs it again while the
dead run's claim still stands."""

import os
import signal
import subprocess
import threading

import pytest
from django.db import connection, transaction

from notifications.models import Notification
from notifications.services import delivery_key
from push.enums import PushState
from push.fanout import ensure_push, event_key
from push.matching import KIND
from push.models import PublicationPush
from push.tasks import fan_out_publication
from tests.factories.contests import IndustryFieldFactory
from tests.notifications.test_worker import wait_for
from tests.push.push_support import bulk_subscribers, notified_user_ids, published

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.services,
    pytest.mark.xdist_group("celery-worker"),
]

SUBSCRIBERS = 30
# A heartbeat lease longer than the redelivery takes here (so the redelivered task finds the
# claim still held and must wait it out) and far shorter than the e-mail lease and the
# visibility timeout, which keep their defaults (six minutes, an hour).
WORKER_ENV = {"PUSH_BATCH_SIZE": "10", "PUSH_CLAIM_LEASE": "8"}


class _Release(Exception):
    pass


def _hold(key, user_id, holding, release):
    """Write ``key``'s inbox row and keep its transaction open until ``release``."""
    try:
        with transaction.atomic():
            Notification.objects.create(
                recipient_id=user_id, kind=KIND, text="held", idempotency_key=key
            )
            holding.set()
            release.wait(60)
            raise _Release
    except _Release:
        pass
    finally:
        connection.close()


def _lock_waiters():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        )
        return cursor.fetchone()[0]


def _pool_processes(worker):
    output = subprocess.run(
        ["pgrep", "-P", str(worker.process.pid)], capture_output=True, text=True, check=False
    ).stdout
    return [int(pid) for pid in output.split()]


@pytest.mark.fault
def test_fan_out_whose_worker_died_is_resumed_by_the_redelivered_task(
    postgres, live_broker, workers
):
    field = IndustryFieldFactory()
    demand = published(industry_field=field)
    users = bulk_subscribers(SUBSCRIBERS, field=field)
    push = ensure_push(demand.pk)
    blocked = users[15]
    holding, release = threading.Event(), threading.Event()
    holder = threading.Thread(
        target=_hold,
        args=(delivery_key(KIND, blocked, event_key(demand.pk)), blocked.pk, holding, release),
    )
    holder.start()
    try:
        assert holding.wait(10)
        worker = workers("worker", env=WORKER_ENV)

        fan_out_publication.apply_async(kwargs={"demand_id": demand.pk}, queue=workers.queue)
        wait_for(
            lambda: PublicationPush.objects.get(pk=push.pk).notified == 10,
            timeout=30,
            what="the first batch",
        )
        wait_for(
            lambda: _lock_waiters() > 0,
            timeout=10,
            what="the second batch to wait for the held row",
        )
        for pid in _pool_processes(worker):
            os.kill(pid, signal.SIGKILL)
    finally:
        release.set()
        holder.join(10)

    wait_for(
        lambda: PublicationPush.objects.get(pk=push.pk).state == PushState.DONE,
        timeout=40,
        what="the redelivered task to finish the fan-out",
    )

    push.refresh_from_db()
    assert push.runs == 2
    assert push.notified == SUBSCRIBERS
    assert notified_user_ids(demand) == sorted(user.pk for user in users)
