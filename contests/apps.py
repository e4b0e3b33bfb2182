from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("Contest")

    def ready(self):
        from accounts.agreements import register_scope

        from .models import Contest
        from .selectors import current_contest

        # The NDA and disclaimer are versioned per contest; the current one's gate the pages.
        register_scope(Contest, current_contest)
