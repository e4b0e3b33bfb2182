"""The awards app in Django admin, host-scoped like the pages (``contests.admin_scoping``): the
unit's staff see their units' rows, Torch staff every unit's. A state changes only on the pages,
through the services: awards, service requests, follow-ups and subsidy applications are read
here; a contract's priority flag and a unit's subsidy policies are written through
``services.flag_contract`` / ``save_policy`` / ``delete_policy`` (audited), by the unit's
staff."""

from django import forms
from django.contrib import admin

from contests.admin_scoping import HostScopedAdminMixin, HostScopedInlineMixin

from . import permissions, selectors, services
from .models import (
    Award,
    AwardTransition,
    FollowUp,
    ServiceRequest,
    ServiceRequestTransition,
    SubsidyApplication,
    SubsidyApplicationTransition,
    SubsidyPolicy,
    TechnologyContract,
)

READ_ONLY = frozenset({"view"})


def _all_fields(model):
    return [field.name for field in model._meta.fields]


class _HistoryInline(HostScopedInlineMixin, admin.TabularInline):
    host_staff_permissions = READ_ONLY
    extra = 0
    can_delete = False
    fields = ["at", "from_state", "to_state", "actor", "reason"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    """Browsed by the unit's staff and Torch staff; every change is a step on the pages."""

    host_staff_permissions = READ_ONLY
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return _all_fields(self.model)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AwardTransitionInline(_HistoryInline):
    model = AwardTransition


@admin.register(Award)
class AwardAdmin(_ReadOnlyAdmin):
    visible_to = selectors.awards_managed_by
    list_display = ["title", "recipient", "payer", "amount", "due_on", "state", "host_unit"]
    list_select_related = ["recipient", "payer", "host_unit"]
    list_filter = ["state", "host_unit"]
    search_fields = ["title", "demand__ref", "recipient__name", "payer__name"]
    inlines = [AwardTransitionInline]


@admin.register(TechnologyContract)
class TechnologyContractAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    """The unit's staff flag a contract for priority here as on its page; the rest is read."""

    visible_to = selectors.contracts_managed_by
    host_staff_permissions = frozenset({"view", "change"})
    actions = None
    list_display = ["number", "kind", "amount", "signed_on", "priority", "host_unit"]
    list_select_related = ["host_unit"]
    list_filter = ["priority", "kind", "host_unit"]
    search_fields = ["number", "agreement__demand__ref"]
    fields = ["number", "agreement", "host_unit", "kind", "amount", "signed_on",
              "registered_by", "created_at", "priority", "priority_note"]

    def get_readonly_fields(self, request, obj=None):
        return [name for name in self.fields if name not in ("priority", "priority_note")]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self._host_staff_may(request, "change")
        return bool(permissions.can_flag_contract(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        self.check_host_scope(request, obj)
        services.flag_contract(obj, priority=obj.priority, note=obj.priority_note,
                               actor=request.user, request=request)


class ServiceRequestTransitionInline(_HistoryInline):
    model = ServiceRequestTransition


@admin.register(ServiceRequest)
class ServiceRequestAdmin(_ReadOnlyAdmin):
    visible_to = selectors.services_managed_by
    list_display = ["__str__", "kind", "provider", "state", "rating", "host_unit", "created_at"]
    list_select_related = ["provider", "host_unit"]
    list_filter = ["state", "kind", "host_unit"]
    inlines = [ServiceRequestTransitionInline]


@admin.register(FollowUp)
class FollowUpAdmin(_ReadOnlyAdmin):
    visible_to = selectors.follow_ups_managed_by
    list_display = ["agreement", "months", "due_on", "reported_at", "evaluated_at", "host_unit"]
    list_select_related = ["agreement", "host_unit"]
    list_filter = ["months", "host_unit"]


class SubsidyPolicyForm(forms.ModelForm):
    """Checked by the service's own rules, each error on its field."""

    class Meta:
        model = SubsidyPolicy
        fields = ["host_unit", "work_plan", "title", "description", "max_amount",
                  "eligibility", "opens_on", "closes_on"]

    def clean(self):
        data = super().clean()
        host_unit = data.get("host_unit") or getattr(self.instance, "host_unit", None)
        if self.errors or host_unit is None:
            return data
        try:
            services.check_policy(host_unit, **{name: data.get(name)
                                                for name in services.POLICY_FIELDS})
        except services.AwardError as error:
            field = error.field if error.field in self.fields else None
            self.add_error(field, str(error.message))
        return data


@admin.register(SubsidyPolicy)
class SubsidyPolicyAdmin(HostScopedAdminMixin, admin.ModelAdmin):
    """The unit's staff enter and change their units' policies (through the service); Torch
    staff read them."""

    visible_to = selectors.policies_managed_by
    form = SubsidyPolicyForm
    actions = None
    list_display = ["title", "host_unit", "max_amount", "opens_on", "closes_on"]
    list_select_related = ["host_unit"]
    list_filter = ["host_unit"]
    search_fields = ["title"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not self._host_staff_may(request, "change", obj):
            return _all_fields(self.model)
        # A policy stays with its unit (its applications name the unit too).
        return ["host_unit"] if obj is not None else []

    def has_add_permission(self, request):
        return self._host_staff_may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self._host_staff_may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self._host_staff_may(request, "delete", obj) and (
            obj is None or not obj.applications.exists())

    def save_model(self, request, obj, form, change):
        self.check_host_scope(request, obj)
        saved = services.save_policy(
            obj.host_unit, actor=request.user, policy=obj if change else None, request=request,
            **{name: getattr(obj, name) for name in services.POLICY_FIELDS})
        obj.pk = saved.pk
        for field in SubsidyPolicy._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))

    def delete_model(self, request, obj):
        self.check_host_scope(request, obj)
        services.delete_policy(obj, actor=request.user, request=request)


class SubsidyApplicationTransitionInline(_HistoryInline):
    model = SubsidyApplicationTransition


@admin.register(SubsidyApplication)
class SubsidyApplicationAdmin(_ReadOnlyAdmin):
    visible_to = selectors.subsidy_applications_managed_by
    list_display = ["policy", "organisation", "amount_asked", "amount_approved", "state",
                    "host_unit", "created_at"]
    list_select_related = ["policy", "organisation", "host_unit"]
    list_filter = ["state", "host_unit"]
    search_fields = ["policy__title", "organisation__name", "agreement__demand__ref"]
    inlines = [SubsidyApplicationTransitionInline]
