"""Who oversees the portal: reads the audit log and every kernel app's records in admin.

The kernel knows no roles. The app that defines them names the overseers once, from its
``AppConfig.ready()`` (accounts: Torch Center staff and superusers)::

    from audit.permissions import set_overseer_rule

    set_overseer_rule(is_torch_staff)

Until then only active superusers oversee.
"""

import rules

_overseer_rule = None


def set_overseer_rule(predicate):
    """Install the predicate on a user that says who oversees (replacing any earlier one)."""
    global _overseer_rule
    _overseer_rule = predicate


@rules.predicate
def is_overseer(user):
    if _overseer_rule is not None:
        return bool(_overseer_rule(user))
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)
