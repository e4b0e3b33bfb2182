"""The achievement library: the term table, achievements, the recommendations made from them
and the match profiles of published demands."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import region_code_validator
from common.search import SimpleVector, WeightedVector, vector_column

from ..enums import Visibility

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
