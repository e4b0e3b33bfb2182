from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .enums import FINISHED_STATES, ImportJobState


def import_upload_to(instance, filename):
    # The name the user gave is kept in original_name; the stored name carries no user input.
    return f"imports/{instance.user_id}/{instance.file_token}{instance.extension}"


class ImportJob(models.Model):
    """One run of an import (a dry run or the real one), done by a Celery task.

    The uploaded file lives in the default (private) storage so any worker can read it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="import_jobs", verbose_name=_("user"))
    resource_key = models.CharField(_("resource"), max_length=100)
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=200)
    file_token = models.CharField(max_length=32, editable=False)
    extension = models.CharField(max_length=8, editable=False)
    original_name = models.CharField(_("file name"), max_length=255)
    dry_run = models.BooleanField(_("dry run"), default=True,
                                  help_text=_("Checks every row, then rolls everything back."))
    confirms = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="confirmations",
                                 verbose_name=_("confirms dry run"))
    state = models.CharField(_("state"), max_length=10, choices=ImportJobState.choices,
                             default=ImportJobState.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed rows"), default=0)
    # {"new": n, "update": n, "skip": n, "delete": n, "invalid": n, "error": n}
    totals = models.JSONField(_("totals"), default=dict, blank=True)
    # [{"row": 7, "column": "承办单位", "message": "..."}]; row is the spreadsheet line
    # (the header is line 1), null for errors about the whole file.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("error count"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "created_at"], name="importjob_state_idx")]

    def __str__(self):
        return f"{self.resource_key} #{self.pk} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("importexport:job_detail", kwargs={"pk": self.pk})

    @property
    def is_finished(self):
        return self.state in FINISHED_STATES

    @property
    def succeeded(self):
        return self.state == ImportJobState.DONE
