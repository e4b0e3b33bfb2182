"""Races on PostgreSQL: two relay runs on one row, two transactions with one key."""

import threading
import time

import pytest
from django.db import connection, transaction

from notifications import relay
from notifications.enums import EmailState
from notifications.models import Notification, OutboundEmail
from notifications.services import notify
from tests.factories.accounts import UserFactory
from tests.factories.notifications import OutboundEmailFactory

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.services]


def run_in_threads(*targets):
    errors = []

    def wrap(target):
        def run():
            try:
                target()
            except Exception as exc:  # surfaced in the test below
                errors.append(exc)
            finally:
                connection.close()
        return run

    threads = [threading.Thread(target=wrap(target)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []


def test_same_delivery_from_two_threads_sends_once(postgres, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.SlowLocmemBackend"
    email = OutboundEmailFactory()
    start = threading.Barrier(2)
    outcomes = []

    def deliver():
        start.wait(timeout=10)
        outcomes.append(relay.deliver(email.pk))

    run_in_threads(deliver, deliver)

    email.refresh_from_db()
    assert sorted(outcomes) == [relay.Outcome.SENT, relay.Outcome.SKIPPED]
    assert email.state == EmailState.SENT
    assert email.attempts == 1
    assert len(mailoutbox) == 1


def test_two_sweeps_at_once_send_each_row_once(postgres, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.SlowLocmemBackend"
    emails = OutboundEmailFactory.create_batch(4)
    start = threading.Barrier(2)

    def sweep():
        start.wait(timeout=10)
        relay.sweep(batch_size=2)

    run_in_threads(sweep, sweep)

    assert sorted(m.to[0] for m in mailoutbox) == sorted(e.to_address for e in emails)
    assert set(OutboundEmail.objects.values_list("state", flat=True)) == {EmailState.SENT}


def test_same_key_from_two_open_transactions_writes_once(postgres, mailoutbox):
    user = UserFactory()
    first_inserted = threading.Event()
    second_waiting = threading.Event()

    def call(key):
        notify(recipient=user, kind="demand.status_changed",
               context={"title": "储能", "from_state": "approved", "to_state": "published"},
               idempotency_key=key)

    def first():
        with transaction.atomic():
            call("demand:1:published")
            first_inserted.set()
            second_waiting.wait(timeout=10)
            time.sleep(0.3)  # the second transaction is now blocked on our unique key

    def second():
        first_inserted.wait(timeout=10)
        second_waiting.set()
        with transaction.atomic():
            call("demand:1:published")  # waits for the first to commit, then finds the row
            call("demand:1:closed")  # the caller's transaction is still usable

    run_in_threads(first, second)

    assert Notification.objects.count() == 2
    assert sorted(OutboundEmail.objects.values_list("idempotency_key", flat=True)) == [
        f"demand.status_changed:{user.pk}:demand:1:closed",
        f"demand.status_changed:{user.pk}:demand:1:published",
    ]
    assert len(mailoutbox) == 2  # each kicked once after its commit
