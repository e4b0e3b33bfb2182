"""Host scoping in Django admin, for every app whose rows belong to a host unit.

Usage::

    @admin.register(Demand)
    class DemandAdmin(HostScopedAdminMixin, admin.ModelAdmin):
        visible_to = selectors.managed_scope      # the rows: the pages' selector
        host_unit_lookup = "host_unit"            # ORM path from Demand to HostUnit

    class SolutionAdmin(HostScopedAdminMixin, admin.ModelAdmin):
        visible_to = selectors.solutions_managed_by
        host_unit_lookup = "demand__host_unit"

Which rows a user sees comes only from ``visible_to``, the selector the pages use
(``common.admin_scope``): a row outside it answers 404, choice fields and sidebar filters offer
nothing outside it. ``host_unit_lookup`` decides what host staff may write: they may save a row
only when every host unit it belongs to (after the edit) is one of theirs. Torch Center staff
(and superusers) may write everything their selector shows. Everybody else sees nothing,
whatever Django permissions they hold: host data is never visible by accident.
"""

from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ObjectDoesNotExist,
    PermissionDenied,
)
from django.db import models

from accounts.permissions import is_torch_staff
from common.admin_scope import ScopedChoicesMixin, SelectorScopedAdminMixin

from .permissions import staffed_host_unit_ids

ALL_PERMISSIONS = frozenset({"view", "add", "change", "delete"})


def host_unit_ids_of_instance(obj, host_unit_lookup):
    """Primary keys of the host units an instance belongs to, by walking ``host_unit_lookup``
    over its attributes (unsaved instances included, as far as their fields are set)."""
    if host_unit_lookup == "":
        return {obj.pk} if obj.pk is not None else set()
    values = [obj]
    parts = host_unit_lookup.split("__")
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        found = []
        for value in values:
            try:
                model_field = value._meta.get_field(part)
            except FieldDoesNotExist:
                model_field = None
            if last and isinstance(model_field, models.ForeignKey):
                # The id is on the row already: no query for the final hop.
                related_id = getattr(value, model_field.attname)
                if related_id is not None:
                    found.append(related_id)
                continue
            try:
                related = getattr(value, part)
            except ObjectDoesNotExist:
                continue
            if related is None:
                continue
            if isinstance(related, models.Manager):
                if value.pk is None:
                    continue
                found.extend(related.all())
            else:
                found.append(related)
        values = found
    return {value if isinstance(value, int) else value.pk for value in values}


class _HostStaffMixin:
    def is_unrestricted(self, request):
        return is_torch_staff(request.user)

    def scoped_host_unit_ids(self, request):
        return staffed_host_unit_ids(request.user)


class HostScopedAdminMixin(_HostStaffMixin, SelectorScopedAdminMixin):
    """Put before ``admin.ModelAdmin``. Class attributes:

    ``visible_to``: the selector (``user -> queryset``) the pages list these rows with;
    required unless ``host_unit_lookup`` is None.

    ``host_unit_lookup``: ORM path from the model to HostUnit ("host_unit",
    "demand__host_unit"; "" for HostUnit itself). ``None`` marks shared reference data
    (contests, fields): not filtered, and host staff get at most ``host_staff_permissions``.

    ``host_staff_permissions``: which of view/add/change/delete host staff get on their own
    units' rows (default: all four). Torch staff always get all four.
    """

    host_unit_lookup = "host_unit"
    host_staff_permissions = ALL_PERMISSIONS

    def __init__(self, model, admin_site):
        if self.host_unit_lookup is not None and self.visible_to is None:
            raise ImproperlyConfigured(
                f"{type(self).__name__} is host-scoped: name the pages' selector in visible_to.")
        super().__init__(model, admin_site)

    # --- rows ---------------------------------------------------------------------------------
    def host_unit_ids_of(self, obj):
        return host_unit_ids_of_instance(obj, self.host_unit_lookup)

    def object_in_scope(self, request, obj):
        """True when every host unit the object belongs to is one of the user's."""
        if self.is_unrestricted(request) or self.host_unit_lookup is None:
            return True
        ids = self.host_unit_ids_of(obj)
        return bool(ids) and ids <= self.scoped_host_unit_ids(request)

    # --- permissions --------------------------------------------------------------------------
    def _host_staff_may(self, request, action, obj=None):
        if action not in self.host_staff_permissions:
            return False
        if not self.scoped_host_unit_ids(request):
            return False
        return obj is None or self.object_in_scope(request, obj)

    def has_module_permission(self, request):
        return self.is_unrestricted(request) or bool(self.scoped_host_unit_ids(request))

    def has_view_permission(self, request, obj=None):
        if self.is_unrestricted(request):
            return True
        return self._host_staff_may(request, "view", obj) or self._host_staff_may(
            request, "change", obj)

    def has_add_permission(self, request):
        return self.is_unrestricted(request) or self._host_staff_may(request, "add")

    def has_change_permission(self, request, obj=None):
        return self.is_unrestricted(request) or self._host_staff_may(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self.is_unrestricted(request) or self._host_staff_may(request, "delete", obj)

    # --- writes -------------------------------------------------------------------------------
    def check_host_scope(self, request, obj):
        """Refuse (PermissionDenied) to save an object outside the user's host units."""
        if not self.object_in_scope(request, obj):
            raise PermissionDenied

    def save_model(self, request, obj, form, change):
        self.check_host_scope(request, obj)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        self.check_host_scope(request, obj)
        super().delete_model(request, obj)


class HostScopedInlineMixin(_HostStaffMixin, ScopedChoicesMixin):
    """Put before ``admin.TabularInline`` / ``StackedInline`` inside a host-scoped admin: the
    inline's rows may be seen and edited exactly when its parent may be (``obj`` is the
    parent), and its choice fields are scoped like the parent's. ``host_staff_permissions``
    narrows what host staff may do with the inline rows."""

    host_staff_permissions = ALL_PERMISSIONS

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def _host_staff_allowed(self, request, action):
        return self.is_unrestricted(request) or action in self.host_staff_permissions

    def has_view_permission(self, request, obj=None):
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        parent = self._parent_admin()
        allowed = (parent.has_change_permission(request, obj) if obj is not None
                   else parent.has_add_permission(request))
        return allowed and self._host_staff_allowed(request, "add")

    def has_change_permission(self, request, obj=None):
        parent = self._parent_admin()
        allowed = (parent.has_change_permission(request, obj) if obj is not None
                   else parent.has_add_permission(request) or parent.has_change_permission(
                       request))
        return allowed and self._host_staff_allowed(request, "change")

    def has_delete_permission(self, request, obj=None):
        parent = self._parent_admin()
        allowed = (parent.has_change_permission(request, obj) if obj is not None
                   else parent.has_add_permission(request))
        return allowed and self._host_staff_allowed(request, "delete")
