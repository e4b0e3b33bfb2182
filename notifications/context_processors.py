from functools import cached_property

from . import selectors


class UnreadCount:
    """The user's unread count, queried the first time a template uses it (one COUNT), unless
    the user's role query of this request read it already (``_unread_notifications``, see
    ``accounts.models.User.role_codes``)."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def value(self):
        known = getattr(self._user, "_unread_notifications", None)
        return selectors.unread_count(self._user) if known is None else known

    def __int__(self):
        return self.value

    __index__ = __int__

    def __bool__(self):
        return self.value > 0

    def __str__(self):
        return str(self.value)

    def __eq__(self, other):
        return self.value == other

    def __gt__(self, other):
        return self.value > other

    def __lt__(self, other):
        return self.value < other

    __hash__ = None


def unread_count(request):
    """``unread_notifications`` for the header badge, for a signed-in user only."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": UnreadCount(user)}
