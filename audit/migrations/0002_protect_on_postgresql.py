"""On PostgreSQL the database itself refuses to change or delete audit entries.

Allowed are only: nulling ``actor_id`` when a user is deleted (the hash covers
``actor_label``, not the id), and deleting entries older than 180 days inside a transaction
that ran ``SET LOCAL audit.allow_purge = 'on'`` (``audit.services.purge_entries``). The age is
checked by the trigger, so even that path cannot remove a young entry.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_activitylog_protect() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF coalesce(current_setting('audit.allow_purge', true), '') = 'on'
           AND OLD."timestamp" < now() - interval '180 days' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit log entries cannot be deleted (id %, sequence %)',
            OLD.id, OLD.sequence USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit log entries cannot be changed (id %, sequence %)',
        OLD.id, OLD.sequence USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS audit_activitylog_protect ON audit_activitylog;
CREATE TRIGGER audit_activitylog_protect
    BEFORE UPDATE OR DELETE ON audit_activitylog
    FOR EACH ROW EXECUTE FUNCTION audit_activitylog_protect();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_activitylog_protect ON audit_activitylog;
DROP FUNCTION IF EXISTS audit_activitylog_protect();
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
