"""Resources by key, so an import job (which stores only a key) finds its resource in a
worker, and so every resource's import/export permission rules are installed at start-up.

Apps call ``register`` in their ``resources.py``; ``ImportExportConfig.ready`` imports every
app's ``resources`` module.
"""

import rules

_resources = {}


def model_permission(model, action):
    """``"<app>.import_<model>"`` or ``"<app>.export_<model>"``, the names django-import-export
    builds from ``IMPORT_EXPORT_IMPORT_PERMISSION_CODE`` / ``..._EXPORT_...``."""
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def import_permission(resource_class):
    return model_permission(resource_class._meta.model, "import")


def export_permission(resource_class):
    return model_permission(resource_class._meta.model, "export")


def register(resource_class):
    """Register a resource (usable as a class decorator) and install its permission rules.

    One resource per model sets the rules: a second resource for the same model must carry the
    same rules.
    """
    key = resource_class.get_resource_key()
    existing = _resources.get(key)
    if existing is not None and existing.__qualname__ != resource_class.__qualname__:
        raise ValueError(f"resource key {key!r} is already taken by {existing!r}")
    _resources[key] = resource_class
    rules.set_perm(import_permission(resource_class), resource_class.import_rule)
    rules.set_perm(export_permission(resource_class), resource_class.export_rule)
    return resource_class


def get_resource_class(key):
    """The registered resource class for ``key``, or None."""
    return _resources.get(key)


def registered():
    """``{key: resource class}`` of every registered resource."""
    return dict(_resources)


def importable_by(user):
    """``[(key, resource class)]`` the user may import, sorted by key."""
    return [
        (key, resource_class) for key, resource_class in sorted(_resources.items())
        if user.has_perm(import_permission(resource_class))
    ]


def exportable_by(user):
    return [
        (key, resource_class) for key, resource_class in sorted(_resources.items())
        if user.has_perm(export_permission(resource_class))
    ]
