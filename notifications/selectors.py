"""Reads of the notifications app: what a user may see."""

from django.core.cache import cache

from .models import Notification

# The header's badge is on every signed-in page; its count is kept this long, and dropped
# whenever the user's inbox gains a line or one is read (services.forget_unread_counts).
UNREAD_TTL = 60


def notifications_for(user):
    """The user's own inbox, newest first; nobody sees another user's notifications."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_key(user_id):
    return f"notifications:unread:{user_id}"


def remember_unread(user_id, count):
    """Keep a count read elsewhere (with the user's roles, ``accounts.User.role_codes``)."""
    cache.set(unread_key(user_id), count, UNREAD_TTL)


def unread_count(user):
    """The user's unread notifications, from the cache when counted in the last minute."""
    key = unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        remember_unread(user.pk, count)
    return count
