"""The registry of notification kinds.

Every kind is a key such as ``demand.status_changed``; ``notify(kind=...)`` accepts only
registered keys. An app registers its own kinds from its ``AppConfig.ready()``::

    from notifications.kinds import register
    register("solution.submitted", _("New solutions to my demands"))

and provides three templates, rendered in the recipient's language with the caller's context
plus ``recipient``, ``url`` (absolute), ``site_url``, ``portal_name`` and ``now``, without
HTML escaping (they are plain text; the inbox escapes when it displays them):

    templates/notifications/kinds/<key>/subject.txt   e-mail subject (one line)
    templates/notifications/kinds/<key>/body.txt      plain-text e-mail body
    templates/notifications/kinds/<key>/inapp.txt     the line shown in the inbox

``manage.py check`` reports a registered kind whose templates are missing.
"""

import re
from dataclasses import dataclass

from .enums import DeliveryMode

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
TEMPLATE_NAMES = ("subject.txt", "body.txt", "inapp.txt")


class UnknownKind(ValueError):
    pass


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    security: bool = False
    default: str = DeliveryMode.IMMEDIATE

    @property
    def modes(self):
        """The delivery modes a user may choose; security messages always go out at once."""
        if self.security:
            return (DeliveryMode.IMMEDIATE,)
        return tuple(DeliveryMode)

    def template(self, name):
        return f"notifications/kinds/{self.key}/{name}"


KINDS: dict[str, Kind] = {}


def register(key, label, *, security=False, default=DeliveryMode.IMMEDIATE):
    """Add a kind (or replace one with the same key) and return it."""
    if not KEY_PATTERN.match(key):
        raise ValueError(f"Notification kind keys look like 'app.event', not {key!r}")
    if default not in DeliveryMode.values:
        raise ValueError(f"Unknown default delivery mode {default!r} for {key!r}")
    if security and default != DeliveryMode.IMMEDIATE:
        raise ValueError(f"Security kind {key!r} must be delivered immediately")
    kind = Kind(key=key, label=label, security=security, default=DeliveryMode(default))
    KINDS[key] = kind
    return kind


def get_kind(key):
    try:
        return KINDS[key]
    except KeyError:
        raise UnknownKind(
            f"Unknown notification kind {key!r}; register it in notifications.kinds"
        ) from None


def kinds_in_order():
    """Security kinds first, then by label, as the preferences page lists them."""
    return sorted(KINDS.values(), key=lambda kind: (not kind.security, str(kind.label), kind.key))


