from django.db.models.signals import post_migrate

from .enums import RoleCode


def ensure_roles(sender, using="default", apps=None, **kwargs):
    """Roles are reference data: present after every migrate, and again after a test flush
    (a transactional test empties every table, and data migrations do not run again)."""
    if apps is None:  # flush sends no migration state: the current models are the state
        from django.apps import apps
    try:
        Role = apps.get_model("accounts", "Role")
    except LookupError:
        return
    for code in RoleCode.values:
        Role.objects.using(using).get_or_create(code=code)


def connect(app_config):
    post_migrate.connect(ensure_roles, sender=app_config, dispatch_uid="accounts.ensure_roles")
