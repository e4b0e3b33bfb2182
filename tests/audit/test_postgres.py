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
    label = f"user #{stranger.pk}"
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


# --- the application's role (audit.grants; README "Production: database roles") -------------
APP_ROLE = "portal_app_test_compliance"


@pytest.fixture
def as_application_role(postgres):
    """The test database's tables belong to the superuser the suite connects as; the application
    role gets what production's default privileges give it on every table, then
    ``apply_audit_grants`` restricts it on the audit table, as after every migrate. ``SET ROLE``
    makes the connection act as it."""
    from audit.grants import apply_audit_grants

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            try:
                with transaction.atomic():
                    cursor.execute(f'CREATE ROLE "{APP_ROLE}" NOLOGIN')
            except DatabaseError:
                pass  # created meanwhile by another test database on the same server
        cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{APP_ROLE}"')
        cursor.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
                       f'TO "{APP_ROLE}"')
        cursor.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{APP_ROLE}"')
    apply_audit_grants(connection, APP_ROLE)

    def run(sql, params=()):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'SET LOCAL ROLE "{APP_ROLE}"')
            cursor.execute(sql, params)

    return run


@pytest.mark.parametrize("sql", [
    "UPDATE audit_activitylog SET action = 'portal.forged' WHERE id = %s",
    "UPDATE audit_activitylog SET entry_hash = repeat('f', 64) WHERE id = %s",
    "DELETE FROM audit_activitylog WHERE id = %s",
    "TRUNCATE audit_activitylog",
    "ALTER TABLE audit_activitylog DISABLE TRIGGER audit_activitylog_protect",
    "ALTER TABLE audit_activitylog DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_activitylog_protect ON audit_activitylog",
])
def test_application_role_is_refused(as_application_role, sql):
    entry = ActivityLogFactory(timestamp=timezone.now() - timedelta(days=400))
    params = [entry.pk] if "%s" in sql else []

    with pytest.raises(DatabaseError) as error:
        as_application_role(sql, params)

    assert "permission denied" in str(error.value) or "must be owner" in str(error.value)
    stored = ActivityLog.objects.get(pk=entry.pk)
    assert (stored.action, stored.entry_hash) == (entry.action, entry.entry_hash)


def test_application_role_can_append_and_read(as_application_role):
    first = ActivityLogFactory()

    as_application_role("SELECT count(*) FROM audit_activitylog")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f'SET LOCAL ROLE "{APP_ROLE}"')
        entry = log_action("portal.test.appended_by_app", data={"n": 1})

    assert entry.prev_hash == first.entry_hash
    assert verify_chain().ok


def test_application_role_may_null_the_actor_of_a_deleted_user(as_application_role, stranger):
    entry = log_action("portal.test.by_stranger", actor=stranger)

    as_application_role("UPDATE audit_activitylog SET actor_id = NULL WHERE id = %s", [entry.pk])

    entry.refresh_from_db()
    assert entry.actor_id is None
    with pytest.raises(DatabaseError):
        as_application_role("UPDATE audit_activitylog SET actor_id = %s WHERE id = %s",
                            [stranger.pk, entry.pk])


def test_truncate_is_refused_by_the_trigger_for_the_owner_too(postgres):
    ActivityLogFactory()
    owner = "portal_owner_test_compliance"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [owner])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE ROLE "{owner}" NOLOGIN')
        cursor.execute(f'GRANT TRUNCATE ON audit_activitylog TO "{owner}"')

    with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic(), \
            connection.cursor() as cursor:
        # The rows just inserted have deferred foreign-key checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'SET LOCAL ROLE "{owner}"')
        cursor.execute("TRUNCATE audit_activitylog")

    assert ActivityLog.objects.exists()
