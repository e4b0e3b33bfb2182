"""Who may import and export host-scoped data (django-rules predicates).

Each registered resource names its own rules (``import_rule`` / ``export_rule``); the registry
installs them as the permissions ``<app>.import_<model>`` and ``<app>.export_<model>``.
"""

import rules

from accounts.permissions import is_host_organiser, is_torch_staff


@rules.predicate
def has_host_unit(user):
    """Staff of at least one host unit (cached on the user instance for one request)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if not hasattr(user, "_has_host_unit"):
        from contests.models import HostMembership

        user._has_host_unit = HostMembership.objects.filter(user=user).exists()
    return user._has_host_unit


is_host_staff = is_host_organiser & has_host_unit

# Defaults of HostScopedResource: Torch Center staff for all host units, host organisers for
# their own (the resource limits the rows to those units).
can_import_host_data = is_torch_staff | is_host_staff
can_export_host_data = is_torch_staff | is_host_staff
