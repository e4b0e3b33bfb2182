"""States and choices of the notifications app; the allowed transitions are data."""

from django.db import models
from django.utils.translation import pgettext_lazy


class DeliveryMode(models.TextChoices):
    """How a user wants one kind of notification delivered."""

    IMMEDIATE = "immediate", pgettext_lazy("notification delivery", "Immediately")
    DIGEST = "digest", pgettext_lazy("notification delivery", "In a daily digest")
    OFF = "off", pgettext_lazy("notification delivery", "Off")


class EmailState(models.TextChoices):
    """Life of one outbound e-mail in the outbox."""

    PENDING = "pending", pgettext_lazy("e-mail state", "pending")
    HELD = "held", pgettext_lazy("e-mail state", "held for the digest")
    SENDING = "sending", pgettext_lazy("e-mail state", "sending")
    SENT = "sent", pgettext_lazy("e-mail state", "sent")
    FAILED = "failed", pgettext_lazy("e-mail state", "failed")
    BUNDLED = "bundled", pgettext_lazy("e-mail state", "sent in a digest")


# The relay moves pending → sending → sent, or back to pending for a retry, or to failed when
# attempts run out; an expired "sending" claim (worker killed mid-send) is claimed again. Staff
# send a failed message back to pending. Held messages only leave by being bundled in a digest.
EMAIL_TRANSITIONS = {
    EmailState.PENDING: {EmailState.SENDING},
    EmailState.HELD: {EmailState.BUNDLED},
    EmailState.SENDING: {EmailState.SENT, EmailState.PENDING, EmailState.FAILED,
                         EmailState.SENDING},
    EmailState.FAILED: {EmailState.PENDING},
    EmailState.SENT: set(),
    EmailState.BUNDLED: set(),
}


def can_transition(from_state, to_state):
    return to_state in EMAIL_TRANSITIONS.get(from_state, set())
