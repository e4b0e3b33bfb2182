from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PushConfig(AppConfig):
    name = "push"
    verbose_name = _("Push of published demands")

    def ready(self):
        from demands.hooks import register_published
        from notifications.enums import DeliveryMode
        from notifications.kinds import register as register_kind

        # Importing the tasks registers them with the Celery worker.
        from . import fanout, privacy, tasks, workspace  # noqa: F401
        from .matching import KIND

        register_kind(KIND, _("Newly published demands I follow"), default=DeliveryMode.DIGEST)
        register_published(fanout.schedule_publication)
        workspace.register()
        privacy.register()
