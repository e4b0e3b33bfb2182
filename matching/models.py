import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import region_code_validator
from common.models import TransitionRecord
from common.search import SimpleVector, vector_column

from .enums import (
    AgreementState,
    CommissionState,
    DockingMode,
    DockingState,
    InvitationState,
    ParticipantAnswer,
    Visibility,
)

SEARCH_COLUMNS = ("search_title", "search_tokens", "search_bigrams")

# Chinese patent numbers: an application number (ZL/CN, 8 or 12 digits, a dot and the check
# character) or a publication number (CN, 9 digits, kind code).
PATENT_NUMBER = RegexValidator(
    r"^(?:(?:ZL|CN)?(?:\d{8}|\d{12})\.[0-9X]|CN\d{9}[ABCUSY]\d?)$",
    _("A Chinese patent number looks like ZL202010123456.7 or CN112345678A."),
    code="patent_number",
)


class TermEntry(models.Model):
    """One line of the term table: an abbreviation and the full term it stands for, within an
    industry field (or every field). Both sides of a match are expanded with it, and search
    queries too. Kept as data in ``matching/data/terms.csv``, editable by Torch staff."""

    industry_field = models.ForeignKey("contests.IndustryField", null=True, blank=True,
                                       on_delete=models.CASCADE, related_name="+",
                                       verbose_name=_("industry field"),
                                       help_text=_("Empty: every field."))
    abbreviation = models.CharField(_("abbreviation"), max_length=40)
    term = models.CharField(_("full term"), max_length=80)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("term table entry")
        verbose_name_plural = _("term table")
        ordering = ["abbreviation", "term"]
        constraints = [models.UniqueConstraint(fields=["abbreviation", "term"],
                                               name="unique_term_entry")]

    def __str__(self):
        return f"{self.abbreviation} = {self.term}"


class AchievementManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().defer(*(vector_column(name) for name in SEARCH_COLUMNS))

    def public(self):
        return self.filter(visibility=Visibility.PUBLIC)


