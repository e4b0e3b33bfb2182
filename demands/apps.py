from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "demands"
    verbose_name = _("Demands")

    def ready(self):
        # Registers the demands.* permissions with django-rules, and the workspace sections.
        from notifications.kinds import register as register_kind

        from . import permissions, workspace  # noqa: F401

        workspace.register()
        register_kind("demand.status_changed", _("Status changes of my demands"))
        register_kind("demand.wording_proposed", _("Wording proposals for my demands"))
        register_kind("demand.expert_assigned", _("Demands I am asked to analyse"))
        # the public side (demands.access)
        register_kind("demand.access_requested",
                      _("Requests for the hidden details of my demands"))
        register_kind("demand.access_decided", _("Answers to my requests for hidden details"))
        register_kind("demand.message", _("Messages from challengers about my demands"))
