"""On PostgreSQL the application's role may read and append audit entries, nothing else.

Production runs two roles (README, "Production: database roles"; ``docker-compose.yml``):
the **owner** runs the migrations and owns every table, the **application** (``DATABASE_URL``
of web, worker and beat) gets SELECT/INSERT/UPDATE/DELETE on the tables through default
privileges. After every ``migrate`` (run as the owner) this module takes back what the
application must not do to the audit table: it keeps SELECT and INSERT, plus UPDATE of the
``actor_id`` column alone (deleting a user nulls it; the trigger refuses any other change). It
cannot UPDATE other columns, DELETE, TRUNCATE, or ALTER the table (disable its triggers, drop
it): only the owner can, and the application never connects as the owner. The purge of entries
older than 180 days is run by an operator with the owner's ``DATABASE_URL``.
"""

from django.conf import settings
from django.db import connections
from django.db.models.signals import post_migrate

TABLE = "audit_activitylog"


def grant_statements(connection, role):
    role = connection.ops.quote_name(role)
    statements = [
        f"REVOKE ALL ON {TABLE} FROM {role}",
        f"GRANT SELECT, INSERT ON {TABLE} TO {role}",
        f"GRANT UPDATE (actor_id) ON {TABLE} TO {role}",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        sequence = cursor.fetchone()[0]
    if sequence:
        statements.append(f"GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {role}")
    return statements


def apply_audit_grants(connection, role):
    """Restrict ``role`` on the audit table (idempotent); returns the statements run."""
    statements = grant_statements(connection, role)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return statements


def _apply_after_migrate(sender, using="default", **kwargs):
    role = getattr(settings, "DATABASE_APP_ROLE", "")
    connection = connections[using]
    if not role or connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, to_regclass(%s) IS NOT NULL", [TABLE])
        current, exists = cursor.fetchone()
    if exists and current != role:
        apply_audit_grants(connection, role)


def connect(app_config):
    post_migrate.connect(_apply_after_migrate, sender=app_config,
                         dispatch_uid="audit.apply_audit_grants")
