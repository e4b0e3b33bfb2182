from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from notifications.kinds import register as register_kind

        from . import privacy_views, sections, signals

        register_kind("account.security", _("Account security"), security=True)
        register_kind("agreement.new_version", _("New versions of agreements I must sign"))

        signals.connect(self)

        sections.register()
        privacy_views.register_workspace_section()
