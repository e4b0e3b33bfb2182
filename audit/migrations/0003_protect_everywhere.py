"""The audit table refuses changes on SQLite too, and TRUNCATE on PostgreSQL.

SQLite (the development default) gets the same rules as PostgreSQL's trigger of 0002: no
UPDATE except nulling ``actor_id`` when a user is deleted (every other column unchanged), no
DELETE except entries older than 180 days while ``audit.services.purge_entries`` holds a row in
``audit_purge_permit`` (inside its transaction; the test suite's flush holds one that permits
everything, ``tests/conftest.py``). SQLite has no roles, so this guards against the
application's own mistakes, not against someone with the file; PostgreSQL adds the owner role
(``audit.grants``).

PostgreSQL: row triggers do not fire on TRUNCATE, so a statement trigger refuses it for every
role but a superuser (who can disable any trigger anyway, and is what a test database's flush
runs as).
"""

from django.db import migrations

COLUMNS = ("id", "sequence", "timestamp", "actor_label", "action", "content_type_id",
           "object_id", "object_repr", "from_state", "to_state", "data", "ip_address", "result",
           "prev_hash", "entry_hash")

SQLITE_CREATE = [
    # A row opens the purge window of the current transaction (entries older than 180 days);
    # a row with everything = 1 lets a test database's flush (DELETE of every table) through.
    "CREATE TABLE IF NOT EXISTS audit_purge_permit "
    "(id INTEGER PRIMARY KEY, everything INTEGER NOT NULL DEFAULT 0)",
    "DROP TRIGGER IF EXISTS audit_activitylog_no_update",
    "DROP TRIGGER IF EXISTS audit_activitylog_no_delete",
    """CREATE TRIGGER audit_activitylog_no_update BEFORE UPDATE ON audit_activitylog
    WHEN NOT (OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL AND """
    + " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column in COLUMNS)
    + """)
    BEGIN
        SELECT RAISE(ABORT, 'audit log entries cannot be changed');
    END""",
    """CREATE TRIGGER audit_activitylog_no_delete BEFORE DELETE ON audit_activitylog
    WHEN NOT (EXISTS (SELECT 1 FROM audit_purge_permit WHERE everything = 1)
              OR (EXISTS (SELECT 1 FROM audit_purge_permit)
                  AND OLD."timestamp" < strftime('%Y-%m-%d %H:%M:%f', 'now', '-180 days')))
    BEGIN
        SELECT RAISE(ABORT, 'audit log entries cannot be deleted');
    END""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_activitylog_no_update",
    "DROP TRIGGER IF EXISTS audit_activitylog_no_delete",
    "DROP TABLE IF EXISTS audit_purge_permit",
]

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION audit_activitylog_no_truncate() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit log cannot be truncated' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS audit_activitylog_no_truncate ON audit_activitylog;
CREATE TRIGGER audit_activitylog_no_truncate
    BEFORE TRUNCATE ON audit_activitylog
    FOR EACH STATEMENT EXECUTE FUNCTION audit_activitylog_no_truncate();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS audit_activitylog_no_truncate ON audit_activitylog;
DROP FUNCTION IF EXISTS audit_activitylog_no_truncate();
"""


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement, params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_CREATE, params=None)


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement, params=None)
    elif vendor == "postgresql":
        schema_editor.execute(POSTGRES_DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_protect_on_postgresql")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
