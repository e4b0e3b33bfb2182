"""The API keys section of Torch staff's workspace (see ``accounts.workspace``)."""

from .permissions import can_manage_keys
from .selectors import keys_visible_to


def keys_context(request):
    if not can_manage_keys(request.user):
        return None
    keys = keys_visible_to(request.user)
    return {"active": keys.filter(revoked_at__isnull=True).count()}
