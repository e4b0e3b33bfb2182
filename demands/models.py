from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import region_code_validator
from common.models import TransitionRecord
from common.search import SimpleVector, WeightedVector, vector_column

from .enums import (
    PUBLIC_STATES,
    AccessState,
    AnalysisVerdict,
    DemandStatus,
    DemandType,
    IPOwnership,
    ProposalState,
)

money = dict(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])


# The search text columns (registered with common.search by demands.public.search); each has
# a stored tsvector twin.
SEARCH_COLUMNS = ("search_title", "search_tokens", "search_bigrams")


class DemandManager(models.Manager):
    def get_queryset(self):
        # The stored search vectors are large and read only inside search queries.
        return super().get_queryset().defer(*(vector_column(name) for name in SEARCH_COLUMNS))

    def public(self):
        """Demands the public may see, indexed (their snapshot and search columns written)."""
        return self.filter(status__in=PUBLIC_STATES, public_indexed_at__isnull=False)


class Demand(models.Model):
    """A technology demand (技术需求) in the standard format, owned by an organisation and filed
    with one host unit."""

    ref = models.CharField(_("reference number"), max_length=20, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="demands", verbose_name=_("host unit"))
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="demands", verbose_name=_("organisation"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    entered_by_host = models.BooleanField(_("entered by host staff on behalf of the company"),
                                          default=False)
    status = models.CharField(_("status"), max_length=20, choices=DemandStatus.choices,
                              default=DemandStatus.DRAFT, db_index=True)

    # --- the standard format (技术需求表) ---
    title = models.CharField(_("title"), max_length=120)
    # Nullable so that a draft can be saved before the field is chosen; submitting requires it.
    industry_field = models.ForeignKey("contests.IndustryField", on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="demands",
                                       verbose_name=_("industry field"))
    demand_type = models.CharField(_("demand type"), max_length=20, choices=DemandType.choices)
    keywords = models.JSONField(_("keywords"), default=list,
                                help_text=_("One to five keywords."))
    current_base = models.TextField(_("current base"), blank=True)
    key_problem = models.TextField(_("key technical problem"))
    expected_outcome = models.TextField(_("expected outcome"))
    outcome_forms = models.JSONField(_("forms of the outcome"), default=list)
    time_requirement = models.CharField(_("time requirement"), max_length=200, blank=True)
    cooperation_modes = models.JSONField(_("cooperation modes"), default=list)
    ip_ownership = models.CharField(_("intended IP ownership"), max_length=20,
                                    choices=IPOwnership.choices, default=IPOwnership.NEGOTIABLE)
    challenger_conditions = models.TextField(_("conditions a challenger must meet"), blank=True)
    budget = models.DecimalField(_("budget (10k yuan)"), null=True, blank=True, **money)
    prize = models.DecimalField(_("prize offered (10k yuan)"), null=True, blank=True, **money)
    solution_deadline = models.DateField(_("deadline for solutions"), null=True, blank=True)
    region = models.CharField(_("region code"), max_length=6, validators=[region_code_validator])
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=50)
    contact_mobile = models.CharField(_("mobile"), max_length=20)
    contact_landline = models.CharField(_("landline"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail"))
    # PIPL art. 23: separate consent of the contact person before phone and e-mail go to a
    # granted challenger.
    contact_consents_sharing = models.BooleanField(
        _("the contact person agrees that granted challengers see the phone and e-mail"),
        default=False,
    )
    contact_consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)

    # --- anonymised publishing ---
    hidden_fields = models.JSONField(_("hidden from the public"), default=list, blank=True)
    hidden_passages = models.JSONField(
        _("passages hidden from the public"), default=list, blank=True,
        help_text=_("Exact passages of the free text that the public must not see."),
    )
    public_wording = models.JSONField(
        _("public wording accepted by the owner"), default=dict, blank=True,
        help_text=_("Clearer public texts per field, accepted by the owner."),
    )
    national = models.BooleanField(_("published nationally (集中发布)"), default=False,
                                   db_index=True)
    national_marked_at = models.DateTimeField(_("marked for national publishing at"), null=True,
                                              blank=True)

    # --- search (built from the public projection only, never from hidden values) ---
    search_tokens = models.TextField(editable=False, blank=True)
    search_bigrams = models.TextField(editable=False, blank=True)
    # Title and keywords only (tokens and bigrams), to rank title matches first.
    search_title = models.TextField(editable=False, blank=True)
    # Their tsvectors, stored by PostgreSQL under GIN indexes (migration 0005); see
    # common.search. Deferred by default: only the search reads them.
    search_title_vector = models.GeneratedField(
        expression=WeightedVector("search_title", "A", "B"), output_field=SearchVectorField(),
        db_persist=True)
    search_tokens_vector = models.GeneratedField(
        expression=SimpleVector("search_tokens"), output_field=SearchVectorField(),
        db_persist=True)
    search_bigrams_vector = models.GeneratedField(
        expression=SimpleVector("search_bigrams"), output_field=SearchVectorField(),
        db_persist=True)
    # demands.public.projection.project(demand).to_dict(), written by refresh_public_index:
    # public lists, feeds and the sitemap render from it without reading the model.
    public_snapshot = models.JSONField(editable=False, default=dict, blank=True)
    public_indexed_at = models.DateTimeField(editable=False, null=True, blank=True)

    # Private files (files.PrivateFile) attached to the demand; served only after
    # ``demands.view_demand`` allows it.
    attachments = GenericRelation("files.PrivateFile", content_type_field="object_type",
                                  object_id_field="object_id")

    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Set once an intention agreement matched the demand (the matching app, through
    # ``services.workflow.mark_matched``); the public page then says it was matched.
    matched_at = models.DateTimeField(_("matched at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DemandManager()

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="demand_status_pub"),
            # The public list's order and count (demands.public.public_demands()). It carries
            # the columns the list filters on, so a filtered count (recomputed after every
            # publish) reads only the public rows' index, however many other demands the
            # table holds, and a filtered page checks them without visiting the table.
            models.Index(fields=["-published_at", "-id"], name="demand_public_newest",
                         include=["status", "region", "host_unit", "industry_field",
                                  "cooperation_modes"],
                         condition=models.Q(public_indexed_at__isnull=False,
                                            status__in=[DemandStatus.PUBLISHED,
                                                        DemandStatus.CLOSED])),
        ]

    def __str__(self):
        return f"{self.ref} {self.title}"

    def get_absolute_url(self):
        return reverse("demands:detail", kwargs={"ref": self.ref})

    def get_private_url(self):
        """The full (private) view for the owner, host staff, Torch staff and experts."""
        return reverse("demands:manage_detail", kwargs={"ref": self.ref})


class Indicator(models.Model):
    """One technical indicator row (指标名, 目标值, 单位, 现状值)."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="indicators",
                               verbose_name=_("demand"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("indicator"), max_length=100)
    target_value = models.CharField(_("target value"), max_length=100)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    current_value = models.CharField(_("current value"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("technical indicator")
        verbose_name_plural = _("technical indicators")
        ordering = ["demand", "position", "pk"]

    def __str__(self):
        return self.name


class DemandTransition(TransitionRecord):
    """Every state change of a demand: who, when, from what to what, and why."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="transitions",
                               verbose_name=_("demand"))
    from_state = models.CharField(_("from"), max_length=20, choices=DemandStatus.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=DemandStatus.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")


class ExpertAssignment(models.Model):
    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="assignments",
                               verbose_name=_("demand"))
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="demand_assignments", verbose_name=_("expert"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("assigned by"))
    assigned_at = models.DateTimeField(_("assigned at"), auto_now_add=True)

    class Meta:
        verbose_name = _("expert assignment")
        verbose_name_plural = _("expert assignments")
        constraints = [models.UniqueConstraint(fields=["demand", "expert"],
                                               name="unique_expert_assignment")]

    def __str__(self):
        return f"{self.expert} @ {self.demand_id}"


class Analysis(models.Model):
    """An expert's 梳理分析 and 综合建议 on an assigned demand."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="analyses",
                               verbose_name=_("demand"))
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="demand_analyses", verbose_name=_("expert"))
    analysis = models.TextField(_("analysis (梳理分析)"))
    recommendations = models.TextField(_("recommendations (综合建议)"))
    verdict = models.CharField(_("verdict"), max_length=20, choices=AnalysisVerdict.choices)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now=True)

    class Meta:
        verbose_name = _("expert analysis")
        verbose_name_plural = _("expert analyses")
        constraints = [models.UniqueConstraint(fields=["demand", "expert"],
                                               name="unique_analysis_per_expert")]

    def __str__(self):
        return f"{self.expert}: {self.get_verdict_display()}"


class WordingProposal(models.Model):
    """A clearer public wording proposed by an expert or host staff; nothing of it is public
    until the owner accepts it."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="proposals",
                               verbose_name=_("demand"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("proposed by"))
    texts = models.JSONField(_("proposed texts"), help_text=_("Field name → proposed text."))
    note = models.TextField(_("note"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ProposalState.choices,
                             default=ProposalState.PROPOSED)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("wording proposal")
        verbose_name_plural = _("wording proposals")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.proposed_by}: {', '.join(self.texts or {})}"


class WordingProposalTransition(TransitionRecord):
    """One answer to a wording proposal, in the shape of every history."""

    proposal = models.ForeignKey(WordingProposal, on_delete=models.CASCADE,
                                 related_name="transitions", verbose_name=_("wording proposal"))
    from_state = models.CharField(_("from"), max_length=20, choices=ProposalState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ProposalState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("wording proposal change")
        verbose_name_plural = _("wording proposal changes")


class AccessRequest(models.Model):
    """A challenger's request to see a demand's hidden details."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="access_requests",
                               verbose_name=_("demand"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="demand_access_requests", verbose_name=_("challenger"))
    message = models.TextField(_("message"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=AccessState.choices,
                             default=AccessState.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        constraints = [models.UniqueConstraint(fields=["demand", "user"],
                                               name="unique_access_request")]

    def __str__(self):
        return f"{self.user} → {self.demand_id}: {self.state}"


class AccessRequestTransition(TransitionRecord):
    """One decision on an access request, in the shape of every history."""

    access_request = models.ForeignKey(AccessRequest, on_delete=models.CASCADE,
                                       related_name="transitions",
                                       verbose_name=_("access request"))
    from_state = models.CharField(_("from"), max_length=20, choices=AccessState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=AccessState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("access request change")
        verbose_name_plural = _("access request changes")


class HiddenDetailView(models.Model):
    """One opening of a demand's hidden details, shown to the owner."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="detail_views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    nda = models.ForeignKey("accounts.Agreement", null=True, on_delete=models.PROTECT,
                            related_name="+", verbose_name=_("NDA version"))
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("view of hidden details")
        verbose_name_plural = _("views of hidden details")
        ordering = ["-viewed_at"]

    def __str__(self):
        return f"{self.user} @ {self.viewed_at:%Y-%m-%d %H:%M}"
