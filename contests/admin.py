from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.errors import DomainError
from common.importexport.admin import ScopedImportExportMixin

from . import selectors, services
from .admin_scoping import HostScopedAdminMixin, HostScopedInlineMixin
from .forms import ReturnWorkPlanForm
from .models import (
    ChallengeNotice,
    ComplaintChannel,
    Contest,
    Event,
    HostMembership,
    HostUnit,
    IndustryField,
    SummaryReport,
    SummaryReportTransition,
    WorkPlan,
    WorkPlanStage,
    WorkPlanTransition,
)
from .resources import ComplaintChannelResource

READ_ONLY = frozenset({"view"})


@admin.register(Contest)
class ContestAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    host_unit_lookup = None
    host_staff_permissions = READ_ONLY
    list_display = ["edition", "name", "document_number", "year", "is_current"]
    readonly_fields = ["updated_at"]


@admin.register(IndustryField)
class IndustryFieldAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    host_unit_lookup = None
    host_staff_permissions = READ_ONLY
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    readonly_fields = ["updated_at"]


@admin.register(Event)
class EventAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    # Host staff see the events they host (read-only); Torch staff manage all 22.
    visible_to = selectors.events_hosted_for
    host_unit_lookup = "host_units"
    host_staff_permissions = READ_ONLY
    list_display = ["number", "name", "kind", "contest"]
    list_display_links = ["number", "name"]
    list_filter = ["kind", "contest"]
    search_fields = ["name"]
    filter_horizontal = ["fields"]
    readonly_fields = ["updated_at"]


@admin.register(HostUnit)
class HostUnitAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    visible_to = selectors.host_units_of
    host_unit_lookup = ""
    host_staff_permissions = frozenset({"view", "change"})
    list_display = ["name", "event_number", "region_name", "region", "slug"]
    list_select_related = ["event"]
    list_filter = ["event__kind"]
    search_fields = ["name", "slug", "region_name"]
    filter_horizontal = ["fields"]

    @admin.display(description=_("event"), ordering="event__number")
    def event_number(self, obj):
        return obj.event.number

    def get_readonly_fields(self, request, obj=None):
        if self.is_unrestricted(request):
            return ["updated_at"]
        # Host staff may write their unit's introduction; the rest comes from the annex.
        return ["event", "name", "slug", "region", "region_name", "fields", "updated_at"]


