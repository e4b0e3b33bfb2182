"""The outbox in admin, for Torch Center staff and superusers only: what went out, what is
waiting, what failed and why, and a retry for failed messages."""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from audit.permissions import is_overseer

from . import services
from .models import Notification, OutboundEmail


class TorchStaffOnlyAdmin(admin.ModelAdmin):
    """Read-only for Torch staff; changes go through admin actions that call services."""

    def has_module_permission(self, request):
        return is_overseer(request.user)

    def has_view_permission(self, request, obj=None):
        return is_overseer(request.user)

    def has_change_permission(self, request, obj=None):
        # Only the changelist's actions "change"; every object page is read-only.
        return obj is None and is_overseer(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundEmail)
class OutboundEmailAdmin(TorchStaffOnlyAdmin):
    list_display = ["created_at", "address", "kind_label", "subject", "state", "attempts",
                    "error", "next_attempt_at", "sent_at"]
    list_filter = ["state", "kind", "language"]
    search_fields = ["to_address", "subject", "idempotency_key"]
    readonly_fields = ["recipient", "address", "kind_label", "language", "subject", "body",
                       "link", "idempotency_key", "state", "attempts", "last_error",
                       "next_attempt_at", "claimed_until", "digest", "created_at",
                       "updated_at", "sent_at"]
    fields = readonly_fields
    actions = ["retry"]
    list_per_page = 50

    # The field's own name, "to", reads 新状态 (a state change's "to") in Chinese: the column is
    # named in the e-mail's context instead (glossary: locale/glossary.tsv).
    @admin.display(description=pgettext_lazy("e-mail", "To"), ordering="to_address")
    def address(self, obj):
        return obj.to_address

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return obj.get_kind_display()

    @admin.display(description=_("last error"))
    def error(self, obj):
        return Truncator(obj.last_error).chars(80)

    @admin.action(description=_("Send the selected failed e-mails again"),
                  permissions=["change"])
    def retry(self, request, queryset):
        count = services.retry_emails(queryset.values_list("pk", flat=True),
                                      actor=request.user, request=request)
        self.message_user(request, ngettext(
            "%(count)d failed e-mail will be sent again.",
            "%(count)d failed e-mails will be sent again.", count) % {"count": count})


@admin.register(Notification)
class NotificationAdmin(TorchStaffOnlyAdmin):
    list_display = ["created_at", "recipient", "kind_label", "text", "read_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__email", "text", "idempotency_key"]
    readonly_fields = ["recipient", "kind_label", "text", "url", "idempotency_key",
                       "created_at", "read_at"]
    fields = readonly_fields
    list_select_related = ["recipient"]

    # The field's own name, "to", reads 新状态 (a state change's "to") in Chinese: the column is
    # named in the e-mail's context instead (glossary: locale/glossary.tsv).
    @admin.display(description=pgettext_lazy("e-mail", "To"), ordering="to_address")
    def address(self, obj):
        return obj.to_address

    @admin.display(description=_("kind"), ordering="kind")
    def kind_label(self, obj):
        return obj.get_kind_display()

