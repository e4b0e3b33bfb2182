from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from accounts.workspace import register_section
        from files.selectors import register_attached_model
        from notifications.kinds import register as register_kind

        from . import (
            permissions,  # noqa: F401
            privacy,
        )
        from .models import TrainingMaterial
        from .views import workspace_context

        register_attached_model(TrainingMaterial, training_visible_to)
        privacy.register()
        register_kind("training.published", _("Training materials and sessions for host staff"))

        register_section("dashboards", "dashboards/workspace_section.html", workspace_context,
                         order=30)


def training_visible_to(user):
    from .models import TrainingMaterial
    from .permissions import may_follow_training

    if user is None or not may_follow_training(user):
        return TrainingMaterial.objects.none()
    return TrainingMaterial.objects.all()
