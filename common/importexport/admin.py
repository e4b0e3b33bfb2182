"""Admin side of the safe import/export base.

``ScopedImportExportMixin`` goes before ``admin.ModelAdmin`` on a ModelAdmin whose
``resource_classes`` are registered ``ScopedResource`` subclasses::

    @admin.register(ComplaintChannel)
    class ComplaintChannelAdmin(ScopedImportExportMixin, admin.ModelAdmin):
        resource_classes = [ComplaintChannelResource]

It gives the resource the request's user (so every row stays in the user's scope), checks
``<app>.import_<model>`` and ``<app>.export_<model>`` separately, reads uploads through the
capped reader, keeps the dry-run file in the shared storage, and runs the confirmed import as a
Celery ``ImportJob`` whose progress page the user is sent to.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm

from audit.permissions import is_overseer
from audit.services import log_action

from . import registry, services
from .formats import (
    CSV_EXPORT_ENCODING,
    EXPORT_FORMATS,
    IMPORT_FORMATS,
    ImportFileError,
    max_bytes_default,
    read_bytes,
)
from .models import ImportJob
from .storage import SharedTmpStorage


class CappedImportForm(ImportForm):
    """Refuses a file over ``IMPORT_MAX_BYTES`` on its declared size, before it is stored."""

    def clean_import_file(self):
        import_file = self.cleaned_data["import_file"]
        read_bytes_limit = max_bytes_default()
        if import_file.size > read_bytes_limit:
            # read_bytes raises the same message the portal's import page shows
            read_bytes(import_file, max_bytes=read_bytes_limit)
        return import_file


class ScopedImportExportMixin(ImportExportMixin):
    import_form_class = CappedImportForm
    tmp_storage_class = SharedTmpStorage
    to_encoding = CSV_EXPORT_ENCODING
    skip_import_confirm = False

    @property
    def import_formats(self):
        return IMPORT_FORMATS

    @property
    def export_formats(self):
        return EXPORT_FORMATS

    def get_resource_kwargs(self, request, *args, **kwargs):
        kwargs = super().get_resource_kwargs(request, *args, **kwargs)
        kwargs["user"] = request.user
        return kwargs

    def has_import_permission(self, request):
        return request.user.has_perm(registry.model_permission(self.model, "import"))

    def has_export_permission(self, request):
        return request.user.has_perm(registry.model_permission(self.model, "export"))

    def write_to_tmp_storage(self, import_file, input_format):
        tmp_storage = self.get_tmp_storage_class()(
            encoding=None, read_mode="rb", **self.get_tmp_storage_class_kwargs()
        )
        tmp_storage.save(read_bytes(import_file))
        return tmp_storage

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportFileError):
            form.add_error("import_file", e)
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def get_export_data(self, file_format, request, queryset, **kwargs):
        if not self.has_export_permission(request):
            raise PermissionDenied
        # Native types for binary formats (numbers stay numeric cells in XLSX); the library
        # decides this by a fixed list of its own classes, which ours are not in.
        data = self.get_data_for_export(
            request, queryset, force_native_type=file_format.is_binary(), **kwargs
        )
        log_action("portal.export", request=request, data={
            "resource": self.model._meta.label_lower, "format": file_format.get_extension(),
            "rows": data.height, "via": "admin",
        })
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data

    def process_import(self, request, **kwargs):
        """The confirm step: hand the previewed file to an import job and show its progress."""
        if request.method != "POST":
            return HttpResponse(status=405)
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return super().process_import(request, **kwargs)
        import_url = reverse(
            "admin:{}_{}_import".format(*self.get_model_info()), current_app=self.admin_site.name
        )
        tmp_storage = self.get_tmp_storage_class()(
            name=confirm_form.cleaned_data["import_file_name"], encoding=None, read_mode="rb",
            **self.get_tmp_storage_class_kwargs(),
        )
        try:
            data = tmp_storage.read()
        except OSError:
            messages.error(request, _("The checked file is no longer available. Upload it again."))
            return HttpResponseRedirect(import_url)
        resource_class = self.choose_import_resource_class(confirm_form, request)
        try:
            job = services.start_import(
                user=request.user, resource_key=resource_class.get_resource_key(), upload=data,
                original_name=confirm_form.cleaned_data["original_file_name"], dry_run=False,
            )
        except ImportFileError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(import_url)
        except services.UnknownResource:
            messages.error(request, _("This import is not available."))
            return HttpResponseRedirect(import_url)
        tmp_storage.remove()
        return HttpResponseRedirect(job.get_absolute_url())


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only view of import jobs for Torch Center staff and superusers."""

    list_display = ["pk", "resource_key", "user", "dry_run", "state", "total_rows",
                    "error_count", "created_at", "finished_at"]
    list_filter = ["state", "dry_run", "resource_key"]
    list_select_related = ["user"]
    search_fields = ["user__email", "original_name"]
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_module_permission(self, request):
        return is_overseer(request.user)

    def has_view_permission(self, request, obj=None):
        return is_overseer(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
