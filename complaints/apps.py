from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints and disputes")

    def ready(self):
        from files.selectors import register_attached_model
        from notifications.kinds import register as register_kind

        from . import permissions, privacy, targets, workspace  # noqa: F401
        from .models import Complaint, Dispute
        from .selectors import complaints_visible_to, disputes_visible_to

        targets.register()
        privacy.register()
        workspace.register()
        from . import summary_figures

        summary_figures.register()
        register_attached_model(Complaint, complaints_visible_to)
        register_attached_model(Dispute, disputes_visible_to)
        register_kind("complaint.update", _("Progress of my complaints"))
        register_kind("complaint.to_handle", _("Complaints for me to handle"))
        register_kind("complaint.shared", _("Complaints about me: what the staff share"))
        register_kind("dispute.update", _("Progress of my disputes"))
