"""Reads of publicity."""

from django.db.models import Q

from accounts.permissions import is_torch_staff
from contests.permissions import staffed_host_unit_ids

from .models import NewsItem


def published_items():
    return NewsItem.objects.published().select_related("host_unit__event")


def latest_items(limit=5):
    return list(published_items()[:limit])


def editable_items(user):
    """What the user edits: everything for Torch staff, their units' items for host staff."""
    queryset = NewsItem.objects.select_related("host_unit__event", "created_by")
    if is_torch_staff(user):
        return queryset
    ids = staffed_host_unit_ids(user)
    return queryset.filter(host_unit_id__in=ids) if ids else queryset.none()


def items_visible_to(user):
    """Published items for everyone, and the drafts the user edits (files' download scope)."""
    editable = editable_items(user).values("pk")
    return NewsItem.objects.filter(Q(publish_at__lte=_now()) | Q(pk__in=editable))


def _now():
    from django.utils import timezone

    return timezone.now()
