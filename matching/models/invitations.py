"""Invitations: host staff (or a commissioned agency) invite a holder to answer a demand."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TransitionRecord

from ..enums import InvitationState
from .agencies import Commission
from .library import Achievement


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

