"""Abstract models the domain apps build on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TransitionRecord(models.Model):
    """One state change of a workflow object, in the one shape every app's history shares:
    from which state to which, who (``None``: the system), why, and when.

    An app's concrete history model adds the foreign key to its object (named after it, with
    ``related_name="transitions"``) and the ``choices`` of its states; ``common.workflow``
    writes the rows.
    """

    from_state = models.CharField(_("from"), max_length=20)
    to_state = models.CharField(_("to"), max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("by"))
    reason = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"
