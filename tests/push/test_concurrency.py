"""Races on PostgreSQL: two fan-outs of one publication at once, and two writers of the same
batch that bypass the job's claim; each subscriber is notified once."""

import threading
from collections import Counter

import pytest
from django.db import connection

from notifications.models import Notification, OutboundEmail
from notifications.services import notify_many
from push.enums import PushState
from push.fanout import event_key, fan_out
from push.models import PublicationPush
from tests.factories.contests import IndustryFieldFactory
from tests.push.push_support import bulk_subscribers, published

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.services]


def run_in_threads(*targets):
    errors = []

    def wrap(target):
        def run():
            try:
                target()
            except Exception as exc:  # surfaced below
                errors.append(exc)
            finally:
                connection.close()
        return run

    threads = [threading.Thread(target=wrap(target)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []


def _recipients(demand):
    return Counter(Notification.objects.filter(target_object_id=str(demand.pk),
                                               kind="demand.published")
                   .values_list("recipient_id", flat=True))


def test_two_fan_outs_of_one_publication_at_once_notify_each_subscriber_once(postgres):
    field = IndustryFieldFactory(code="new-energy", name="新能源汽车")
    demand = published(industry_field=field)
    users = bulk_subscribers(3000, field=field)
    start = threading.Barrier(2)
    results = []

    def run():
        start.wait(timeout=10)
        results.append(fan_out(demand.pk, batch_size=500))

    run_in_threads(run, run)

    recipients = _recipients(demand)
    assert set(recipients) == {user.pk for user in users}
    assert set(recipients.values()) == {1}
    assert OutboundEmail.objects.filter(kind="demand.published").count() == 3000
    push = PublicationPush.objects.get(demand=demand)
    assert (push.state, push.notified) == (PushState.DONE, 3000)
    assert max(results) == 3000  # the run that held the job; the other left it alone


def test_two_writers_of_the_same_batch_write_each_row_once(postgres):
    field = IndustryFieldFactory(code="new-energy", name="新能源汽车")
    demand = published(industry_field=field)
    users = bulk_subscribers(2000, field=field)
    ids = [user.pk for user in users]
    start = threading.Barrier(2)

    def write():
        start.wait(timeout=10)
        notify_many(recipient_ids=ids, kind="demand.published",
                    context={"title": demand.public_snapshot["title"]},
                    idempotency_key=event_key(demand.pk), url=demand.public_snapshot["url"],
                    obj=demand)

    run_in_threads(write, write)

    recipients = _recipients(demand)
    assert len(recipients) == 2000 and set(recipients.values()) == {1}
    assert OutboundEmail.objects.filter(kind="demand.published").count() == 2000
