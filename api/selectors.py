"""Reads of the API app."""

from .models import ApiKey
from .permissions import can_manage_keys


def keys_visible_to(user):
    """Every key for Torch staff, none for anyone else."""
    if not can_manage_keys(user):
        return ApiKey.objects.none()
    return ApiKey.objects.select_related("created_by", "revoked_by").order_by("revoked_at",
                                                                               "-created_at")
