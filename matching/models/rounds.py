"""Live rounds (现场赛: 竞争对接 and 现场比拼): the round, its entries, agenda, consents,
criteria, judges and their conflicts, score sheets and scores."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TransitionRecord

from ..enums import ConflictSource, JudgeKind, RoundPart, RoundState, SheetState
from .agreements import IntentionAgreement


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
