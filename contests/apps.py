from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Contest")

    def ready(self):
        from accounts.selectors import register_organisation_tie

        from .selectors import organisation_ids_on_staff

        register_organisation_tie(organisation_ids_on_staff)
