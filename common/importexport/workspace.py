"""The "Data import" section of the workspace dashboard.

The dashboard belongs to accounts, above the kernel: accounts adds this section from its
``ready()`` by calling ``register`` with its own ``register_section``."""

from . import registry
from .selectors import jobs_of


def imports_context(request):
    """Shown to users who may import something, or who have imported before."""
    resources = [
        {"key": key, "name": resource_class.get_display_name()}
        for key, resource_class in registry.importable_by(request.user)
    ]
    recent = list(jobs_of(request.user)[:3])
    if not resources and not recent:
        return None
    return {"import_resources": resources, "recent_jobs": recent}


def register(register_section):
    register_section("imports", "importexport/workspace_section.html", imports_context, order=80)
