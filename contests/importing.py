"""Import and export of host-scoped data: the contest's fill of the kernel's safe base.

``HostScopedResource`` is ``common.importexport.resources.ScopedResource`` with host units as
its scope: Torch Center staff work on every unit, host unit staff on their own, anyone else on
none. A subclass declares its model, fields and ``host_unit_path`` (ORM path from the model to
its HostUnit: ``"host_unit"``, ``"demand__host_unit"``; ``"pk"`` for HostUnit itself); see
``contests/resources.py``. Its ModelAdmin takes ``ScopedImportExportMixin``
(``common.importexport.admin``).
"""

from django.db.models import Q
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_torch_staff
from common.importexport.resources import ScopedForeignKeyWidget, ScopedResource

from .models import HostUnit
from .permissions import is_host_staff
from .selectors import host_units_of

# Who may import and export host-scoped data, by default: Torch Center staff for all host
# units, host unit staff for their own (the resource limits the rows to those units). Each
# resource may name its own rules (``import_rule`` / ``export_rule``).
can_import_host_data = is_torch_staff | is_host_staff
can_export_host_data = is_torch_staff | is_host_staff


class HostUnitWidget(ScopedForeignKeyWidget):
    """The host unit column: its name (as exported) or its slug, within the user's units."""

    not_found_message = _("“%(value)s” is not one of your host units.")
    ambiguous_message = _("Several of your host units are called “%(value)s”; use the slug.")

    def __init__(self, **kwargs):
        kwargs.setdefault("scope", lambda resource: resource.host_units)
        super().__init__(HostUnit, field="name", **kwargs)

    def get_instance_by_lookup_fields(self, value, row, **kwargs):
        value = force_str(value)
        return self.get_queryset(value, row).get(Q(name=value) | Q(slug=value))


class HostScopedResource(ScopedResource):
    """A model resource limited to the host units of one user.

    Build it with ``Resource(user=request.user)``; ``host_units`` (a HostUnit queryset) may be
    passed to narrow the scope further, never to widen it.
    """

    host_unit_path = "host_unit"
    import_rule = can_import_host_data
    export_rule = can_export_host_data

    out_of_scope_message = _("This is not one of your host units.")
    missing_scope_message = _("Enter one of your host units.")
    unknown_id_message = _("There is no record with this ID among your host units' records.")

    def __init__(self, *, user=None, host_units=None, progress=None, **kwargs):
        super().__init__(user=user, within=host_units, progress=progress, **kwargs)

    def scope_of(self, user):
        # All units for Torch staff, the user's own for host staff, none for anyone else.
        return host_units_of(user)

    @property
    def scope_path(self):
        return self.host_unit_path

    @property
    def host_units(self):
        """The HostUnit queryset of the scope."""
        return self.scope

    @property
    def host_unit_ids(self):
        return self.scope_ids
