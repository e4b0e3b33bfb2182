from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from audit.permissions import set_overseer_rule
        from notifications.kinds import register as register_kind

        from . import privacy, privacy_views, sections, signals
        from .permissions import is_torch_staff

        # The kernel's admin pages and private files are overseen by Torch Center staff.
        set_overseer_rule(is_torch_staff)

        register_kind("account.security", _("Account security"), security=True)
        register_kind("agreement.new_version", _("New versions of agreements I must sign"))

        signals.connect(self)

        sections.register()
        sections.register_kernel_sections()
        privacy_views.register_workspace_section()
        privacy.register_models()
