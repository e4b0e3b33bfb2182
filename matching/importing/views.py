"""The achievement import pages (host staff and Torch Center staff): upload a file in the
standard format, which an import job checks (nothing saved; the user is sent to the job's
page, sees the row errors or how many achievements the file would list, and confirms there);
the template; the export of the achievements the user's units imported. Someone without the
import permission gets a 404."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from audit.services import log_action
from common.importexport import registry
from common.importexport import services as import_services
from common.importexport.formats import CSV_EXPORT_ENCODING, ImportFileError, SafeXLSX
from common.importexport.forms import ImportUploadForm
from common.importexport.selectors import jobs_of
from common.importexport.template import XLSX_CONTENT_TYPE

from .format import COLUMNS
from .resources import RESOURCE_KEY, AchievementResource
from .template import allowed_values, build_template


def _require(user, permission):
    if not user.has_perm(permission(AchievementResource)):
        raise Http404


@login_required
def import_achievements(request):
    """Upload a file; it is checked by an import job (a dry run), confirmed on the job page."""
    _require(request.user, registry.import_permission)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = import_services.start_import(
                user=request.user, resource_key=RESOURCE_KEY,
                upload=form.cleaned_data["file"], dry_run=True)
        except ImportFileError as exc:
            form.add_error("file", exc)
        except (PermissionDenied, import_services.UnknownResource):
            raise Http404 from None
        else:
            return redirect(job)
    values, _units = allowed_values(request.user)
    return render(request, "matching/import/import.html", {
        "form": form,
        "columns": [(column.header, column.required, column.note) for column in COLUMNS],
        "allowed_values": values,
        "recent_jobs": jobs_of(request.user).filter(resource_key=RESOURCE_KEY)[:5],
    })


@login_required
@require_safe
def import_template(request):
    """The .xlsx template: Chinese headers, an example row that imports cleanly, the allowed
    values and a sheet of notes."""
    _require(request.user, registry.import_permission)
    response = HttpResponse(build_template(user=request.user), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        'attachment; filename="achievement-import-template.xlsx"; '
        "filename*=UTF-8''%E7%A7%91%E6%8A%80%E6%88%90%E6%9E%9C%E5%AF%BC%E5%85%A5%E6%A8%A1%E6"
        "%9D%BF.xlsx"  # 科技成果导入模板.xlsx
    )
    return response


@login_required
@require_safe
def export_achievements(request, fmt):
    """The achievements the user's host units imported (all imported ones for Torch staff), in
    the same format, formula-like cells neutralised."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _require(request.user, registry.export_permission)
    dataset = AchievementResource(user=request.user).export(force_native_type=(fmt == "xlsx"))
    if fmt == "xlsx":
        body, content_type = SafeXLSX().export_data(dataset), XLSX_CONTENT_TYPE
    else:
        body = dataset.export("csv").encode(CSV_EXPORT_ENCODING)
        content_type = "text/csv; charset=utf-8"
    log_action("portal.export", request=request, data={
        "resource": RESOURCE_KEY, "format": fmt, "rows": dataset.height, "via": "matching"})
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="achievements-{timezone.localdate():%Y-%m-%d}.{fmt}"')
    return response
