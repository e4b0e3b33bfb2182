"""Organiser pages of the standard-format import and export of demands.

The import page checks the file through an import job (``common.importexport``): the user is
sent to the job's progress page, sees the row errors or the number of demands the file would
create, and confirms there. The full export (every field, the user's host units' demands; all
of them for Torch Center staff) honours the organiser list's filters. Someone without the
import or export permission gets a 404.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from audit.services import log_action
from common.importexport import registry
from common.importexport import services as import_services
from common.importexport.formats import CSV_EXPORT_ENCODING, ImportFileError, SafeXLSX
from common.importexport.forms import ImportUploadForm
from common.importexport.selectors import jobs_of
from common.importexport.template import XLSX_CONTENT_TYPE

from .. import selectors
from ..forms import ManageFilterForm
from .resources import RESOURCE_KEY, DemandResource
from .template import COLUMNS, allowed_values, build_template


def _require(user, permission):
    if not user.has_perm(permission(DemandResource)):
        raise Http404


@login_required
def import_demands(request):
    """Upload a file in the standard format; it is checked by an import job (nothing saved)."""
    _require(request.user, registry.import_permission)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_services.start_import(
                user=request.user,
                resource_key=RESOURCE_KEY,
                upload=form.cleaned_data["file"],
                dry_run=True,
            )
        except ImportFileError as exc:
            form.add_error("file", exc)
        except (PermissionDenied, import_services.UnknownResource):
            raise Http404 from None
        else:
            return redirect(job)
    values, _units = allowed_values(request.user)
    return render(
        request,
        "demands/import/import.html",
        {
            "form": form,
            "columns": COLUMNS,
            "allowed_values": values,
            "recent_jobs": jobs_of(request.user).filter(resource_key=RESOURCE_KEY)[:5],
            "may_export": request.user.has_perm(registry.export_permission(DemandResource)),
        },
    )


@login_required
def import_template(request):
    """The .xlsx template with the headers, an example row and the allowed values."""
    _require(request.user, registry.import_permission)
    response = HttpResponse(build_template(user=request.user), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        'attachment; filename="demand-import-template.xlsx"; '
        "filename*=UTF-8''%E6%8A%80%E6%9C%AF%E9%9C%80%E6%B1%82%E5%AF%BC%E5%85%A5%E6%A8%A1%E6"
        "%9D%BF.xlsx"  # 技术需求导入模板.xlsx
    )
    return response


@login_required
def export_demands(request, fmt):
    """Every field of the demands of the user's host units (all for Torch Center staff), as
    .xlsx or .csv, filtered like the organiser list; formula-like cells are neutralised."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _require(request.user, registry.export_permission)
    resource = DemandResource(user=request.user)
    queryset = resource.get_queryset()
    form = ManageFilterForm(
        request.GET or None, host_units=selectors.managed_host_units(request.user)
    )
    if form.is_valid():
        if form.cleaned_data["status"]:
            queryset = queryset.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["host_unit"] is not None:
            queryset = queryset.filter(host_unit=form.cleaned_data["host_unit"])
    dataset = resource.export(queryset=queryset, force_native_type=(fmt == "xlsx"))
    if fmt == "xlsx":
        body, content_type = SafeXLSX().export_data(dataset), XLSX_CONTENT_TYPE
    else:
        body = dataset.export("csv").encode(CSV_EXPORT_ENCODING)
        content_type = "text/csv; charset=utf-8"
    log_action(
        "portal.export",
        request=request,
        data={
            "resource": RESOURCE_KEY,
            "format": fmt,
            "rows": dataset.height,
            "via": "demands",
            "filters": {
                key: str(value)
                for key, value in (form.cleaned_data.items() if form.is_valid() else ())
                if value
            },
        },
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="demands-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    )
    return response
