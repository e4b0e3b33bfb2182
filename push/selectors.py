"""Reads of the push: what a user may see of subscriptions, and what Torch staff see of
publication pushes."""

from .enums import PushState
from .models import PublicationPush, Subscription


def subscriptions_of(user):
    """The user's own subscriptions with their fields, oldest first (two queries)."""
    return (Subscription.objects.filter(user=user).prefetch_related("fields")
            .order_by("created_at", "pk"))


def subscription_of(user, pk):
    """One of the user's own subscriptions, or None: another user's is None too (404)."""
    return Subscription.objects.filter(user=user, pk=pk).first()


def failed_pushes():
    return PublicationPush.objects.filter(state=PushState.FAILED)
