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
from common.search import SimpleVector, WeightedVector, vector_column

from .enums import (
    AgreementState,
    CommissionState,
    ConflictSource,
    DockingMode,
    DockingState,
    InvitationState,
    JudgeKind,
    ParticipantAnswer,
    RoundPart,
    RoundState,
    SheetState,
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
        expression=WeightedVector("search_title", "A", "B"), output_field=SearchVectorField(),
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

    @property
    def cooperation_mode_labels(self):
        from demands.enums import CooperationMode

        return [CooperationMode(mode).label for mode in self.cooperation_modes or ()
                if mode in CooperationMode.values]


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


# --- live rounds (现场赛: 竞争对接 and 现场比拼) -------------------------------------------------
class LiveRound(models.Model):
    """A live round of a host unit for one demand, among its shortlisted solutions: competitive
    docking and on-site pitching, judged and ranked. Public (audience, published results) only
    while the demand side and every challenger in it have consented."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.PROTECT,
                               related_name="live_rounds", verbose_name=_("demand"))
    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="live_rounds", verbose_name=_("host unit"))
    title = models.CharField(_("title"), max_length=120)
    starts_at = models.DateTimeField(_("starts at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    link = models.URLField(_("meeting link"), blank=True)
    score_min = models.PositiveSmallIntegerField(_("lowest score"), default=0)
    score_max = models.PositiveSmallIntegerField(_("highest score"), default=100)
    state = models.CharField(_("state"), max_length=10, choices=RoundState.choices,
                             default=RoundState.PLANNED)
    selected_entry = models.ForeignKey("RoundEntry", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+",
                                       verbose_name=_("selected partner"))
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("selected by"))
    agreement = models.ForeignKey(IntentionAgreement, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="live_rounds",
                                  verbose_name=_("intention agreement"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("live round")
        verbose_name_plural = _("live rounds")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("matching:round_detail", kwargs={"pk": self.pk})


class LiveRoundTransition(TransitionRecord):
    round = models.ForeignKey(LiveRound, on_delete=models.CASCADE, related_name="transitions",
                              verbose_name=_("live round"))
    from_state = models.CharField(_("from"), max_length=20, choices=RoundState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=RoundState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("live round change")
        verbose_name_plural = _("live round changes")


class RoundEntry(models.Model):
    """A shortlisted solution competing in the round; ``position`` is its pitching order."""

    round = models.ForeignKey(LiveRound, on_delete=models.CASCADE, related_name="entries",
                              verbose_name=_("live round"))
    solution = models.ForeignKey("solutions.Solution", on_delete=models.PROTECT,
                                 related_name="round_entries", verbose_name=_("solution"))
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="round_entries",
                                     verbose_name=_("challenger"))
    position = models.PositiveSmallIntegerField(_("order"))
    # Organisations the challenger does not want among the judges.
    unwanted = models.ManyToManyField("accounts.Organisation", blank=True, related_name="+",
                                      verbose_name=_("organisations not wanted as judges"))

    class Meta:
        verbose_name = _("round entry")
        verbose_name_plural = _("round entries")
        ordering = ["round", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "solution"],
                                               name="unique_round_entry")]

    def __str__(self):
        return f"{self.round_id}#{self.position} {self.organisation}"


class AgendaItem(models.Model):
    round = models.ForeignKey(LiveRound, on_delete=models.CASCADE, related_name="agenda",
                              verbose_name=_("live round"))
    part = models.CharField(_("part"), max_length=10, choices=RoundPart.choices)
    position = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("item"), max_length=120)
    minutes = models.PositiveSmallIntegerField(_("minutes"),
                                               validators=[MinValueValidator(1)])
    entry = models.ForeignKey(RoundEntry, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="agenda_items", verbose_name=_("challenger"))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["round", "part", "position", "pk"]

    def __str__(self):
        return self.title


class RoundConsent(models.Model):
    """The consent of one side (the demand's organisation or a challenger) to a public round;
    the latest answer counts, each answer is audited."""

    round = models.ForeignKey(LiveRound, on_delete=models.CASCADE, related_name="consents",
                              verbose_name=_("live round"))
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("organisation"))
    given = models.BooleanField(_("consents"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("consent to a public round")
        verbose_name_plural = _("consents to public rounds")
        constraints = [models.UniqueConstraint(fields=["round", "organisation"],
                                               name="unique_round_consent")]

    def __str__(self):
        return f"{self.round_id}: {self.organisation_id} {self.given}"


class RoundCriterion(models.Model):
    round = models.ForeignKey(LiveRound, on_delete=models.CASCADE, related_name="criteria",
                              verbose_name=_("live round"))
    name = models.CharField(_("criterion"), max_length=40)
    weight = models.PositiveSmallIntegerField(_("weight (%)"),
                                              validators=[MaxValueValidator(100)])
    position = models.PositiveSmallIntegerField(_("order"))

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["round", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "name"],
                                               name="unique_round_criterion")]

    def __str__(self):
        return f"{self.name} ({self.weight}%)"


class RoundJudge(models.Model):
    round = models.ForeignKey(LiveRound, on_delete=models.CASCADE, related_name="judges",
                              verbose_name=_("live round"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="round_judgings", verbose_name=_("judge"))
    kind = models.CharField(_("kind"), max_length=12, choices=JudgeKind.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("invited by"))
    recused_at = models.DateTimeField(_("recused at"), null=True, blank=True)
    recusal_reason = models.TextField(_("reason for recusal"), blank=True)

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        ordering = ["round", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "user"],
                                               name="unique_round_judge")]

    def __str__(self):
        return f"{self.user} @ {self.round_id}"


class JudgeConflict(models.Model):
    """A judge who may not score a challenger: found from organisation links, named by the
    challenger, or declared by the judge (with a reason)."""

    judge = models.ForeignKey(RoundJudge, on_delete=models.CASCADE, related_name="conflicts",
                              verbose_name=_("judge"))
    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="conflicts",
                              verbose_name=_("challenger"))
    source = models.CharField(_("source"), max_length=14, choices=ConflictSource.choices)
    reason = models.TextField(_("reason"), blank=True)
    found_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [models.UniqueConstraint(fields=["judge", "entry", "source"],
                                               name="unique_judge_conflict")]

    def __str__(self):
        return f"{self.judge_id} × {self.entry_id}: {self.source}"


class ScoreSheet(models.Model):
    """One judge's scores of one challenger: saved as typed, locked when submitted, then kept
    with a SHA-256 digest of its content (round, judge, challenger, every score, the time)."""

    judge = models.ForeignKey(RoundJudge, on_delete=models.CASCADE, related_name="sheets",
                              verbose_name=_("judge"))
    entry = models.ForeignKey(RoundEntry, on_delete=models.CASCADE, related_name="sheets",
                              verbose_name=_("challenger"))
    state = models.CharField(_("state"), max_length=10, choices=SheetState.choices,
                             default=SheetState.DRAFT)
    comment = models.TextField(_("comment"), blank=True)
    signed_name = models.CharField(_("signed by"), max_length=60, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    digest = models.CharField(_("SHA-256"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["judge", "entry__position"]
        constraints = [models.UniqueConstraint(fields=["judge", "entry"],
                                               name="unique_score_sheet")]

    def __str__(self):
        return f"{self.judge_id} → {self.entry_id}"

    def get_absolute_url(self):
        return reverse("matching:round_score", kwargs={"pk": self.entry.round_id,
                                                       "entry": self.entry_id})


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores",
                              verbose_name=_("score sheet"))
    criterion = models.ForeignKey(RoundCriterion, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("criterion"))
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"],
                                               name="unique_score")]

    def __str__(self):
        return f"{self.criterion_id}: {self.value}"
