"""Portal pages for imports: start one, watch its progress, confirm a checked file, export.

Only the job's own user sees a job (404 for anyone else); a resource the user may not import
or export answers 404 as well.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.encoding import force_str
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from audit.services import log_action
from common.errors import show_error

from . import registry, services
from .formats import CSV_EXPORT_ENCODING, ImportFileError, SafeXLSX
from .forms import ImportUploadForm
from .selectors import jobs_of


def _resource_or_404(user, resource_key, permission):
    resource_class = registry.get_resource_class(resource_key)
    if resource_class is None or not user.has_perm(permission(resource_class)):
        raise Http404
    return resource_class


def _resource_name(resource_key):
    resource_class = registry.get_resource_class(resource_key)
    return resource_class.get_display_name() if resource_class else resource_key


@login_required
def job_list(request):
    jobs = list(jobs_of(request.user)[:50])
    for job in jobs:
        job.resource_name = _resource_name(job.resource_key)
    exportable = {key for key, _cls in registry.exportable_by(request.user)}
    resources = [
        {"key": key, "name": resource_class.get_display_name(), "exportable": key in exportable}
        for key, resource_class in registry.importable_by(request.user)
    ]
    return render(request, "importexport/job_list.html", {"jobs": jobs, "resources": resources})


@login_required
def import_start(request, resource_key):
    resource_class = _resource_or_404(request.user, resource_key, registry.import_permission)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.start_import(
                user=request.user, resource_key=resource_key,
                upload=form.cleaned_data["file"], dry_run=True,
            )
        except ImportFileError as exc:
            form.add_error("file", exc)
        else:
            return redirect(job)
    resource = resource_class(user=request.user)
    columns = [force_str(field.column_name) for field in resource.get_import_fields()
               if not field.readonly and field.attribute]
    return render(request, "importexport/import_start.html", {
        "form": form,
        "resource_key": resource_key,
        "resource_name": resource_class.get_display_name(),
        "columns": columns,
        "may_export": request.user.has_perm(registry.export_permission(resource_class)),
    })


def _job_context(request, pk):
    job = get_object_or_404(jobs_of(request.user), pk=pk)
    progress = services.job_progress(job)
    total = job.total_rows
    return {
        "job": job,
        "resource_name": _resource_name(job.resource_key),
        "progress": progress,
        "percent": int(progress * 100 / total) if total else (100 if job.is_finished else 0),
        "confirmation": job.confirmations.order_by("pk").first() if job.dry_run else None,
    }


@login_required
def job_detail(request, pk):
    return render(request, "importexport/job_detail.html", _job_context(request, pk))


@never_cache
@login_required
def job_status(request, pk):
    """The progress partial that the job page polls (htmx) until the job has finished."""
    return render(request, "importexport/job_detail.html#job-status", _job_context(request, pk))


@require_POST
@login_required
def job_confirm(request, pk):
    job = get_object_or_404(jobs_of(request.user), pk=pk)
    try:
        real = services.confirm_import(job=job, user=request.user)
    except services.ImportJobError as error:
        show_error(request, error)
        return redirect(job)
    except (PermissionDenied, services.UnknownResource):
        raise Http404 from None
    return redirect(real)


@login_required
def export_download(request, resource_key, fmt):
    """The user's rows of a resource (only their host units') as CSV or XLSX, with formula
    prefixes neutralised; also serves as the template for an import."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    resource_class = _resource_or_404(request.user, resource_key, registry.export_permission)
    resource = resource_class(user=request.user)
    dataset = resource.export(force_native_type=(fmt == "xlsx"))
    if fmt == "xlsx":
        body = SafeXLSX().export_data(dataset)
        content_type = SafeXLSX.CONTENT_TYPE
    else:
        body = dataset.export("csv").encode(CSV_EXPORT_ENCODING)
        content_type = "text/csv; charset=utf-8"
    log_action("portal.export", request=request,
               data={"resource": resource_key, "format": fmt, "rows": dataset.height})
    response = HttpResponse(body, content_type=content_type)
    filename = f"{resource_key.replace('.', '-')}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
