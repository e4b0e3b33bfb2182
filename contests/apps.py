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
        register_host_registration()
        register_summary_reports()


def register_host_registration():
    """Host registration (contests.registration): its notification kinds, who may download an
    application's authorisation letter (the applicant and Torch staff), and its permissions."""
    import rules

    from accounts.permissions import is_torch_staff
    from files.selectors import register_attached_model
    from notifications.kinds import register as register_kind

    from .models import HostApplication
    from .registration import applications_visible_to

    register_kind("host.application", _("Applications to join a host unit"))
    register_kind("host.staff", _("Invitations to and changes of a host unit's staff"))
    register_attached_model(HostApplication, applications_visible_to)

    from accounts.workspace import register_section

    from .workspace import host_registration_context

    register_section("host_registration", "contests/workspace_host_registration.html",
                     host_registration_context, order=80)

    @rules.predicate
    def is_applicant(user, application):
        return application is not None and user.is_authenticated and (
            application.user_id == user.pk)

    rules.add_perm("contests.view_hostapplication", is_applicant | is_torch_staff)


def register_summary_reports():
    """Summary reports: their notification kinds and the workspace section."""
    from accounts.workspace import register_section
    from notifications.kinds import register as register_kind

    from .workspace import summary_reports_context

    register_kind("summary.submitted", _("Summary reports submitted for review"))
    register_kind("summary.reviewed", _("Reviews of my host unit's summary report"))
    register_section("summary_reports", "contests/workspace_summary_reports.html",
                     summary_reports_context, order=82)