@admin.register(HostMembership)
class HostMembershipAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    visible_to = selectors.host_memberships_visible_to
    host_staff_permissions = READ_ONLY
    list_display = ["user", "host_unit", "created_at"]
    list_select_related = ["user", "host_unit"]
    list_filter = [("host_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "host_unit__name"]
    raw_id_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        return ["user", "host_unit", "created_at"] if obj is not None else ["created_at"]

    def save_model(self, request, obj, form, change):
        self.check_host_scope(request, obj)
        if change:
            return  # a membership is only ever added or removed
        membership = services.add_host_member(obj.host_unit, obj.user, actor=request.user)
        obj.pk = membership.pk

    def delete_model(self, request, obj):
        self.check_host_scope(request, obj)
        services.remove_host_member(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user"):
            services.remove_host_member(membership, actor=request.user)


class WorkPlanStageInline(HostScopedInlineMixin, admin.TabularInline):
    model = WorkPlanStage
    extra = 0


class WorkPlanTransitionInline(HostScopedInlineMixin, admin.TabularInline):
    model = WorkPlanTransition
    extra = 0
    fields = ["at", "actor", "from_state", "to_state", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkPlan)
class WorkPlanAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    visible_to = selectors.work_plans_visible_to
    host_staff_permissions = frozenset({"view", "add", "change"})
    list_display = ["host_unit", "event_number", "state", "submitted_at", "decided_at"]
    list_select_related = ["host_unit__event"]
    list_filter = ["state", ("host_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["host_unit__name"]
    inlines = [WorkPlanStageInline, WorkPlanTransitionInline]
    actions = ["submit_plans", "approve_plans", "return_plans"]
    readonly_fields = ["state", "review_comment", "submitted_at", "decided_at", "decided_by",
                       "created_by", "created_at", "updated_at"]

    @admin.display(description=_("event"), ordering="host_unit__event__number")
    def event_number(self, obj):
        return obj.host_unit.event.number

    def get_readonly_fields(self, request, obj=None):
        fields = list(self.readonly_fields)
        if obj is not None:
            fields.insert(0, "host_unit")
        return fields

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        # Host staff edit only while the plan is with them; Torch staff may always correct.
        return obj is None or self.is_unrestricted(request) or obj.is_editable

    def has_submit_permission(self, request):
        return bool(self.scoped_host_unit_ids(request))

    def has_review_permission(self, request):
        return self.is_unrestricted(request)

    def save_model(self, request, obj, form, change):
        self.check_host_scope(request, obj)
        services.save_work_plan(obj, actor=request.user)

    def _each(self, request, queryset, service, done_message, **kwargs):
        done = 0
        for plan in queryset.select_related("host_unit"):
            try:
                service(plan, actor=request.user, **kwargs)
                done += 1
            except (DomainError, PermissionDenied) as error:
                text = str(error) or _("You may not do this.")
                self.message_user(request, f"{plan.host_unit}: {text}", messages.ERROR)
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Submit selected work plans"), permissions=["submit"])
    def submit_plans(self, request, queryset):
        self._each(request, queryset, services.submit_work_plan, lambda n: ngettext(
            "%(count)d work plan submitted.", "%(count)d work plans submitted.", n) % {"count": n})

    @admin.action(description=_("Approve selected work plans"), permissions=["review"])
    def approve_plans(self, request, queryset):
        self._each(request, queryset, services.approve_work_plan, lambda n: ngettext(
            "%(count)d work plan approved.", "%(count)d work plans approved.", n) % {"count": n})

    @admin.action(description=_("Return selected work plans with comments"),
                  permissions=["review"])
    def return_plans(self, request, queryset):
        form = ReturnWorkPlanForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._each(request, queryset, services.return_work_plan, lambda n: ngettext(
                "%(count)d work plan returned.", "%(count)d work plans returned.", n)
                % {"count": n}, comment=form.cleaned_data["comment"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return work plans with comments"),
            "opts": self.model._meta,
            "plans": queryset.select_related("host_unit"),
            "form": form,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/contests/workplan/return_plans.html", context)


@admin.register(ChallengeNotice)
class ChallengeNoticeAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    visible_to = selectors.notices_visible_to
    list_display = ["title", "host_unit", "is_published", "published_at"]
    list_select_related = ["host_unit"]
    list_filter = ["is_published", ("host_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "host_unit__name"]
    readonly_fields = ["is_published", "published_at", "published_by", "created_by",
                       "created_at", "updated_at"]
    actions = ["publish_notices", "unpublish_notices"]

    def save_model(self, request, obj, form, change):
        self.check_host_scope(request, obj)
        services.save_notice(obj, actor=request.user)

    def _each(self, request, queryset, service, done_message):
        done = 0
        for notice in queryset:
            try:
                service(notice, actor=request.user)
                done += 1
            except (DomainError, PermissionDenied) as error:
                text = str(error) or _("You may not do this.")
                self.message_user(request, f"{notice}: {text}", messages.WARNING)
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Publish selected notices"), permissions=["change"])
    def publish_notices(self, request, queryset):
        self._each(request, queryset, services.publish_notice, lambda n: ngettext(
            "%(count)d notice published.", "%(count)d notices published.", n) % {"count": n})

    @admin.action(description=_("Withdraw selected notices"), permissions=["change"])
    def unpublish_notices(self, request, queryset):
        self._each(request, queryset, services.unpublish_notice, lambda n: ngettext(
            "%(count)d notice withdrawn.", "%(count)d notices withdrawn.", n) % {"count": n})


@admin.register(ComplaintChannel)
class ComplaintChannelAdmin(ScopedImportExportMixin, HostScopedAdminMixin, admin.ModelAdmin):
    visible_to = selectors.complaint_channels_visible_to
    # Import/export scoped to the user's host units, with its own permissions (contests.importing)
    resource_classes = [ComplaintChannelResource]
    list_display = ["name", "host_unit", "phone", "email", "position"]
    list_select_related = ["host_unit"]
    list_filter = [("host_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "host_unit__name"]

    def save_model(self, request, obj, form, change):
        self.check_host_scope(request, obj)
        services.save_complaint_channel(obj, actor=request.user)

    def delete_model(self, request, obj):
        self.check_host_scope(request, obj)
        services.delete_complaint_channel(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for channel in queryset:
            services.delete_complaint_channel(channel, actor=request.user)


class SummaryReportTransitionInline(HostScopedInlineMixin, admin.TabularInline):
    model = SummaryReportTransition
    extra = 0
    fields = ["at", "actor", "from_state", "to_state", "reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SummaryReport)
class SummaryReportAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    """Read-only: the unit's staff write and submit on the organiser pages, Torch staff rate
    on theirs (``contests.summary_views``), so every change goes through the workflow."""

    visible_to = selectors.summary_reports_visible_to
    host_staff_permissions = READ_ONLY
    list_display = ["host_unit", "event_number", "state", "rating", "submitted_at",
                    "reviewed_at"]
    list_select_related = ["host_unit__event"]
    list_filter = ["state", "rating", ("host_unit", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["host_unit__name"]
    inlines = [SummaryReportTransitionInline]
    readonly_fields = ["host_unit", "state", "implementation", "results", "shortcomings",
                       "suggestions", "figures", "figures_at", "rating", "review_comment",
                       "submitted_at", "reviewed_at", "reviewed_by", "created_by", "created_at",
                       "updated_at"]

    @admin.display(description=_("event"), ordering="host_unit__event__number")
    def event_number(self, obj):
        return obj.host_unit.event.number

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
