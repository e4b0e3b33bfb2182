"""Solutions in Django admin, read-only and host-scoped like the pages: host staff see the
submitted solutions to their units' demands, Torch staff all submitted ones; drafts stay the
challenger's own. Decisions are taken on the pages, through the services."""

from django.contrib import admin

from contests.admin_scoping import HostScopedAdminMixin, HostScopedInlineMixin

from . import selectors
from .models import IndicatorAnswer, Solution, SolutionTransition, SolutionVersion

READ_ONLY = frozenset({"view"})


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


class AnswerInline(_ReadOnlyInline):
    model = IndicatorAnswer
    fields = ["indicator", "promised_value", "verification", "note"]


class VersionInline(_ReadOnlyInline):
    model = SolutionVersion
    fields = ["number", "created_by", "created_at"]


class TransitionInline(_ReadOnlyInline):
    model = SolutionTransition
    fields = ["at", "from_state", "to_state", "actor", "reason"]


@admin.register(Solution)
class SolutionAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    visible_to = selectors.solutions_managed_by
    host_unit_lookup = "demand__host_unit"
    host_staff_permissions = READ_ONLY
    list_display = ["title", "demand", "organisation", "status", "trl", "cost", "submitted_at"]
    list_select_related = ["demand", "organisation"]
    list_filter = ["status"]
    search_fields = ["title", "demand__ref", "organisation__name"]
    inlines = [AnswerInline, VersionInline, TransitionInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
