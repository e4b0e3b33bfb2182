from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        from . import grants, receivers  # noqa: F401  (receivers connects the log-in receivers)

        grants.connect(self)
