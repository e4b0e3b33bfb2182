from django.contrib import admin
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.admin import ReadOnlyForTorchStaffAdmin
from common.admin_scope import SelectorScopedAdminMixin

from .models import PrivateFile
from .selectors import files_visible_to


@admin.register(PrivateFile)
class PrivateFileAdmin(SelectorScopedAdminMixin, ReadOnlyForTorchStaffAdmin):
    # What the download view would serve: never the attachments of a company's draft.
    visible_to = files_visible_to
    list_display = ("original_name", "kind", "content_type", "size_display", "uploader",
                    "object_type", "object_id", "public_safe", "created_at", "download_link")
    list_filter = ("kind", "public_safe", "content_type", "created_at")
    search_fields = ("original_name", "sha256", "=uuid", "uploaded_by__email")
    list_select_related = ("uploaded_by", "object_type")
    date_hierarchy = "created_at"
    fields = ("uuid", "original_name", "kind", "content_type", "size_display", "sha256",
              "uploaded_by", "created_at", "public_safe", "object_type", "object_id",
              "download_link")
    readonly_fields = fields

    @admin.display(description=_("size"), ordering="size")
    def size_display(self, private_file):
        return filesizeformat(private_file.size)

    @admin.display(description=_("uploaded by"), ordering="uploaded_by__email")
    def uploader(self, private_file):
        return private_file.uploaded_by.email if private_file.uploaded_by else "—"

    @admin.display(description=_("download"))
    def download_link(self, private_file):
        return format_html('<a href="{}">{}</a>', private_file.get_absolute_url(),
                           _("Download"))
