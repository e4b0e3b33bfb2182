"""Demands in Django admin, listed from the organiser pages' selectors: the host organiser's
units (Torch staff: all units), never a company's draft before it is submitted.

Admin shows demands and their expert work; it never writes them directly. State changes are
actions that go through ``services.transition`` like the organiser pages, so every change is
checked and recorded; content is edited by the company on its pages.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.errors import DomainError
from common.importexport.admin import ScopedImportExportMixin
from contests.admin_scoping import HostScopedAdminMixin, HostScopedInlineMixin

from . import selectors, services
from .enums import DemandStatus
from .importing.resources import DemandResource
from .models import Analysis, Demand, DemandTransition, ExpertAssignment, Indicator, WordingProposal
from .services import national

READ_ONLY = frozenset({"view"})
VIEW_AND_ACTIONS = frozenset({"view", "change"})


class _ReadOnlyInline(HostScopedInlineMixin, admin.TabularInline):
    host_staff_permissions = READ_ONLY
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IndicatorInline(_ReadOnlyInline):
    model = Indicator
    fields = ["position", "name", "target_value", "unit", "current_value"]


class TransitionInline(_ReadOnlyInline):
    model = DemandTransition
    fields = ["at", "from_state", "to_state", "actor", "reason"]


class AssignmentInline(_ReadOnlyInline):
    model = ExpertAssignment
    fields = ["expert", "assigned_by", "assigned_at"]


class _ReadOnlyAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    host_staff_permissions = READ_ONLY

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Demand)
class DemandAdmin(ScopedImportExportMixin, _ReadOnlyAdmin):
    # The organiser pages' scope: a company's draft stays with it until submitted.
    visible_to = selectors.managed_scope
    host_unit_lookup = "host_unit"
    # Import and export in the standard format (demands/importing/resources.py): the import
    # runs as an import job through the demand resource, which creates and submits demands in
    # bulk through the demand services.
    resource_classes = [DemandResource]
    # "change" only so that the workflow actions below are offered; every field is read-only.
    host_staff_permissions = VIEW_AND_ACTIONS
    list_display = ["ref", "title", "organisation", "host_unit", "status", "entered_by_host",
                    "updated_at"]
    list_display_links = ["ref", "title"]
    list_filter = ["status", "entered_by_host", "host_unit"]
    list_select_related = ["organisation", "host_unit"]
    search_fields = ["ref", "title", "organisation__name"]
    date_hierarchy = "created_at"
    inlines = [IndicatorInline, AssignmentInline, TransitionInline]
    actions = ["publish", "close", national.mark_national_action,
               national.unmark_national_action]
    # Columns derived for the public side (search, snapshot) are not shown.
    internal_prefixes = ("search_", "public_snapshot", "public_indexed")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields
                if not field.name.startswith(self.internal_prefixes)]

    def has_change_permission(self, request, obj=None):
        # A demand is never edited here: "change" on the list only offers the workflow
        # actions; a single demand opens read-only.
        return obj is None and super().has_change_permission(request)

    def _apply(self, request, queryset, to_status):
        done, refused = 0, []
        for demand in queryset:
            try:
                services.transition(demand, to_status, actor=request.user)
            except DomainError as error:
                refused.append(f"{demand.ref}: {error.message}")
            else:
                done += 1
        if done:
            self.message_user(request, ngettext("%(count)d demand is now “%(status)s”.",
                                                "%(count)d demands are now “%(status)s”.", done)
                              % {"count": done, "status": DemandStatus(to_status).label},
                              messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.ERROR)

    @admin.action(description=_("Publish the selected approved demands"),
                  permissions=["change"])
    def publish(self, request, queryset):
        self._apply(request, queryset, DemandStatus.PUBLISHED)

    @admin.action(description=_("Close the selected published demands"), permissions=["change"])
    def close(self, request, queryset):
        self._apply(request, queryset, DemandStatus.CLOSED)

    def has_national_permission(self, request):
        """National publishing (集中发布) is Torch staff's: demands.services.national."""
        return national.may_publish_nationally(request.user)


@admin.register(Analysis)
class AnalysisAdmin(_ReadOnlyAdmin):
    visible_to = selectors.analyses_managed_by
    host_unit_lookup = "demand__host_unit"
    list_display = ["demand", "expert", "verdict", "submitted_at"]
    list_select_related = ["demand", "expert"]
    list_filter = ["verdict"]
    search_fields = ["demand__ref", "demand__title"]


@admin.register(ExpertAssignment)
class ExpertAssignmentAdmin(_ReadOnlyAdmin):
    visible_to = selectors.assignments_managed_by
    host_unit_lookup = "demand__host_unit"
    list_display = ["demand", "expert", "assigned_by", "assigned_at"]
    list_select_related = ["demand", "expert", "assigned_by"]
    search_fields = ["demand__ref", "expert__email", "expert__full_name"]


@admin.register(WordingProposal)
class WordingProposalAdmin(_ReadOnlyAdmin):
    visible_to = selectors.proposals_managed_by
    host_unit_lookup = "demand__host_unit"
    list_display = ["demand", "proposed_by", "state", "created_at", "decided_at"]
    list_select_related = ["demand", "proposed_by"]
    list_filter = ["state"]
    search_fields = ["demand__ref", "demand__title"]
