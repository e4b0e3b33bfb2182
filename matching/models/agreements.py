"""Cooperation intention agreements (合作意向协议) and their history."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TransitionRecord

from ..enums import AgreementState


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

