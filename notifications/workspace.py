"""The notifications section of the workspace dashboard.

The dashboard belongs to accounts, above the kernel: accounts adds this section from its
``ready()`` by calling ``register`` with its own ``register_section``."""

from . import selectors

SHOWN = 3


def notifications_context(request):
    """The latest few notifications and the way to the inbox and the settings."""
    return {"latest": list(selectors.notifications_for(request.user)[:SHOWN])}


def register(register_section):
    register_section("notifications", "notifications/workspace_section.html",
                     notifications_context, order=15)
