from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from audit.models import ActivityLog
from audit.services import verify_chain
from tests.factories.audit import ActivityLogFactory

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def test_verify_audit_log_prints_ok_with_count(capsys):
    ActivityLogFactory.create_batch(4)

    call_command("verify_audit_log")

    assert "OK: 4 entries verified" in capsys.readouterr().out


def test_verify_audit_log_on_empty_log_is_ok(capsys):
    call_command("verify_audit_log")

    assert "OK" in capsys.readouterr().out


def test_verify_names_first_changed_entry(tamper):
    entries = ActivityLogFactory.create_batch(5, data={"to": "published"})
    changed = entries[2]

    tamper("UPDATE audit_activitylog SET object_repr = %s WHERE id = %s",
           ["something else", changed.pk])

    with pytest.raises(CommandError) as error:
        call_command("verify_audit_log")
    assert f"id={changed.pk} sequence={changed.sequence}" in str(error.value)
    assert "changed" in str(error.value)


def test_verify_names_changed_entry_even_when_its_hash_was_recomputed(tamper):
    entries = ActivityLogFactory.create_batch(4)
    changed = entries[1]
    changed.result = "failure"
    forged_hash = changed.compute_hash()

    tamper("UPDATE audit_activitylog SET result = 'failure', entry_hash = %s WHERE id = %s",
           [forged_hash, changed.pk])

    result = verify_chain()
    # The forged entry is self-consistent; its successor no longer links to it.
    assert (result.ok, result.broken_id, result.broken_sequence) == (
        False, entries[2].pk, entries[2].sequence)


def test_verify_names_entry_after_deleted_middle_entry(tamper):
    entries = ActivityLogFactory.create_batch(5)

    tamper("DELETE FROM audit_activitylog WHERE id = %s", [entries[2].pk])

    with pytest.raises(CommandError) as error:
        call_command("verify_audit_log")
    assert f"id={entries[3].pk} sequence={entries[3].sequence}" in str(error.value)
    assert "missing" in str(error.value)


def test_verify_catches_deleted_first_entries_without_a_purge(tamper):
    entries = ActivityLogFactory.create_batch(3)

    tamper("DELETE FROM audit_activitylog WHERE id = %s", [entries[0].pk])

    result = verify_chain()
    assert (result.ok, result.broken_id) == (False, entries[1].pk)
    assert "no purge entry" in result.reason


def test_purge_refuses_fewer_than_180_days():
    ActivityLogFactory(timestamp=days_ago(400))

    with pytest.raises(CommandError) as error:
        call_command("purge_audit_log", "--older-than-days", "179")

    assert "180" in str(error.value)
    assert ActivityLog.objects.count() == 1


def test_purge_removes_old_entries_and_chain_still_verifies(capsys):
    for age in (400, 300, 200):
        ActivityLogFactory(timestamp=days_ago(age))
    young = [ActivityLogFactory(timestamp=days_ago(age)) for age in (100, 10)]

    call_command("purge_audit_log", "--older-than-days", "180")

    remaining = list(ActivityLog.objects.order_by("sequence"))
    assert [entry.pk for entry in remaining[:2]] == [entry.pk for entry in young]
    purge = remaining[-1]
    assert purge.action == "portal.audit.purge"
    assert purge.data["deleted"] == 3
    assert purge.data["through_sequence"] == young[0].sequence - 1
    call_command("verify_audit_log")
    assert "OK: 3 entries verified" in capsys.readouterr().out


def test_purge_never_removes_entries_younger_than_180_days():
    ActivityLogFactory(timestamp=days_ago(400))
    young = ActivityLogFactory(timestamp=days_ago(179))
    # An older timestamp behind a young one (clock skew between servers) stays too: only a
    # prefix of the chain is removed.
    behind = ActivityLogFactory(timestamp=days_ago(300))

    call_command("purge_audit_log", "--older-than-days", "180")

    assert ActivityLog.objects.filter(pk__in=[young.pk, behind.pk]).count() == 2
    assert ActivityLog.objects.exclude(action="portal.audit.purge").count() == 2
    assert verify_chain().ok


def test_purge_with_longer_retention_keeps_more():
    ActivityLogFactory(timestamp=days_ago(400))
    kept = ActivityLogFactory(timestamp=days_ago(300))

    call_command("purge_audit_log", "--older-than-days", "365")

    assert ActivityLog.objects.filter(pk=kept.pk).exists()
    assert ActivityLog.objects.exclude(action="portal.audit.purge").count() == 1


def test_second_purge_anchors_on_its_own_record():
    for age in (700, 600):
        ActivityLogFactory(timestamp=days_ago(age))
    call_command("purge_audit_log", "--older-than-days", "650")
    ActivityLogFactory(timestamp=days_ago(10))

    call_command("purge_audit_log", "--older-than-days", "180")

    result = verify_chain()
    assert result.ok
    assert ActivityLog.objects.filter(action="portal.audit.purge").count() == 2
