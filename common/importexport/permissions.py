"""Who may import and export host-scoped data (django-rules predicates).

Each registered resource names its own rules (``import_rule`` / ``export_rule``); the registry
installs them as the permissions ``<app>.import_<model>`` and ``<app>.export_<model>``.
"""

from accounts.permissions import is_torch_staff
from contests.permissions import is_host_staff

# Defaults of HostScopedResource: Torch Center staff for all host units, host unit staff for
# their own (the resource limits the rows to those units).
can_import_host_data = is_torch_staff | is_host_staff
can_export_host_data = is_torch_staff | is_host_staff
