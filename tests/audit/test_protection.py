"""Issue 13: the audit table refuses changes on SQLite too; the HMAC key and the exported anchors
catch a rewritten or truncated chain."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from audit import anchors
from audit.models import ActivityLog
from audit.services import log_action, verify_chain
from audit.tasks import export_anchor
from tests.factories.audit import ActivityLogFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite triggers; PostgreSQL's are in test_postgres.py")
    # No purge is under way: a permit left by an earlier transactional test's flush on this
    # worker (tests/conftest.py grants one for the flush) must not let these deletes through.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_purge_permit")


def test_sqlite_refuses_update_through_the_orm(sqlite):
    entry = ActivityLogFactory(action="portal.demand.publish")

    with pytest.raises((DatabaseError, IntegrityError), match="cannot be changed"), \
            transaction.atomic():
        ActivityLog.objects.filter(pk=entry.pk).update(action="portal.demand.withdraw")

    entry.refresh_from_db()
    assert entry.action == "portal.demand.publish"


def test_sqlite_refuses_raw_update_of_the_hash(sqlite):
    entry = ActivityLogFactory()

    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE audit_activitylog SET entry_hash = %s WHERE id = %s",
                       ["f" * 64, entry.pk])


def test_sqlite_refuses_delete_even_of_old_entries_outside_a_purge(sqlite):
    entry = ActivityLogFactory(timestamp=timezone.now() - timedelta(days=400))

    with pytest.raises((DatabaseError, IntegrityError), match="cannot be deleted"), \
            transaction.atomic():
        ActivityLog.objects.filter(pk=entry.pk).delete()

    assert ActivityLog.objects.filter(pk=entry.pk).exists()


def test_sqlite_lets_user_deletion_null_the_actor(sqlite, stranger):
    entry = log_action("portal.test.by_stranger", actor=stranger)

    stranger.delete()

    entry.refresh_from_db()
    assert entry.actor_id is None
    assert verify_chain().ok


def test_sqlite_refuses_a_changed_row_that_also_nulls_the_actor(sqlite, stranger):
    entry = log_action("portal.test.by_stranger", actor=stranger)

    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        ActivityLog.objects.filter(pk=entry.pk).update(actor=None, object_repr="forged")


def test_hash_is_keyed(settings):
    entry = ActivityLogFactory(data={"to": "published"})

    assert entry.compute_hash() == entry.entry_hash
    assert entry.compute_hash(key="another key") != entry.entry_hash
    settings.AUDIT_HMAC_KEY = "a rotated key"
    assert not verify_chain().ok


def test_chain_rewritten_without_the_key_does_not_verify(tamper):
    entries = ActivityLogFactory.create_batch(4)
    # The attacker rewrites entry 2 and every hash after it, guessing at the key.
    previous = entries[0].entry_hash
    for entry in entries[1:]:
        if entry is entries[1]:
            entry.object_repr = "rewritten"
        entry.prev_hash = previous
        entry.entry_hash = entry.compute_hash(key="guessed")
        tamper("UPDATE audit_activitylog SET object_repr = %s, prev_hash = %s, entry_hash = %s "
               "WHERE id = %s", [entry.object_repr, entry.prev_hash, entry.entry_hash, entry.pk])
        previous = entry.entry_hash

    result = verify_chain()

    assert (result.ok, result.broken_sequence) == (False, entries[1].sequence)


def test_beat_job_exports_the_head_to_the_file_sink(settings):
    ActivityLogFactory.create_batch(3)
    head = ActivityLog.objects.order_by("-sequence").first()

    export_anchor.delay()

    found, damaged = anchors.read_anchors(settings.AUDIT_ANCHOR_PATH)
    assert damaged == 0
    assert [(a.sequence, a.entry_hash) for a in found] == [(head.sequence, head.entry_hash)]


def test_beat_schedule_runs_the_export(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["portal.audit.export_anchor"]

    assert entry["task"] == "portal.audit.export_anchor"
    assert entry["schedule"] == settings.AUDIT_ANCHOR_SECONDS


def test_verify_with_matching_anchors_is_ok(capsys):
    ActivityLogFactory.create_batch(2)
    anchors.export_anchor()
    ActivityLogFactory.create_batch(2)
    anchors.export_anchor()

    call_command("verify_audit_log")

    assert "2 anchors" in capsys.readouterr().out


def test_verify_catches_a_truncated_tail_through_the_anchor(tamper):
    entries = ActivityLogFactory.create_batch(4)
    anchors.export_anchor()

    tamper("DELETE FROM audit_activitylog WHERE id IN (%s, %s)", [entries[2].pk, entries[3].pk])
    assert verify_chain().ok  # the remaining prefix is a valid chain on its own

    with pytest.raises(CommandError, match="entries at the end were removed"):
        call_command("verify_audit_log")


def test_verify_catches_a_chain_rewritten_with_the_key_through_the_anchor(tamper):
    entries = ActivityLogFactory.create_batch(3)
    anchors.export_anchor()
    # Even an attacker holding the key, rewriting the last entry consistently, is caught.
    last = entries[-1]
    last.object_repr = "rewritten"
    last.entry_hash = last.compute_hash()
    tamper("UPDATE audit_activitylog SET object_repr = %s, entry_hash = %s WHERE id = %s",
           [last.object_repr, last.entry_hash, last.pk])
    assert verify_chain().ok

    with pytest.raises(CommandError, match="rewritten"):
        call_command("verify_audit_log")


def test_verify_without_anchor_file_says_so(capsys):
    ActivityLogFactory()

    call_command("verify_audit_log")

    assert "no anchors" in capsys.readouterr().out


def test_purged_anchors_are_skipped(capsys):
    ActivityLogFactory(timestamp=timezone.now() - timedelta(days=400))
    anchors.export_anchor()
    ActivityLogFactory()
    call_command("purge_audit_log", "--older-than-days", "180")
    anchors.export_anchor()

    call_command("verify_audit_log")

    assert "OK" in capsys.readouterr().out
