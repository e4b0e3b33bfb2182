"""Import jobs: starting, running, confirming, and re-sending the ones a broker lost.

The ``ImportJob`` row is the outbox: it is written first, the Celery task is sent after
commit, and a beat task re-sends jobs still pending after a while. A job is claimed with a
conditional update, so a duplicated message runs it once; the import and the job's final
state are committed together, so a worker killed mid-import leaves nothing half done and the
job is claimed again later.
"""

import logging
import os
import uuid
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import log_action
from common.errors import DomainError

from . import registry
from .enums import ImportJobState
from .formats import ZIP_MAGIC, ImportFileError, read_bytes, read_dataset
from .models import ImportJob

logger = logging.getLogger(__name__)

# Errors kept on the job row; the count of all of them is kept in error_count.
MAX_STORED_ERRORS = 1000
PROGRESS_EVERY_ROWS = 25
PENDING_RESEND_AFTER = timedelta(minutes=1)


class ImportJobError(DomainError):
    """A request about a job that its state does not allow; the message is for the user."""


class UnknownResource(LookupError):
    pass


def _stale_running_before():
    # A running job older than the hard time limit has lost its worker.
    return timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60)


# --- progress (in the shared cache: the import's own transaction hides it from the database) -
def _progress_key(job_id):
    return f"importexport:job:{job_id}:processed"


def job_progress(job):
    """Rows processed so far: the live count while running, the stored one otherwise."""
    if job.state == ImportJobState.RUNNING:
        live = cache.get(_progress_key(job.pk))
        if live is not None:
            return min(live, job.total_rows or live)
    return job.processed_rows


class _ProgressReporter:
    def __init__(self, job_id):
        self.job_id = job_id
        self.last = 0

    def __call__(self, processed):
        if processed - self.last >= PROGRESS_EVERY_ROWS:
            self.last = processed
            cache.set(_progress_key(self.job_id), processed, timeout=3600)


# --- starting ---------------------------------------------------------------------------------
def _resource_class(resource_key):
    resource_class = registry.get_resource_class(resource_key)
    if resource_class is None:
        raise UnknownResource(resource_key)
    return resource_class


def start_import(*, user, resource_key, upload, original_name=None, dry_run=True):
    """Check the file and queue an import job; returns the ``ImportJob``.

    ``upload`` is an ``UploadedFile`` (or bytes). Raises ``UnknownResource``,
    ``PermissionDenied`` when the user may not import this resource, and ``ImportFileError``
    when the file is refused (size, rows, zip bomb, format, encoding, headers). The rows are
    checked by the job: ``dry_run=True`` checks and rolls back, ``confirm_import`` then runs it
    for real.
    """
    resource_class = _resource_class(resource_key)
    if not user.has_perm(registry.import_permission(resource_class)):
        raise PermissionDenied
    data = read_bytes(upload)
    dataset = read_dataset(data)
    name = original_name or getattr(upload, "name", "") or "import"
    job = ImportJob(
        user=user, resource_key=resource_key, dry_run=dry_run,
        original_name=os.path.basename(name)[:255],
        file_token=uuid.uuid4().hex,
        extension=".xlsx" if data.startswith(ZIP_MAGIC) else ".csv",
        total_rows=dataset.height,
    )
    with transaction.atomic():
        job.file.save("upload", ContentFile(data), save=False)
        job.save()
        enqueue(job)
    return job


def confirm_import(*, job, user):
    """Run for real the import that ``job`` (a dry run without errors) checked; returns the
    new job. Confirming twice returns the first confirmation."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.user_id != user.pk:
            raise PermissionDenied
        if not job.dry_run or job.state != ImportJobState.DONE or job.error_count:
            raise ImportJobError(_("Only a check that passed without errors can be confirmed."))
        existing = job.confirmations.order_by("pk").first()
        if existing is not None:
            return existing
        if not user.has_perm(registry.import_permission(_resource_class(job.resource_key))):
            raise PermissionDenied
        real = ImportJob.objects.create(
            user=user, resource_key=job.resource_key, dry_run=False, confirms=job,
            file=job.file.name, file_token=job.file_token, extension=job.extension,
            original_name=job.original_name, total_rows=job.total_rows,
        )
        enqueue(real)
    return real


def enqueue(job):
    """Send the job's task once the current transaction commits."""
    job_id = job.pk
    transaction.on_commit(lambda: _send(job_id))


