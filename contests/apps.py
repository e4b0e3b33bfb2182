from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Contest")

    def ready(self):
        from accounts.agreements import register_scope
        from accounts.selectors import register_organisation_tie

        from . import privacy
        from .models import Contest
        from .selectors import current_contest, organisation_ids_on_staff

        # The NDA and disclaimer are versioned per contest; the current one's gate the pages.
        register_scope(Contest, current_contest)
        register_organisation_tie(organisation_ids_on_staff)
        privacy.register()
