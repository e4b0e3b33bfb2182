"""Complaints and disputes in Django admin: Torch staff read them; every change goes through the
pages (and so through ``services``), where the workflow, the clock and the notifications are."""

from django.contrib import admin

from audit.admin import ReadOnlyForTorchStaffAdmin

from .models import Complaint, Dispute


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyForTorchStaffAdmin):
    list_display = ("number", "state", "category", "target_label", "handling_unit",
                    "handled_by_torch", "received_at", "accept_due", "escalated_at")
    list_filter = ("state", "category", "handled_by_torch",
                   ("handling_unit", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number", "target_label", "target_reference")
    list_select_related = ("handling_unit",)
    exclude = ("parties",)
    date_hierarchy = "received_at"


@admin.register(Dispute)
class DisputeAdmin(ReadOnlyForTorchStaffAdmin):
    list_display = ("number", "subject", "state", "host_unit", "created_at")
    list_filter = ("state", ("host_unit", admin.RelatedOnlyFieldListFilter))
    search_fields = ("number", "subject")
    list_select_related = ("host_unit",)
