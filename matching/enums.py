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


# --- live rounds (现场赛) ------------------------------------------------------------------------
class RoundState(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("live round state", "Planned")
    SCORING = "scoring", pgettext_lazy("live round state", "Scoring")
    FINISHED = "finished", pgettext_lazy("live round state", "Finished")


ROUND_EDGES = (
    Edge(RoundState.PLANNED, RoundState.SCORING, "can_manage_round", action="open"),
    Edge(RoundState.SCORING, RoundState.FINISHED, "can_manage_round", action="finish"),
)


class RoundPart(models.TextChoices):
    DOCKING = "docking", pgettext_lazy("live round part", "Competitive docking")
    PITCHING = "pitching", pgettext_lazy("live round part", "On-site pitching")


class JudgeKind(models.TextChoices):
    DEMAND_SIDE = "demand_side", pgettext_lazy("judge kind", "Demand-side representative")
    EXPERT = "expert", pgettext_lazy("judge kind", "Expert")


class ConflictSource(models.TextChoices):
    SAME_ORGANISATION = "same_org", pgettext_lazy("conflict", "Member of the challenger")
    SHARED_MEMBER = "shared_member", pgettext_lazy(
        "conflict", "Shares a member with the challenger")
    PAST_AGREEMENT = "agreement", pgettext_lazy(
        "conflict", "Past intention agreement with the challenger")
    OBJECTION = "objection", pgettext_lazy("conflict", "Named by the challenger")
    DECLARED = "declared", pgettext_lazy("conflict", "Declared by the judge")
    RECUSED = "recused", pgettext_lazy("conflict", "Judge recused from the round")


class SheetState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("score sheet state", "Being scored")
    SUBMITTED = "submitted", pgettext_lazy("score sheet state", "Submitted")


DEFAULT_CRITERIA = ("技术性", "匹配度", "合作前景")
