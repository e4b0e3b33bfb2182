import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import ActivityLog
from .permissions import is_overseer


class ReadOnlyForTorchStaffAdmin(admin.ModelAdmin):
    """Torch staff and superusers browse; nobody adds, changes or deletes; host organisers do
    not see the model at all."""

    actions = None

    def has_module_permission(self, request):
        return is_overseer(request.user)

    def has_view_permission(self, request, obj=None):
        return is_overseer(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityLog)
class ActivityLogAdmin(ReadOnlyForTorchStaffAdmin):
    list_display = ("timestamp", "action", "result", "actor_label", "content_type",
                    "object_repr", "from_state", "to_state", "ip_address", "sequence")
    list_filter = (
        "action",
        "result",
        ("actor", admin.RelatedOnlyFieldListFilter),
        ("content_type", admin.RelatedOnlyFieldListFilter),
    )
    date_hierarchy = "timestamp"
    search_fields = ("object_repr", "actor_label", "object_id")
    list_select_related = ("content_type",)
    fields = ("sequence", "timestamp", "action", "result", "actor_label", "actor",
              "content_type", "object_id", "object_repr", "from_state", "to_state",
              "data_display", "ip_address", "prev_hash", "entry_hash")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("data"))
    def data_display(self, entry):
        return format_html("<pre>{}</pre>", json.dumps(entry.data, ensure_ascii=False, indent=2,
                                                       sort_keys=True))
