from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "demands"
    verbose_name = _("Demands")

    def ready(self):
        # Registers the demands.* permissions with django-rules, and the workspace sections.
        from notifications.kinds import register as register_kind

        from . import permissions, privacy, workspace  # noqa: F401
        from .importing import resources  # noqa: F401  (registers the standard-format resource)

        workspace.register()
        from .public import figures

        figures.register()
        register_scopes()
        register_kind("demand.status_changed", _("Status changes of my demands"))
        register_kind("demand.wording_proposed", _("Wording proposals for my demands"))
        register_kind("demand.expert_assigned", _("Demands I am asked to analyse"))
        # the public side (demands.services.access)
        register_kind("demand.access_requested",
                      _("Requests for the hidden details of my demands"))
        register_kind("demand.access_decided", _("Answers to my requests for hidden details"))
        register_kind("demand.contact_erased",
                      _("Contact persons of our demands who erased their accounts"))
        privacy.register()
        from . import summary_figures

        summary_figures.register()


def register_scopes():
    """What lower apps show of demands to whom: the attachments a user may download, and the
    organisations a host organiser deals with in admin."""
    from accounts.selectors import register_organisation_tie
    from files.selectors import register_attached_model

    from .models import Demand
    from .selectors import demands_visible_to, organisation_ids_with_managed_demands

    register_attached_model(Demand, demands_visible_to)
    register_organisation_tie(organisation_ids_with_managed_demands)
