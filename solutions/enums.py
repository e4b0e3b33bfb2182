from django.db import models
from django.utils.translation import gettext_lazy as _


class ResponseKind(models.TextChoices):
    """How a published demand was answered: a challenger's solution, an invitation sent by the
    matching side, or the host unit's own response."""

    SOLUTION = "solution", _("Solution submitted")
    INVITATION = "invitation", _("Invitation sent")
    HOST_RESPONSE = "host_response", _("Host unit's response")