def _send(job_id):
    from .tasks import run_import

    try:
        run_import.delay(job_id=job_id)
    except Exception:  # broker down: the job stays pending and requeue_stale_jobs re-sends it
        logger.warning("could not queue import job %s; it will be re-sent", job_id, exc_info=True)


def requeue_stale_jobs():
    """Re-send jobs whose message was lost: pending for a while, or running past the time
    limit (their worker died). Returns how many were re-sent."""
    now = timezone.now()
    stale = ImportJob.objects.filter(
        Q(state=ImportJobState.PENDING, created_at__lt=now - PENDING_RESEND_AFTER)
        | Q(state=ImportJobState.RUNNING, started_at__lt=_stale_running_before())
    ).values_list("pk", flat=True)
    count = 0
    for job_id in stale:
        _send(job_id)
        count += 1
    return count


# --- running ----------------------------------------------------------------------------------
def claim_job(job_id):
    """Mark the job running if it is pending (or running with a dead worker); returns the job,
    or None when another worker has it or it is finished."""
    claimed = ImportJob.objects.filter(pk=job_id).filter(
        Q(state=ImportJobState.PENDING)
        | Q(state=ImportJobState.RUNNING, started_at__lt=_stale_running_before())
    ).update(state=ImportJobState.RUNNING, started_at=timezone.now(), processed_rows=0)
    if not claimed:
        return None
    cache.delete(_progress_key(job_id))
    return ImportJob.objects.select_related("user").get(pk=job_id)


def _finish(job, *, state, processed=0, totals=None, errors=()):
    errors = list(errors)
    ImportJob.objects.filter(pk=job.pk, state=ImportJobState.RUNNING).update(
        state=state, processed_rows=processed, totals=totals or {},
        errors=errors[:MAX_STORED_ERRORS], error_count=len(errors),
        finished_at=timezone.now(),
    )
    cache.delete(_progress_key(job.pk))


def _file_error(message):
    return [{"row": None, "column": "", "message": str(message)}]


def run_job(job_id):
    """Claim and run one import job (called by the Celery task). Never raises."""
    job = claim_job(job_id)
    if job is None:
        return None
    # Error messages and column names are stored in the language of the user who reads them.
    with translation.override(job.user.language or settings.LANGUAGE_CODE):
        _run_claimed(job)
    return job.pk


def _run_claimed(job):
    try:
        resource_class = registry.get_resource_class(job.resource_key)
        if resource_class is None or not job.user.is_active or not job.user.has_perm(
            registry.import_permission(resource_class)
        ):
            _finish(job, state=ImportJobState.FAILED,
                    errors=_file_error(_("You may no longer import this data.")))
            return
        with job.file.open("rb") as handle:
            dataset = read_dataset(handle)
        resource = resource_class(user=job.user, progress=_ProgressReporter(job.pk))
        # One transaction for the import (rolled back inside on errors or dry run) and the
        # job's final state: both happen, or neither.
        with transaction.atomic():
            result = resource.import_data(dataset, dry_run=job.dry_run)
            errors = resource.row_errors(result, dataset)
            state = ImportJobState.FAILED if errors else ImportJobState.DONE
            _finish(job, state=state, processed=len(dataset), totals=dict(result.totals),
                    errors=errors)
            if not job.dry_run:
                log_action(
                    "portal.import.run", actor=job.user, obj=job,
                    from_state=ImportJobState.RUNNING, to_state=state,
                    data={"resource": job.resource_key, "file": job.original_name,
                          "rows": len(dataset), "totals": dict(result.totals),
                          "errors": len(errors)},
                )
    except ImportFileError as exc:
        _finish(job, state=ImportJobState.FAILED, errors=_file_error(" ".join(exc.messages)))
    except SoftTimeLimitExceeded:
        _finish(job, state=ImportJobState.FAILED, errors=_file_error(
            _("The import took too long and was stopped. Split the file into smaller files.")))
    except Exception:  # the job must end visibly failed, whatever broke
        logger.exception("import job %s failed", job.pk)
        _finish(job, state=ImportJobState.FAILED, errors=_file_error(
            _("The import failed unexpectedly. Nothing was changed. Please try again later.")))
