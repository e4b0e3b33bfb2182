from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TransitionRecord

from .enums import (
    LIVE_SUBSIDY_STATES,
    AwardState,
    ContractKind,
    ServiceKind,
    ServiceState,
    SubsidyState,
)


class Award(models.Model):
    """A prize to a winning challenger, paid by the demand's organisation: both sides
    acknowledge the clause (the prize only rewards the challenger), the demand side records the
    payment with its proof, the challenger confirms receipt; an overdue payment is reminded."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.PROTECT, related_name="awards",
                               verbose_name=_("demand"))
    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="awards", verbose_name=_("host unit"))
    live_round = models.ForeignKey("matching.LiveRound", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="awards",
                                   verbose_name=_("live round"))
    recipient = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                  related_name="awards_received",
                                  verbose_name=_("winning challenger"))
    payer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                              related_name="awards_paid", verbose_name=_("paid by"))
    title = models.CharField(_("award"), max_length=120)
    amount = models.DecimalField(_("amount (10k yuan)"), max_digits=10, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    due_on = models.DateField(_("to be paid by"))
    # The clause as shown when the award was made; both acknowledgements refer to this text.
    clause = models.TextField(_("clause"))
    payer_ack_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("acknowledged for the payer by"))
    payer_ack_at = models.DateTimeField(_("payer acknowledged at"), null=True, blank=True)
    recipient_ack_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+",
                                         verbose_name=_("acknowledged for the challenger by"))
    recipient_ack_at = models.DateTimeField(_("challenger acknowledged at"), null=True,
                                            blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_amount = models.DecimalField(_("amount paid (10k yuan)"), max_digits=10,
                                      decimal_places=2, null=True, blank=True)
    proof = models.ForeignKey("files.PrivateFile", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("proof of payment"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("receipt confirmed by"))
    received_at = models.DateTimeField(_("receipt confirmed at"), null=True, blank=True)
    reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=14, choices=AwardState.choices,
                             default=AwardState.OFFERED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("made by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("awards:detail", kwargs={"pk": self.pk})


class AwardTransition(TransitionRecord):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="transitions",
                              verbose_name=_("award"))
    from_state = models.CharField(_("from"), max_length=20, choices=AwardState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=AwardState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("award change")
        verbose_name_plural = _("award changes")


class TechnologyContract(models.Model):
    """A signed technology contract registered against a confirmed intention agreement; host
    staff flag it for priority in local science and technology programmes."""

    agreement = models.ForeignKey("matching.IntentionAgreement", on_delete=models.PROTECT,
                                  related_name="contracts",
                                  verbose_name=_("intention agreement"))
    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="technology_contracts",
                                  verbose_name=_("host unit"))
    number = models.CharField(_("contract number"), max_length=60, unique=True)
    kind = models.CharField(_("contract type"), max_length=12, choices=ContractKind.choices)
    amount = models.DecimalField(_("amount (10k yuan)"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    signed_on = models.DateField(_("signed on"))
    priority = models.BooleanField(_("flagged for priority in local S&T programmes"),
                                   default=False)
    priority_note = models.TextField(_("priority note"), blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+", verbose_name=_("registered by"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("technology contract")
        verbose_name_plural = _("technology contracts")
        ordering = ["-signed_on", "-pk"]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("awards:contract_detail", kwargs={"pk": self.pk})


class ServiceRequest(models.Model):
    """A participant asks a host unit for a service (the five kinds); host staff assign it to a
    provider (a service agency), which completes it; the requester rates it."""

    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="service_requests", verbose_name=_("host unit"))
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="service_requests", verbose_name=_("requester"))
    kind = models.CharField(_("service"), max_length=10, choices=ServiceKind.choices)
    description = models.TextField(_("what is needed"))
    provider = models.ForeignKey("accounts.Organisation", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="service_requests",
                                 verbose_name=_("provider"))
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("assigned by"))
    outcome = models.TextField(_("outcome"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    rating_comment = models.TextField(_("comment on the service"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=ServiceState.choices,
                             default=ServiceState.SUBMITTED, db_index=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("awards:service_detail", kwargs={"pk": self.pk})


class ServiceRequestTransition(TransitionRecord):
    service = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE,
                                related_name="transitions", verbose_name=_("service request"))
    from_state = models.CharField(_("from"), max_length=20, choices=ServiceState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ServiceState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("service request change")
        verbose_name_plural = _("service request changes")


class FollowUp(models.Model):
    """A follow-up of a matched demand (a confirmed intention agreement) at 3, 6 or 12 months:
    the demand side reports progress in figures and words; host staff record an effect
    evaluation."""

    agreement = models.ForeignKey("matching.IntentionAgreement", on_delete=models.CASCADE,
                                  related_name="follow_ups",
                                  verbose_name=_("intention agreement"))
    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="follow_ups", verbose_name=_("host unit"))
    months = models.PositiveSmallIntegerField(_("months after the agreement"))
    due_on = models.DateField(_("due on"))
    contract_value = models.DecimalField(_("contract value realised (10k yuan)"),
                                         max_digits=12, decimal_places=2, null=True,
                                         blank=True, validators=[MinValueValidator(0)])
    patents_filed = models.PositiveIntegerField(_("patents filed"), null=True, blank=True)
    products_launched = models.PositiveIntegerField(_("products launched"), null=True,
                                                    blank=True)
    jobs_created = models.PositiveIntegerField(_("jobs created"), null=True, blank=True)
    progress = models.TextField(_("progress"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("reported by"))
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    evaluation = models.TextField(_("effect evaluation"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("evaluated by"))
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["agreement", "months"],
                                               name="unique_follow_up")]

    def __str__(self):
        return f"{self.agreement_id} +{self.months}"

    def get_absolute_url(self):
        return reverse("awards:follow_up", kwargs={"pk": self.pk})


class SubsidyPolicy(models.Model):
    """A host unit's subsidy policy (from its work plan's local support policies): entered by
    the unit's staff, public in summary; a demand organisation whose demand at the unit was
    matched applies while it is open."""

    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="subsidy_policies", verbose_name=_("host unit"))
    work_plan = models.ForeignKey("contests.WorkPlan", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="subsidy_policies",
                                  verbose_name=_("from the work plan"))
    title = models.CharField(_("policy"), max_length=120)
    description = models.TextField(_("description"))
    max_amount = models.DecimalField(_("maximum amount (10k yuan)"), max_digits=10,
                                     decimal_places=2, validators=[MinValueValidator(0)])
    eligibility = models.TextField(_("who may apply"))
    opens_on = models.DateField(_("open from"))
    closes_on = models.DateField(_("open until"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("entered by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("subsidy policy")
        verbose_name_plural = _("subsidy policies")
        ordering = ["-opens_on", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return (reverse("awards:subsidy_policies", kwargs={"slug": self.host_unit.slug})
                + f"#policy-{self.pk}")

    def is_open_on(self, day):
        return self.opens_on <= day <= self.closes_on


class SubsidyApplication(models.Model):
    """A matched demand's organisation applies for a subsidy under a policy of the demand's
    host unit (which confirmed intention agreement, the amount asked, why, private supporting
    files); the unit's staff approve an amount (at most the policy's maximum and the amount
    asked) or decline with a reason; the applicant may withdraw while it awaits decision."""

    policy = models.ForeignKey(SubsidyPolicy, on_delete=models.PROTECT,
                               related_name="applications", verbose_name=_("subsidy policy"))
    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="subsidy_applications",
                                  verbose_name=_("host unit"))
    agreement = models.ForeignKey("matching.IntentionAgreement", on_delete=models.PROTECT,
                                  related_name="subsidy_applications",
                                  verbose_name=_("intention agreement"))
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT,
                                     related_name="subsidy_applications",
                                     verbose_name=_("applicant organisation"))
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("submitted by"))
    amount_asked = models.DecimalField(_("amount asked (10k yuan)"), max_digits=10,
                                       decimal_places=2, validators=[MinValueValidator(0)])
    justification = models.TextField(_("justification"))
    amount_approved = models.DecimalField(_("amount approved (10k yuan)"), max_digits=10,
                                          decimal_places=2, null=True, blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=SubsidyState.choices,
                             default=SubsidyState.SUBMITTED, db_index=True)
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("subsidy application")
        verbose_name_plural = _("subsidy applications")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(
            fields=["policy", "agreement"], condition=models.Q(state__in=LIVE_SUBSIDY_STATES),
            name="one_live_subsidy_application")]

    def __str__(self):
        return f"{self.policy} #{self.pk}"

    def get_absolute_url(self):
        return reverse("awards:subsidy_detail", kwargs={"pk": self.pk})


class SubsidyApplicationTransition(TransitionRecord):
    application = models.ForeignKey(SubsidyApplication, on_delete=models.CASCADE,
                                    related_name="transitions",
                                    verbose_name=_("subsidy application"))
    from_state = models.CharField(_("from"), max_length=20, choices=SubsidyState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=SubsidyState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("subsidy application change")
        verbose_name_plural = _("subsidy application changes")
