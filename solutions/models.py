from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import ResponseKind


class DemandResponse(models.Model):
    """One answer to a published demand, whatever its source (a solution, an invitation, the
    host unit's response). A published demand is answered once it has one; the first one's
    ``at`` is its time to first response."""

    demand = models.ForeignKey("demands.Demand", on_delete=models.CASCADE,
                               related_name="responses", verbose_name=_("demand"))
    kind = models.CharField(_("kind"), max_length=20, choices=ResponseKind.choices)
    # "app.Model:pk" of the object that answered, e.g. "solutions.Solution:12".
    source_ref = models.CharField(_("source"), max_length=100)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("demand response")
        verbose_name_plural = _("demand responses")
        ordering = ["demand", "at"]
        constraints = [models.UniqueConstraint(fields=["kind", "source_ref"],
                                               name="unique_demand_response_source")]
        indexes = [models.Index(fields=["demand", "at"], name="demand_response_first")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.source_ref} → {self.demand_id}"
