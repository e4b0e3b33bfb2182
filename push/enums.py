"""States of the push: the fan-out of one publication and one webhook delivery. The allowed
transitions are data, next to the states."""

from django.db import models
from django.utils.translation import pgettext_lazy


class PushState(models.TextChoices):
    """Life of the fan-out of one publication to its subscribers."""

    PENDING = "pending", pgettext_lazy("push state", "waiting")
    RUNNING = "running", pgettext_lazy("push state", "running")
    DONE = "done", pgettext_lazy("push state", "done")
    FAILED = "failed", pgettext_lazy("push state", "failed")
    CANCELLED = "cancelled", pgettext_lazy("push state", "cancelled")


# A run claims a pending job (running), then finishes it (done), gives it back with its
# checkpoint when its time is up or after an error (pending), or fails it when errors keep
# coming; an expired claim (the worker died) is claimed again. A demand no longer public by
# the time the job runs cancels it. Staff send a failed job back to pending.
PUSH_TRANSITIONS = {
    PushState.PENDING: {PushState.RUNNING, PushState.CANCELLED},
    PushState.RUNNING: {PushState.DONE, PushState.PENDING, PushState.FAILED,
                        PushState.CANCELLED, PushState.RUNNING},
    PushState.FAILED: {PushState.PENDING},
    PushState.DONE: set(),
    PushState.CANCELLED: set(),
}


class DeliveryState(models.TextChoices):
    """Life of one webhook delivery (one event to one partner endpoint)."""

    PENDING = "pending", pgettext_lazy("webhook delivery state", "waiting")
    SENDING = "sending", pgettext_lazy("webhook delivery state", "sending")
    DELIVERED = "delivered", pgettext_lazy("webhook delivery state", "delivered")
    FAILED = "failed", pgettext_lazy("webhook delivery state", "failed")


DELIVERY_TRANSITIONS = {
    DeliveryState.PENDING: {DeliveryState.SENDING, DeliveryState.FAILED},
    DeliveryState.SENDING: {DeliveryState.DELIVERED, DeliveryState.PENDING,
                            DeliveryState.FAILED, DeliveryState.SENDING},
    DeliveryState.FAILED: {DeliveryState.PENDING},
    DeliveryState.DELIVERED: set(),
}


def can_push_transition(from_state, to_state):
    return to_state in PUSH_TRANSITIONS.get(from_state, set())


def can_delivery_transition(from_state, to_state):
    return to_state in DELIVERY_TRANSITIONS.get(from_state, set())
