"""The push in admin, for Torch Center staff: subscriptions (read-only), publication pushes
and webhook deliveries with their attempts (read-only, with retry actions), and webhooks
(registered and changed through ``push.webhooks``)."""

from django import forms
from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.permissions import is_torch_staff
from notifications.admin import TorchStaffOnlyAdmin

from . import fanout, webhooks
from .models import PublicationPush, Subscription, Webhook, WebhookAttempt, WebhookDelivery


def _short(text):
    return Truncator(text).chars(80)


@admin.register(Subscription)
class SubscriptionAdmin(TorchStaffOnlyAdmin):
    list_display = ["user", "name", "regions", "keywords", "created_at"]
    search_fields = ["user__email", "name"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "fields", "regions", "keywords", "created_at",
                       "updated_at"]
    fields = readonly_fields


@admin.register(PublicationPush)
class PublicationPushAdmin(TorchStaffOnlyAdmin):
    list_display = ["demand", "state", "matched", "notified", "webhooks", "runs", "failures",
                    "error", "created_at", "finished_at"]
    list_filter = ["state"]
    search_fields = ["demand__ref"]
    list_select_related = ["demand"]
    readonly_fields = ["demand", "state", "matched", "notified", "webhooks", "last_user_id",
                       "runs", "failures", "last_error", "next_attempt_at", "claimed_until",
                       "created_at", "started_at", "finished_at", "updated_at"]
    fields = readonly_fields
    actions = ["retry"]

    @admin.display(description=_("last error"))
    def error(self, obj):
        return _short(obj.last_error)

    @admin.action(description=_("Run the selected failed pushes again"), permissions=["change"])
    def retry(self, request, queryset):
        count = fanout.retry_pushes(queryset.values_list("pk", flat=True), actor=request.user,
                                    request=request)
        self.message_user(request, ngettext(
            "%(count)d failed push will run again from its checkpoint.",
            "%(count)d failed pushes will run again from their checkpoints.", count)
            % {"count": count})


class WebhookAdminForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")

    class Meta:
        model = Webhook
        fields = ["name", "url", "active", "fields"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        webhooks.check_url(url)
        return url


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """Torch staff register and change webhooks here or on /notifications/webhooks/."""

    form = WebhookAdminForm
    list_display = ["name", "url", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    filter_horizontal = ["fields"]
    readonly_fields = ["secret", "created_by", "created_at", "updated_at"]
    actions = ["enable", "disable"]

    def has_module_permission(self, request):
        return is_torch_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return is_torch_staff(request.user)

    def has_add_permission(self, request):
        return is_torch_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return is_torch_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        # Deliveries are the record of what was sent: disable instead.
        return False

    def save_model(self, request, obj, form, change):
        # The form has just checked the URL (clean_url), with the same function.
        webhooks.save_webhook(obj, actor=request.user, request=request,
                              fields=form.cleaned_data["fields"], url_checked=True)

    def save_related(self, request, form, formsets, change):
        # The service has set the field filter; only inlines would be left, and there are none.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def _set_active(self, request, queryset, active):
        for webhook in queryset:
            webhooks.set_active(webhook, active, actor=request.user, request=request)

    @admin.action(description=_("Enable the selected webhooks"), permissions=["change"])
    def enable(self, request, queryset):
        self._set_active(request, queryset, True)

    @admin.action(description=_("Disable the selected webhooks"), permissions=["change"])
    def disable(self, request, queryset):
        self._set_active(request, queryset, False)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    fields = ["number", "started_at", "status_code", "duration_ms", "succeeded", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return is_torch_staff(request.user)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(TorchStaffOnlyAdmin):
    list_display = ["created_at", "webhook", "event", "demand_ref", "state", "attempts",
                    "last_status_code", "error", "next_attempt_at", "delivered_at"]
    list_filter = ["state", "event", "webhook"]
    search_fields = ["idempotency_key", "uuid"]
    list_select_related = ["webhook"]
    readonly_fields = ["webhook", "event", "uuid", "idempotency_key", "payload", "state",
                       "attempts", "last_status_code", "last_error", "next_attempt_at",
                       "claimed_until", "created_at", "updated_at", "delivered_at"]
    fields = readonly_fields
    inlines = [WebhookAttemptInline]
    actions = ["retry"]

    @admin.display(description=_("demand"))
    def demand_ref(self, obj):
        return ((obj.payload or {}).get("data") or {}).get("demand", {}).get("ref", "")

    @admin.display(description=_("last error"))
    def error(self, obj):
        return _short(obj.last_error)

    @admin.action(description=_("Send the selected failed deliveries again"),
                  permissions=["change"])
    def retry(self, request, queryset):
        count = webhooks.retry_deliveries(queryset.values_list("pk", flat=True),
                                          actor=request.user, request=request)
        self.message_user(request, ngettext(
            "%(count)d failed delivery will be sent again.",
            "%(count)d failed deliveries will be sent again.", count) % {"count": count})
