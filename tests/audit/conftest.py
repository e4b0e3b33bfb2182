from contextlib import contextmanager

import pytest
from django.db import connection


@contextmanager
def _protection_lifted():
    # Tampering tests play the attacker who changed rows behind the portal's back. On
    # PostgreSQL that attacker first has to disable the trigger (the test's transaction
    # rolls the ALTER back).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Deferred foreign-key checks of the rows just inserted must run before the table
            # can be altered.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_activitylog DISABLE TRIGGER audit_activitylog_protect"
            )
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(
                    "ALTER TABLE audit_activitylog ENABLE TRIGGER audit_activitylog_protect"
                )
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    elif connection.vendor == "sqlite":
        # SQLite's triggers (migration 0003): dropped for the attack, created again after (the
        # test's transaction would roll the DROP back anyway).
        from importlib import import_module

        migration = import_module("audit.migrations.0003_protect_everywhere")
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS audit_activitylog_no_update")
            cursor.execute("DROP TRIGGER IF EXISTS audit_activitylog_no_delete")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                for statement in migration.SQLITE_CREATE:
                    cursor.execute(statement)
    else:
        yield


@pytest.fixture
def tamper(db):
    """Run raw SQL against the audit table as someone with direct database access."""

    def run(sql, params=()):
        with _protection_lifted(), connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


@pytest.fixture
def staff_client(client):
    """A client signed in as ``user`` with an authenticator app, as staff must have one."""
    from allauth.mfa.models import Authenticator

    def sign_in(user):
        Authenticator.objects.get_or_create(user=user, type=Authenticator.Type.TOTP,
                                            defaults={"data": {"secret": "test-only"}})
        client.force_login(user)
        return client

    return sign_in
