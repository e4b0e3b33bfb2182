"""Host scoping in Django admin, for every app whose rows belong to a host unit.

Usage::

    @admin.register(Demand)
    class DemandAdmin(HostScopedAdminMixin, admin.ModelAdmin):
        host_unit_lookup = "host_unit"            # ORM path from Demand to HostUnit

    class SolutionAdmin(HostScopedAdminMixin, admin.ModelAdmin):
        host_unit_lookup = "demand__host_unit"

Torch Center staff (and superusers) see and change everything. A host organiser sees only the
rows of the host units it is a staff member of, may pick only those units (and rows of other
scoped models it can see) in foreign-key and many-to-many fields, and cannot save a row whose
host unit is not one of its own. Everybody else sees nothing, whatever Django permissions
they hold: host data is never visible by accident.
"""

from django.contrib import admin
from django.contrib.admin.utils import (
    NotRelationField,
    get_fields_from_path,
    lookup_spawns_duplicates,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied
from django.db import models

from accounts.permissions import is_torch_staff

from .models import HostUnit
from .permissions import staffed_host_unit_ids
from .selectors import host_units_of

ALL_PERMISSIONS = frozenset({"view", "add", "change", "delete"})


def scope_queryset(queryset, host_unit_lookup, host_unit_ids):
    """Rows of ``queryset`` whose host unit (reached by ``host_unit_lookup``; "" when the
    queryset is of HostUnit itself) is one of ``host_unit_ids``."""
    if not host_unit_lookup:
        return queryset.filter(pk__in=host_unit_ids)
    queryset = queryset.filter(**{f"{host_unit_lookup}__in": host_unit_ids})
    if lookup_spawns_duplicates(queryset.model._meta, host_unit_lookup):
        queryset = queryset.distinct()
    return queryset


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


class _HostScopeChoicesMixin:
    """Restricts FK/M2M choices to what the user may see; shared by model and inline admins."""

    def is_unrestricted(self, request):
        return is_torch_staff(request.user)

    def scoped_host_unit_ids(self, request):
        return staffed_host_unit_ids(request.user)

    def scoped_choices(self, request, model):
        """The queryset a choice field pointing at ``model`` is limited to, or None when the
        model is not host-scoped (or the user sees everything)."""
        if self.is_unrestricted(request):
            return None
        if issubclass(model, HostUnit):
            return host_units_of(request.user)
        related_admin = self.admin_site._registry.get(model)
        if isinstance(related_admin, HostScopedAdminMixin) and (
                related_admin.host_unit_lookup is not None):
            return related_admin.get_queryset(request)
        return None

    def _limit(self, request, db_field, kwargs):
        scoped = self.scoped_choices(request, db_field.related_model)
        if scoped is None:
            return
        if "queryset" in kwargs:
            kwargs["queryset"] = kwargs["queryset"].filter(pk__in=scoped.values("pk"))
        else:
            kwargs["queryset"] = scoped

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._limit(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._limit(request, db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class HostScopedAdminMixin(_HostScopeChoicesMixin):
    """Put before ``admin.ModelAdmin``. Class attributes:

    ``host_unit_lookup``: ORM path from the model to HostUnit ("host_unit",
    "demand__host_unit"; "" for HostUnit itself). ``None`` marks shared reference data
    (contests, fields): not filtered, and host staff get at most ``host_staff_permissions``.

    ``host_staff_permissions``: which of view/add/change/delete host staff get on their own
    units' rows (default: all four). Torch staff always get all four.
    """

    host_unit_lookup = "host_unit"
    host_staff_permissions = ALL_PERMISSIONS

    # --- rows ---------------------------------------------------------------------------------
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.host_unit_lookup is None or self.is_unrestricted(request):
            return queryset
        ids = self.scoped_host_unit_ids(request)
        if not ids:
            return queryset.none()
        return scope_queryset(queryset, self.host_unit_lookup, ids)

    def get_list_filter(self, request):
        """Relation filters offer only values present in the scoped rows, so the sidebar of a
        host organiser never lists other units (or their organisations)."""
        filters = super().get_list_filter(request)
        if self.is_unrestricted(request):
            return filters
        scoped = []
        for item in filters:
            if isinstance(item, str):
                try:
                    field = get_fields_from_path(self.model, item)[-1]
                except (FieldDoesNotExist, NotRelationField):
                    field = None
                if field is not None and field.is_relation:
                    item = (item, admin.RelatedOnlyFieldListFilter)
            scoped.append(item)
        return scoped

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


class HostScopedInlineMixin(_HostScopeChoicesMixin):
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
