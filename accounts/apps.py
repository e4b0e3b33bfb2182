from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import privacy_views, sections, signals

        signals.connect(self)

        sections.register()
        privacy_views.register_workspace_section()
