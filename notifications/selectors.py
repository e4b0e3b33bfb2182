"""Reads of the notifications app: what a user may see."""

from .models import Notification


def notifications_for(user):
    """The user's own inbox, newest first; nobody sees another user's notifications."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
