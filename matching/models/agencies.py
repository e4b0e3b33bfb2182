"""Agencies' commissions: a host unit commissions a service agency for a period, a scope and
some demands."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.models import TransitionRecord

from ..enums import CommissionState


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

