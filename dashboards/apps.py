from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from accounts.workspace import register_section

        from .views import workspace_context

        register_section("dashboards", "dashboards/workspace_section.html", workspace_context,
                         order=30)
