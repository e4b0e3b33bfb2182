"""States and kinds of the matching app, and its workflows as data."""

from django.db import models
from django.utils.translation import pgettext_lazy

from common.workflow import Edge


class Visibility(models.TextChoices):
    PUBLIC = "public", pgettext_lazy("achievement visibility", "Public")
    # Seen only by its holder's members, host staff and Torch staff.
    STAFF = "staff", pgettext_lazy("achievement visibility", "Host and Torch staff only")


class CommissionScope(models.TextChoices):
    ANALYSIS = "analysis", pgettext_lazy("commission scope", "Demand analysis")
    HOLDER_SEARCH = "holder_search", pgettext_lazy("commission scope", "Holder search")
    FOLLOW_UP = "follow_up", pgettext_lazy("commission scope", "Follow-up services")


class CommissionState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("commission state", "Active")
    ENDED = "ended", pgettext_lazy("commission state", "Ended")


COMMISSION_EDGES = (
    Edge(CommissionState.ACTIVE, CommissionState.ENDED, "can_end_commission", action="end"),
)


class InvitationState(models.TextChoices):
    SENT = "sent", pgettext_lazy("invitation state", "Sent")
    ACCEPTED = "accepted", pgettext_lazy("invitation state", "Accepted")
    DECLINED = "declined", pgettext_lazy("invitation state", "Declined")


INVITATION_EDGES = (
    Edge(InvitationState.SENT, InvitationState.ACCEPTED, "can_answer_invitation",
         action="accept"),
    Edge(InvitationState.SENT, InvitationState.DECLINED, "can_answer_invitation",
         action="decline"),
)


class AgreementState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("intention agreement state", "Awaiting confirmations")
    CONFIRMED = "confirmed", pgettext_lazy("intention agreement state", "Confirmed by both")


AGREEMENT_EDGES = (
    Edge(AgreementState.DRAFT, AgreementState.CONFIRMED, "can_confirm_agreement",
         action="confirm"),
)


class DockingMode(models.TextChoices):
    IN_PERSON = "in_person", pgettext_lazy("docking mode", "In person")
    ONLINE = "online", pgettext_lazy("docking mode", "Online")
    VIDEO = "video", pgettext_lazy("docking mode", "Video")


class DockingState(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("docking state", "Scheduled")
    HELD = "held", pgettext_lazy("docking state", "Held")
    CANCELLED = "cancelled", pgettext_lazy("docking state", "Cancelled")


class ParticipantAnswer(models.TextChoices):
    PENDING = "pending", pgettext_lazy("docking answer", "No answer yet")
    CONFIRMED = "confirmed", pgettext_lazy("docking answer", "Confirmed")
    DECLINED = "declined", pgettext_lazy("docking answer", "Declined")
