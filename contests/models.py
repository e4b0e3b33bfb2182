from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import region_code_validator
from common.models import TransitionRecord

from .enums import (
    STAGE_ORDER,
    SUMMARY_EDITABLE_STATES,
    WORK_PLAN_EDITABLE_STATES,
    WORK_PLAN_REVIEW_STATES,
    EventKind,
    HostApplicationState,
    Stage,
    SummaryRating,
    SummaryState,
    WorkPlanState,
)


class Contest(models.Model):
    """One edition of the China Innovation Challenge."""

    edition = models.PositiveSmallIntegerField(_("edition"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    document_number = models.CharField(_("notice number"), max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    is_current = models.BooleanField(_("current edition"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-edition"]

    def __str__(self):
        return self.name


class IndustryField(models.Model):
    """A thematic or industry field of an event (专题/产业领域)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("industry field")
        verbose_name_plural = _("industry fields")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Event(models.Model):
    """One of the contest's events (赛事), numbered as in the Ministry's annex."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="events",
                                verbose_name=_("contest"))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices,
                            default=EventKind.REGIONAL)
    fields = models.ManyToManyField(IndustryField, related_name="events", blank=True,
                                    verbose_name=_("industry fields"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="unique_event_number"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contests:event_detail", kwargs={"number": self.number})


class HostUnit(models.Model):
    """A host unit (承办单位) running an event, or its share of one."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="host_units",
                              verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    region = models.CharField(_("region code"), max_length=6, validators=[region_code_validator])
    region_name = models.CharField(_("region"), max_length=50)
    fields = models.ManyToManyField(IndustryField, related_name="host_units",
                                    verbose_name=_("industry fields"))
    introduction = models.TextField(_("introduction"), blank=True)
    # 每个需求都有回应: a published demand should be answered within this many days.
    response_deadline_days = models.PositiveSmallIntegerField(
        _("response deadline (days after publishing)"), default=30,
        help_text=_("Every published demand should have an answer within this many days."))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="HostMembership",
                                     related_name="host_units")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("host unit")
        verbose_name_plural = _("host units")
        ordering = ["event__number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="unique_host_unit_per_event"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contests:host_detail", kwargs={"slug": self.slug})


class HostMembership(models.Model):
    """A member of a host unit's staff."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="host_memberships", verbose_name=_("user"))
    host_unit = models.ForeignKey(HostUnit, on_delete=models.CASCADE,
                                  related_name="memberships", verbose_name=_("host unit"))
    # The unit's administrator (approved on application) invites and removes colleagues.
    is_admin = models.BooleanField(_("administrator"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("host membership")
        verbose_name_plural = _("host memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "host_unit"], name="unique_host_membership"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.host_unit}"


class WorkPlan(models.Model):
    """A host unit's implementation plan (实施计划), approved by Torch Center staff.

    State changes go through ``contests.services`` only; ``state`` is never edited in a form.
    """

    host_unit = models.OneToOneField(HostUnit, on_delete=models.CASCADE, related_name="work_plan",
                                     verbose_name=_("host unit"))
    state = models.CharField(_("state"), max_length=20, choices=WorkPlanState.choices,
                             default=WorkPlanState.DRAFT)
    focus_areas = models.TextField(
        _("focus areas"), blank=True,
        help_text=_("The key fields and industries the event concentrates on."),
    )
    goals = models.TextField(_("goals"), blank=True)
    target_demands = models.PositiveIntegerField(
        _("target number of demands"), null=True, blank=True,
        help_text=_("How many technology demands the host unit plans to collect."),
    )
    target_agreements = models.PositiveIntegerField(
        _("target number of intention agreements"), null=True, blank=True,
    )
    organisation = models.TextField(
        _("organisation"), blank=True,
        help_text=_("Who organises the event and how the work is divided."),
    )
    service_agencies = models.TextField(
        _("service agencies"), blank=True,
        help_text=_("Professional service agencies commissioned, and what each one does."),
    )
    publicity = models.TextField(
        _("publicity"), blank=True,
        help_text=_("Media and channels used to publish and push demands."),
    )
    support_policies = models.TextField(
        _("local support and subsidy policies"), blank=True,
        help_text=_("Rewards, subsidies and programme support for successful dockings."),
    )
    review_comment = models.TextField(_("comments of the Torch Center"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("decided by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("work plan")
        verbose_name_plural = _("work plans")
        ordering = ["host_unit__event__number", "host_unit_id"]

    def __str__(self):
        return str(_("Work plan of %(host)s") % {"host": self.host_unit})

    @property
    def is_editable(self):
        return self.state in WORK_PLAN_EDITABLE_STATES

    @property
    def awaits_review(self):
        return self.state in WORK_PLAN_REVIEW_STATES

    def ordered_stages(self):
        """The plan's stages in lifecycle order (uses prefetched rows when there are any)."""
        return sorted(self.stages.all(), key=lambda row: STAGE_ORDER.index(row.stage))


class WorkPlanStage(models.Model):
    """The dates of one lifecycle stage in a work plan."""

    work_plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="stages",
                                  verbose_name=_("work plan"))
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["work_plan", "stage"], name="unique_work_plan_stage"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="work_plan_stage_ends_after_start",
                violation_error_message=_("A stage cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()} {self.starts_on}–{self.ends_on}"


class WorkPlanTransition(TransitionRecord):
    """One state change of a work plan: who, when, from what to what, and why."""

    work_plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="transitions",
                                  verbose_name=_("work plan"))
    from_state = models.CharField(_("from"), max_length=20, choices=WorkPlanState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=WorkPlanState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("work plan transition")
        verbose_name_plural = _("work plan transitions")

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


class ChallengeNotice(models.Model):
    """A host unit's challenge notice (挑战须知), calling for challengers (seed 三(三))."""

    host_unit = models.ForeignKey(HostUnit, on_delete=models.CASCADE, related_name="notices",
                                  verbose_name=_("host unit"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("published by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("challenge notice")
        verbose_name_plural = _("challenge notices")
        ordering = ["-published_at", "-created_at"]
        indexes = [models.Index(fields=["is_published", "-published_at"],
                                name="notice_published_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("contests:host_detail", kwargs={"slug": self.host_unit.slug}) + (
            f"#notice-{self.pk}"
        )


phone_validator = RegexValidator(
    r"^\+?[0-9][0-9\- ()]{5,28}[0-9](\s*(转|ext\.?|x)\s*[0-9]{1,6})?$",
    _("Enter a telephone number such as 029-86786000 or 13800138000."),
)


class ComplaintChannel(models.Model):
    """An agency receiving complaints about a host unit's event (seed 四(四))."""

    host_unit = models.ForeignKey(HostUnit, on_delete=models.CASCADE,
                                  related_name="complaint_channels", verbose_name=_("host unit"))
    name = models.CharField(_("receiving agency"), max_length=200)
    phone = models.CharField(_("telephone"), max_length=40, validators=[phone_validator])
    email = models.EmailField(_("e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("complaint channel")
        verbose_name_plural = _("complaint channels")
        ordering = ["host_unit", "position", "pk"]

    def __str__(self):
        return self.name


# --- host registration (seed A2) ----------------------------------------------------------------
class HostApplication(models.Model):
    """A registered person asks to join a host unit's staff as its administrator, with the
    unit's authorisation letter (a private file attached to this row); Torch staff decide."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="host_applications", verbose_name=_("applicant"))
    host_unit = models.ForeignKey(HostUnit, on_delete=models.CASCADE,
                                  related_name="applications", verbose_name=_("host unit"))
    position = models.CharField(_("position"), max_length=100)
    message = models.TextField(_("message"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=HostApplicationState.choices,
                             default=HostApplicationState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True,
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("host unit application")
        verbose_name_plural = _("host unit applications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "host_unit"],
                                    condition=models.Q(state="pending"),
                                    name="one_pending_host_application"),
        ]

    def __str__(self):
        return f"{self.user} → {self.host_unit}"


class HostApplicationTransition(TransitionRecord):
    application = models.ForeignKey(HostApplication, on_delete=models.CASCADE,
                                    related_name="transitions")
    from_state = models.CharField(_("from"), max_length=20,
                                  choices=HostApplicationState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=HostApplicationState.choices)

    class Meta(TransitionRecord.Meta):
        pass


class HostInvitation(models.Model):
    """A host unit's administrator invites a colleague by e-mail to its staff. The colleague
    accepts from their account (an address with an account) or through the signed, expiring,
    single-use link e-mailed to the address (``contests.registration.invitation_token``),
    which also lets a person without an account register with that address; the
    administrator may revoke it before use. A new link (re-sent) rotates ``nonce``."""

    host_unit = models.ForeignKey(HostUnit, on_delete=models.CASCADE,
                                  related_name="invitations", verbose_name=_("host unit"))
    email = models.EmailField(_("e-mail"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # The link's secret part (signed with the site key, so it is never enough alone).
    nonce = models.CharField(max_length=32, blank=True, default="", editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   related_name="+", null=True, blank=True,
                                   verbose_name=_("revoked by"))

    class Meta:
        verbose_name = _("host unit invitation")
        verbose_name_plural = _("host unit invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["host_unit", "email"],
                                    condition=models.Q(accepted_at__isnull=True,
                                                       revoked_at__isnull=True),
                                    name="one_open_host_invitation"),
        ]

    def __str__(self):
        return f"{self.email} → {self.host_unit}"

    @property
    def is_expired(self):
        from django.utils import timezone

        return self.expires_at is not None and self.expires_at <= timezone.now()

# --- summary reports (seed 三(六)) ------------------------------------------------------------
class SummaryReport(models.Model):
    """A host unit's summary report (总结报告): four sections written by its staff, the figures
    filled from the data when it is submitted (``contests.summary``), and the Torch Center's
    rating and comments. State changes go through ``contests.services`` only."""

    host_unit = models.OneToOneField(HostUnit, on_delete=models.CASCADE,
                                     related_name="summary_report", verbose_name=_("host unit"))
    state = models.CharField(_("state"), max_length=20, choices=SummaryState.choices,
                             default=SummaryState.DRAFT)
    implementation = models.TextField(
        _("implementation"), blank=True,
        help_text=_("How the event was carried out: collection, publishing, docking, live "
                    "rounds, awards and services."))
    results = models.TextField(_("experience and results"), blank=True)
    shortcomings = models.TextField(_("shortcomings and their causes"), blank=True)
    suggestions = models.TextField(_("opinions and suggestions"), blank=True)
    # [{"key", "label", "value", "unit"}] as computed at the last submission; [] until then.
    figures = models.JSONField(_("figures"), default=list, blank=True)
    figures_at = models.DateTimeField(_("figures as of"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=SummaryRating.choices,
                              blank=True)
    review_comment = models.TextField(_("comments of the Torch Center"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("reviewed by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("summary report")
        verbose_name_plural = _("summary reports")
        ordering = ["host_unit__event__number", "host_unit_id"]

    def __str__(self):
        return str(_("Summary report of %(host)s") % {"host": self.host_unit})

    @property
    def is_editable(self):
        return self.state in SUMMARY_EDITABLE_STATES

    def section_rows(self):
        """``[(heading, text)]`` of the four sections, in the seed's order."""
        from .enums import SUMMARY_SECTIONS

        return [(self._meta.get_field(name).verbose_name, getattr(self, name))
                for name in SUMMARY_SECTIONS]

    def figure_rows(self):
        """The frozen figures, labelled in the reader's language: ``[(label, value, unit)]``."""
        from .summary import labelled

        return labelled(self.figures)


class SummaryReportTransition(TransitionRecord):
    """One state change of a summary report: who, when, from what to what, and why."""

    report = models.ForeignKey(SummaryReport, on_delete=models.CASCADE,
                               related_name="transitions", verbose_name=_("summary report"))
    from_state = models.CharField(_("from"), max_length=20, choices=SummaryState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=SummaryState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("summary report transition")
        verbose_name_plural = _("summary report transitions")

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"
