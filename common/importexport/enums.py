from django.db import models
from django.utils.translation import pgettext_lazy


class ImportJobState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("import job state", "waiting")
    RUNNING = "running", pgettext_lazy("import job state", "running")
    DONE = "done", pgettext_lazy("import job state", "done")
    FAILED = "failed", pgettext_lazy("import job state", "failed")


# RUNNING -> RUNNING is the re-claim of a job whose worker died (see services.claim_job).
TRANSITIONS = {
    ImportJobState.PENDING: {ImportJobState.RUNNING},
    ImportJobState.RUNNING: {ImportJobState.RUNNING, ImportJobState.DONE, ImportJobState.FAILED},
    ImportJobState.DONE: set(),
    ImportJobState.FAILED: set(),
}

FINISHED_STATES = frozenset({ImportJobState.DONE, ImportJobState.FAILED})
