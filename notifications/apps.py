from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from . import workspace
        from .checks import kind_templates

        checks.register(kind_templates, "templates")
        workspace.register()
        # The push: its workspace section, and its tasks registered with the worker.
        from .push import tasks as push_tasks  # noqa: F401
        from .push import workspace as push_workspace

        push_workspace.register()
