from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("Awards and services")

    def ready(self):
        from demands.hooks import register_links
        from files.selectors import register_attached_model
        from notifications.kinds import register as register_kind

        from . import permissions, privacy, targets, workspace  # noqa: F401  (rules)
        from .links import demand_links
        from .models import Award, SubsidyApplication
        from .selectors import awards_visible_to, subsidy_applications_visible_to

        register_kind("awards.award", _("Awards of my organisations"))
        register_kind("awards.service", _("My service requests"))
        register_kind("awards.follow_up", _("Follow-ups of my matched demands"))
        register_kind("awards.subsidy", _("Subsidy applications"))
        # The proof of payment is downloaded under awards.view_award.
        register_attached_model(Award, awards_visible_to)
        # Supporting files are downloaded under awards.view_subsidyapplication.
        register_attached_model(SubsidyApplication, subsidy_applications_visible_to)
        register_links(demand_links)
        workspace.register()
        privacy.register()
        from . import summary_figures

        summary_figures.register()
        targets.register()