class Achievement(models.Model):
    """An achievement or patent (成果) of a technology holder, in the achievement library."""

    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                              related_name="achievements", verbose_name=_("holder"))
    # The host unit whose staff imported it (their scope for later imports); empty when the
    # holder listed it.
    host_unit = models.ForeignKey("contests.HostUnit", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="achievements",
                                  verbose_name=_("imported by host unit"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("created by"))
    title = models.CharField(_("title"), max_length=120)
    abstract = models.TextField(_("abstract"))
    industry_field = models.ForeignKey("contests.IndustryField", on_delete=models.PROTECT,
                                       related_name="achievements",
                                       verbose_name=_("industry field"))
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    trl = models.PositiveSmallIntegerField(
        _("maturity (TRL 1–9)"), validators=[MinValueValidator(1), MaxValueValidator(9)])
    patent_numbers = models.JSONField(_("patent numbers"), default=list, blank=True)
    region = models.CharField(_("region code"), max_length=6, validators=[region_code_validator])
    cooperation_modes = models.JSONField(_("cooperation modes offered"), default=list,
                                         blank=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices,
                                  default=Visibility.PUBLIC, db_index=True)

    # search columns (common.search), from the achievement's own texts
    search_tokens = models.TextField(editable=False, blank=True)
    search_bigrams = models.TextField(editable=False, blank=True)
    search_title = models.TextField(editable=False, blank=True)
    search_title_vector = models.GeneratedField(
        expression=SimpleVector("search_title"), output_field=SearchVectorField(),
        db_persist=True)
    search_tokens_vector = models.GeneratedField(
        expression=SimpleVector("search_tokens"), output_field=SearchVectorField(),
        db_persist=True)
    search_bigrams_vector = models.GeneratedField(
        expression=SimpleVector("search_bigrams"), output_field=SearchVectorField(),
        db_persist=True)
    # The weighted terms of the recommendation ranking (matching.ranking.analyse), written with
    # every change of the texts.
    match_terms = models.JSONField(editable=False, default=dict, blank=True)

    listed_at = models.DateTimeField(_("listed at"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    objects = AchievementManager()

    class Meta:
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")
        ordering = ["-listed_at", "-pk"]
        indexes = [models.Index(fields=["visibility", "-listed_at", "-id"],
                                name="achievement_list")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("matching:achievement_detail", kwargs={"pk": self.pk})

    @property
    def is_public(self):
        return self.visibility == Visibility.PUBLIC


class Recommendation(models.Model):
    """An achievement ranked for a published demand, with the reasons (matched terms)."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE,
                               related_name="recommendations", verbose_name=_("demand"))
    achievement = models.ForeignKey(Achievement, on_delete=models.CASCADE,
                                    related_name="recommendations",
                                    verbose_name=_("achievement"))
    score = models.FloatField(_("score"))
    # [{"term": normalised, "demand": form in the demand, "achievement": form in the
    # achievement}], best first.
    reasons = models.JSONField(_("reasons"), default=list)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["demand", "-score", "achievement_id"]
        constraints = [models.UniqueConstraint(fields=["demand", "achievement"],
                                               name="unique_recommendation")]

    def __str__(self):
        return f"{self.demand_id} → {self.achievement_id} ({self.score:.2f})"


class Commission(models.Model):
    """A host unit commissions a service agency for a period, a scope and some demands."""

    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="commissions", verbose_name=_("host unit"))
    agency = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                               related_name="commissions", verbose_name=_("service agency"))
    scopes = models.JSONField(_("scope"), default=list)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    demands = models.ManyToManyField("demands.Demand", related_name="commissions", blank=True,
                                     verbose_name=_("assigned demands"))
    state = models.CharField(_("state"), max_length=10, choices=CommissionState.choices,
                             default=CommissionState.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("commissioned by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("agency commission")
        verbose_name_plural = _("agency commissions")
        ordering = ["-starts_on", "-pk"]

    def __str__(self):
        return f"{self.agency} @ {self.host_unit}"

    def get_absolute_url(self):
        return reverse("matching:commission_detail", kwargs={"pk": self.pk})

    @property
    def is_current(self):
        today = timezone.localdate()
        return (self.state == CommissionState.ACTIVE
                and self.starts_on <= today <= self.ends_on)


class CommissionTransition(TransitionRecord):
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE,
                                   related_name="transitions", verbose_name=_("commission"))
    from_state = models.CharField(_("from"), max_length=20, choices=CommissionState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=CommissionState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("commission change")
        verbose_name_plural = _("commission changes")


class Invitation(models.Model):
    """Host staff (or a commissioned agency on the host's behalf) invite a holder to answer a
    demand."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE,
                               related_name="invitations", verbose_name=_("demand"))
    holder = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE,
                               related_name="invitations", verbose_name=_("holder"))
    achievement = models.ForeignKey(Achievement, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="invitations",
                                    verbose_name=_("achievement"))
    message = models.TextField(_("message"), blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("invited by"))
    # Set when an agency member invited on the host's behalf.
    commission = models.ForeignKey(Commission, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="invitations",
                                   verbose_name=_("on behalf of the commission"))
    state = models.CharField(_("state"), max_length=10, choices=InvitationState.choices,
                             default=InvitationState.SENT)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["demand", "holder"],
                                               name="unique_invitation")]

    def __str__(self):
        return f"{self.holder} → {self.demand_id}"

    def get_absolute_url(self):
        return reverse("matching:invitation_detail", kwargs={"pk": self.pk})


class InvitationTransition(TransitionRecord):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE,
                                   related_name="transitions", verbose_name=_("invitation"))
    from_state = models.CharField(_("from"), max_length=20, choices=InvitationState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=InvitationState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("invitation change")
        verbose_name_plural = _("invitation changes")


class IntentionAgreement(models.Model):
    """A cooperation intention agreement (合作意向协议) between a demand's owner and a challenger
    or holder; both sides confirm it in the portal."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.PROTECT,
                               related_name="intention_agreements", verbose_name=_("demand"))
    partner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                related_name="intention_agreements",
                                verbose_name=_("challenger or holder"))
    cooperation_mode = models.CharField(_("cooperation mode"), max_length=20)
    amount = models.DecimalField(_("amount (10k yuan)"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    signed_on = models.DateField(_("date"))
    signed_file = models.ForeignKey("files.PrivateFile", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("signed file"))
    owner_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+",
                                           verbose_name=_("confirmed for the demand side by"))
    owner_confirmed_at = models.DateTimeField(_("demand side confirmed at"), null=True,
                                              blank=True)
    partner_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                             on_delete=models.SET_NULL, related_name="+",
                                             verbose_name=_("confirmed for the partner by"))
    partner_confirmed_at = models.DateTimeField(_("partner confirmed at"), null=True,
                                                blank=True)
    state = models.CharField(_("state"), max_length=10, choices=AgreementState.choices,
                             default=AgreementState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("intention agreement")
        verbose_name_plural = _("intention agreements")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.demand_id} × {self.partner}"

    def get_absolute_url(self):
        return reverse("matching:agreement_detail", kwargs={"pk": self.pk})


class IntentionAgreementTransition(TransitionRecord):
    agreement = models.ForeignKey(IntentionAgreement, on_delete=models.CASCADE,
                                  related_name="transitions",
                                  verbose_name=_("intention agreement"))
    from_state = models.CharField(_("from"), max_length=20, choices=AgreementState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=AgreementState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("intention agreement change")
        verbose_name_plural = _("intention agreement changes")


class MatchProfile(models.Model):
    """The ranking terms of a published demand's public text, kept so that a changed
    achievement is checked against every demand without segmenting their texts again."""

    demand = models.OneToOneField("demands.Demand", on_delete=models.CASCADE,
                                  related_name="match_profile", verbose_name=_("demand"))
    terms = models.JSONField(default=dict)
    forms = models.JSONField(default=dict)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("match profile")
        verbose_name_plural = _("match profiles")

    def __str__(self):
        return str(self.demand_id)


class DockingSession(models.Model):
    """A docking session (需求对接) of a host unit for one or more demands. Its calendar event
    keeps one UID for life; each change raises ``sequence`` (RFC 5545)."""

    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="docking_sessions", verbose_name=_("host unit"))
    demands = models.ManyToManyField("demands.Demand", related_name="docking_sessions",
                                     verbose_name=_("demands"))
    title = models.CharField(_("title"), max_length=120)
    mode = models.CharField(_("form"), max_length=10, choices=DockingMode.choices)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    link = models.URLField(_("meeting link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    agenda = models.TextField(_("agenda"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=DockingState.choices,
                             default=DockingState.SCHEDULED)
    minutes = models.TextField(_("minutes"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("scheduled by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("docking session")
        verbose_name_plural = _("docking sessions")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("matching:docking_detail", kwargs={"pk": self.pk})


class DockingParticipant(models.Model):
    session = models.ForeignKey(DockingSession, on_delete=models.CASCADE,
                                related_name="participants", verbose_name=_("docking session"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="docking_participations", verbose_name=_("participant"))
    answer = models.CharField(_("answer"), max_length=10, choices=ParticipantAnswer.choices,
                              default=ParticipantAnswer.PENDING)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["session", "user"],
                                               name="unique_docking_participant")]

    def __str__(self):
        return f"{self.user} @ {self.session_id}"


class CalendarFeed(models.Model):
    """A user's personal iCal feed of their docking sessions, under a secret URL; revoking it
    replaces the token (the old URL answers 404)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="docking_feed", verbose_name=_("user"))
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)
