"""What only PostgreSQL does: the trigger that protects the table and the advisory lock that
keeps concurrent writers on one chain."""

import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from audit.models import ActivityLog
from audit.services import log_action, purge_entries, verify_chain
from tests.factories.audit import ActivityLogFactory

pytestmark = pytest.mark.services


def test_trigger_refuses_update(postgres):
    entry = ActivityLogFactory(action="portal.demand.publish")

    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        ActivityLog.objects.filter(pk=entry.pk).update(action="portal.demand.withdraw")

    entry.refresh_from_db()
    assert entry.action == "portal.demand.publish"


def test_trigger_refuses_raw_update_of_hash(postgres):
    entry = ActivityLogFactory()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_activitylog SET entry_hash = %s WHERE id = %s",
                       ["f" * 64, entry.pk])

    assert ActivityLog.objects.get(pk=entry.pk).entry_hash == entry.entry_hash


def test_trigger_refuses_delete(postgres):
    entry = ActivityLogFactory(timestamp=timezone.now() - timedelta(days=400))

    with pytest.raises(DatabaseError, match="cannot be deleted"), transaction.atomic():
        ActivityLog.objects.filter(pk=entry.pk).delete()

    assert ActivityLog.objects.filter(pk=entry.pk).exists()


def test_trigger_refuses_deleting_young_entries_even_with_purge_setting(postgres):
    entry = ActivityLogFactory(timestamp=timezone.now() - timedelta(days=179))

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL audit.allow_purge = 'on'")
        cursor.execute("DELETE FROM audit_activitylog WHERE id = %s", [entry.pk])

    assert ActivityLog.objects.filter(pk=entry.pk).exists()


def test_purge_through_the_controlled_path_on_postgresql(postgres):
    old = ActivityLogFactory(timestamp=timezone.now() - timedelta(days=400))
    young = ActivityLogFactory(timestamp=timezone.now() - timedelta(days=30))

    deleted = purge_entries(180)

    assert deleted == 1
    assert not ActivityLog.objects.filter(pk=old.pk).exists()
    assert ActivityLog.objects.filter(pk=young.pk).exists()
    assert verify_chain().ok


def test_trigger_lets_user_deletion_null_the_actor_only(postgres, stranger):
    label = f"{stranger.email} (#{stranger.pk})"
    entry = log_action("portal.test.by_stranger", actor=stranger)

    stranger.delete()

    entry.refresh_from_db()
    assert entry.actor_id is None
    assert entry.actor_label == label
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(postgres):
    per_thread, threads = 25, 4
    errors = []
    start = threading.Barrier(threads)

    def write(number):
        try:
            start.wait()
            for index in range(per_thread):
                with transaction.atomic():
                    log_action("portal.test.concurrent", data={"thread": number, "i": index})
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=write, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    sequences = list(ActivityLog.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, per_thread * threads + 1))
    assert len(set(ActivityLog.objects.values_list("prev_hash", flat=True))) == per_thread * threads
    result = verify_chain()
    assert (result.ok, result.count) == (True, per_thread * threads)
