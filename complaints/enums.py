"""States, categories and the workflow's edges as data (``services.COMPLAINT_WORKFLOW``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from common.workflow import Edge


class ComplaintState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("complaint state", "Received")
    ACCEPTED = "accepted", pgettext_lazy("complaint state", "Accepted")
    DECLINED = "declined", pgettext_lazy("complaint state", "Declined")
    INVESTIGATING = "investigating", pgettext_lazy("complaint state", "Under investigation")
    RESOLVED = "resolved", pgettext_lazy("complaint state", "Resolved")
    CLOSED = "closed", pgettext_lazy("complaint state", "Closed")
    WITHDRAWN = "withdrawn", pgettext_lazy("complaint state", "Withdrawn")


# While open, the complainant may add information and staff work on the case.
OPEN_STATES = (ComplaintState.RECEIVED, ComplaintState.ACCEPTED, ComplaintState.INVESTIGATING,
               ComplaintState.RESOLVED)
FINISHED_STATES = (ComplaintState.DECLINED, ComplaintState.CLOSED, ComplaintState.WITHDRAWN)


class ComplaintCategory(models.TextChoices):
    FAIRNESS = "fairness", _("Fairness")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality or IP breach")
    PROCESS = "process", _("Process")
    CONDUCT = "conduct", _("Conduct")
    RECHECK = "recheck", _("Re-check of a result")
    OTHER = "other", _("Other")


class EntryKind(models.TextChoices):
    """One line of a case's file besides its state changes."""

    ADDITION = "addition", _("Information added by the complainant")
    NOTE = "note", _("Internal note of the staff")
    SHARED = "shared", _("Shared with the party complained about")
    RESPONSE = "response", _("Response of the party complained about")


COMPLAINT_EDGES = (
    Edge(ComplaintState.RECEIVED, ComplaintState.ACCEPTED, "can_handle"),
    Edge(ComplaintState.RECEIVED, ComplaintState.DECLINED, "can_handle"),
    Edge(ComplaintState.ACCEPTED, ComplaintState.INVESTIGATING, "can_handle"),
    Edge(ComplaintState.INVESTIGATING, ComplaintState.RESOLVED, "can_handle"),
    # The complainant's feedback closes it; the clock does after COMPLAINT_CLOSE_DAYS.
    Edge(ComplaintState.RESOLVED, ComplaintState.CLOSED, "is_complainant", system=True),
    Edge(ComplaintState.RECEIVED, ComplaintState.WITHDRAWN, "is_complainant"),
    Edge(ComplaintState.ACCEPTED, ComplaintState.WITHDRAWN, "is_complainant"),
    Edge(ComplaintState.INVESTIGATING, ComplaintState.WITHDRAWN, "is_complainant"),
)


class DisputeState(models.TextChoices):
    OPEN = "open", pgettext_lazy("dispute state", "Open")
    MEDIATION = "mediation", pgettext_lazy("dispute state", "In mediation")
    SETTLED = "settled", pgettext_lazy("dispute state", "Settled")
    UNSETTLED = "unsettled", pgettext_lazy("dispute state", "Not settled")


DISPUTE_EDGES = (
    Edge(DisputeState.OPEN, DisputeState.MEDIATION, "can_mediate"),
    Edge(DisputeState.MEDIATION, DisputeState.SETTLED, "can_mediate"),
    Edge(DisputeState.MEDIATION, DisputeState.UNSETTLED, "can_mediate"),
)


class DisputeSide(models.TextChoices):
    A = "a", _("Filing party")
    B = "b", _("Other party")
