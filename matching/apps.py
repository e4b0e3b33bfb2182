from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        from demands.hooks import register_expert_source, register_links, register_published
        from notifications.kinds import register as register_kind

        from . import permissions, privacy, search, workspace  # noqa: F401  (rules, the search index)
        from .experts import SOURCE as agency_experts
        from .importing import resources  # noqa: F401  (registers the standard-format resource)
        from .links import demand_links
        from .tasks import on_demand_published

        register_published(on_demand_published)
        register_links(demand_links)
        register_expert_source(agency_experts)
        register_scopes()
        workspace.register()
        privacy.register()
        from . import summary_figures

        summary_figures.register()
        register_kind("matching.invited", _("Invitations to answer a demand"))
        register_kind("matching.invitation_answered", _("Answers to my invitations"))
        register_kind("matching.commissioned", _("Commissions of my service agency"))
        register_kind("matching.agreement", _("Intention agreements of my demands"))
        register_kind("matching.docking", _("Docking sessions I take part in"))
        register_kind("matching.demand_matched", _("Demands I answered that found a partner"))
        register_kind("matching.live_round", _("Live rounds I take part in or judge"))


def register_scopes():
    """The signed file of an intention agreement is downloaded under
    ``matching.view_intentionagreement``."""
    from files.selectors import register_attached_model

    from .models import IntentionAgreement
    from .selectors import agreements_visible_to

    register_attached_model(IntentionAgreement, agreements_visible_to)
