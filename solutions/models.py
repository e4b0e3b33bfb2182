from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TransitionRecord

from .enums import LIVE_STATES, TRL, IPStatus, ResponseKind, SolutionStatus, Verification
from .validators import validate_patent_numbers


class DemandResponse(models.Model):
    """One answer to a published demand, whatever its source (a solution, an invitation, the
    host unit's response). A published demand is answered once it has one; the first one's
    ``at`` is its time to first response."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE,
                               related_name="responses", verbose_name=_("demand"))
    kind = models.CharField(_("kind"), max_length=20, choices=ResponseKind.choices)
    # "app.Model:pk" of the object that answered, e.g. "solutions.Solution:12".
    source_ref = models.CharField(_("source"), max_length=100)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("demand response")
        verbose_name_plural = _("demand responses")
        ordering = ["demand", "at"]
        constraints = [models.UniqueConstraint(fields=["kind", "source_ref"],
                                               name="unique_demand_response_source")]
        indexes = [models.Index(fields=["demand", "at"], name="demand_response_first")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.source_ref} → {self.demand_id}"


money = dict(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])


class Solution(models.Model):
    """A challenger organisation's solution (挑战报告) to a published demand."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.PROTECT,
                               related_name="solutions", verbose_name=_("demand"))
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="solutions", verbose_name=_("organisation"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    status = models.CharField(_("status"), max_length=20, choices=SolutionStatus.choices,
                              default=SolutionStatus.DRAFT)

    title = models.CharField(_("title"), max_length=120)
    summary = models.TextField(_("summary"), blank=True)
    approach = models.TextField(_("technical approach and implementation plan"), blank=True)
    trl = models.PositiveSmallIntegerField(_("maturity (TRL)"), choices=TRL.choices, null=True,
                                           blank=True)
    ip_status = models.CharField(_("IP status"), max_length=20, choices=IPStatus.choices,
                                 default=IPStatus.NONE)
    patent_numbers = models.JSONField(_("patent numbers"), default=list, blank=True,
                                      validators=[validate_patent_numbers])
    team_lead = models.CharField(_("team lead"), max_length=50, blank=True)
    team_members = models.TextField(_("team members"), blank=True)
    team_institution = models.CharField(_("institution"), max_length=120, blank=True)
    cost = models.DecimalField(_("cost estimate (10k yuan)"), null=True, blank=True, **money)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)])
    cooperation_mode = models.CharField(_("proposed cooperation mode"), max_length=20,
                                        blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    attachments = GenericRelation("files.PrivateFile", content_type_field="object_type",
                                  object_id_field="object_id")

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "organisation"],
                                    condition=models.Q(status__in=LIVE_STATES),
                                    name="one_live_solution_per_organisation"),
        ]
        indexes = [
            # The owner's list of a demand's solutions.
            models.Index(fields=["demand", "status", "-submitted_at"], name="solution_demand_list"),
            # The list's order within one demand, read from the index at any table size.
            models.Index(fields=["demand", "-submitted_at", "-id"], name="solution_demand_newest"),
            models.Index(fields=["organisation", "-updated_at"], name="solution_org_recent"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("solutions:detail", kwargs={"pk": self.pk})


class IndicatorAnswer(models.Model):
    """The solution's promise for one indicator row of the demand."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="answers",
                                 verbose_name=_("solution"))
    indicator = models.ForeignKey("demands.Indicator", on_delete=models.CASCADE,
                                  related_name="+", verbose_name=_("indicator"))
    promised_value = models.CharField(_("promised value"), max_length=100)
    verification = models.CharField(_("verified by"), max_length=20,
                                    choices=Verification.choices)
    note = models.CharField(_("how it will be verified"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("indicator answer")
        verbose_name_plural = _("indicator answers")
        constraints = [models.UniqueConstraint(fields=["solution", "indicator"],
                                               name="one_answer_per_indicator")]

    def __str__(self):
        return f"{self.indicator_id}: {self.promised_value}"


class SolutionVersion(models.Model):
    """The solution as it was submitted (version 1) and after each later change."""

    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="versions",
                                 verbose_name=_("solution"))
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("by"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("solution version")
        verbose_name_plural = _("solution versions")
        ordering = ["solution", "number"]
        constraints = [models.UniqueConstraint(fields=["solution", "number"],
                                               name="unique_solution_version")]

    def __str__(self):
        return f"{self.solution_id} v{self.number}"


class SolutionTransition(TransitionRecord):
    solution = models.ForeignKey(Solution, on_delete=models.CASCADE, related_name="transitions",
                                 verbose_name=_("solution"))
    from_state = models.CharField(_("from"), max_length=20, choices=SolutionStatus.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=SolutionStatus.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("solution status change")
        verbose_name_plural = _("solution status changes")


class HostResponse(models.Model):
    """A written response of host staff to a published demand (counts as an answer)."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE,
                               related_name="host_responses", verbose_name=_("demand"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    text = models.TextField(_("response"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("host unit's response")
        verbose_name_plural = _("host units' responses")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.demand_id}: {self.text[:30]}"


class ClarificationThread(models.Model):
    """A challenger's question about a published demand (在线交流) and its replies. Private to
    the asker's side and the owner's side until published, without the asker's identity."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE,
                               related_name="clarifications", verbose_name=_("demand"))
    asker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("asked by"))
    question = models.TextField(_("question"))
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    last_message_at = models.DateTimeField(_("last message at"), default=timezone.now)
    # Published to everyone who may read the demand: the question and one answer, nobody's name.
    published_question = models.TextField(_("published question"), blank=True)
    published_answer = models.TextField(_("published answer"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("published by"))

    class Meta:
        verbose_name = _("clarification thread")
        verbose_name_plural = _("clarification threads")
        ordering = ["-last_message_at", "-pk"]
        indexes = [models.Index(fields=["demand", "-last_message_at"],
                                name="clarification_demand")]

    def __str__(self):
        return self.question[:40]


class ClarificationMessage(models.Model):
    thread = models.ForeignKey(ClarificationThread, on_delete=models.CASCADE,
                               related_name="messages", verbose_name=_("thread"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("author"))
    # From the owner's side (owner members or host staff) or from the asker's side.
    from_owner_side = models.BooleanField(_("from the owner's side"), default=False)
    text = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("clarification message")
        verbose_name_plural = _("clarification messages")
        ordering = ["thread", "created_at", "pk"]

    def __str__(self):
        return self.text[:40]


class ThreadRead(models.Model):
    """Up to when a user has read a thread (for unread counts)."""

    thread = models.ForeignKey(ClarificationThread, on_delete=models.CASCADE,
                               related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["thread", "user"],
                                               name="one_read_mark_per_user")]

    def __str__(self):
        return f"{self.user_id} @ {self.thread_id}"


class ReminderSent(models.Model):
    """One reminder about a host unit's overdue unanswered demands, per working day."""

    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.CASCADE,
                                  related_name="+")
    day = models.DateField()
    overdue = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["host_unit", "day"],
                                               name="one_reminder_per_unit_and_day")]

    def __str__(self):
        return f"{self.host_unit_id} {self.day}"
