"""Admin querysets from the pages' selectors, so that what a user may see is written once.

Put ``SelectorScopedAdminMixin`` before ``admin.ModelAdmin`` and name the selector the pages
use (a function ``user -> queryset`` of the admin's model)::

    @admin.register(Demand)
    class DemandAdmin(SelectorScopedAdminMixin, admin.ModelAdmin):
        visible_to = selectors.managed_scope

Then the changelist, the change, delete and history pages, the actions, the relation filters
of the sidebar, the autocomplete answers of other admins and the foreign-key choices of every
scoped admin's forms hold only the rows that selector returns for the request's user. A row
outside it answers 404, the same as a row that does not exist, as the pages do. Permissions
(who may open the model at all, who may change what) stay with each admin.

``visible_to = None`` marks shared reference data: listed unfiltered.
"""

from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404


def selector_of(model_admin):
    """The selector a model admin (or inline) lists its rows from, or None."""
    return getattr(type(model_admin), "visible_to", None)


class ScopedChoicesMixin:
    """Foreign-key and many-to-many fields offer only the rows the related model's admin
    lists to this user, when that admin is selector-scoped. Shared by model admins and
    inlines."""

    def scoped_choices(self, request, model):
        """The queryset a choice field pointing at ``model`` is limited to, or None."""
        related_admin = self.admin_site._registry.get(model)
        if related_admin is None or selector_of(related_admin) is None:
            return None
        return related_admin.get_queryset(request)

    def _limit_choices(self, request, db_field, kwargs):
        scoped = self.scoped_choices(request, db_field.related_model)
        if scoped is None:
            return
        if "queryset" in kwargs:
            kwargs["queryset"] = kwargs["queryset"].filter(pk__in=scoped.values("pk"))
        else:
            kwargs["queryset"] = scoped

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._limit_choices(request, db_field, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._limit_choices(request, db_field, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class SelectorScopedAdminMixin(ScopedChoicesMixin):
    visible_to = None

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        selector = selector_of(self)
        if selector is None:
            return queryset
        # A subquery keeps the admin's own ordering, select_related and annotations.
        return queryset.filter(pk__in=selector(request.user).order_by().values("pk"))

    def get_object(self, request, object_id, from_field=None):
        """A row outside the user's queryset answers 404 on the change, delete and history
        pages, exactly like a row that does not exist (Django would redirect to the index)."""
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def get_list_filter(self, request):
        """Relation filters offer only the values present in the user's rows, so the sidebar
        never names rows of other scopes."""
        filters = super().get_list_filter(request)
        if selector_of(self) is None:
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
            elif isinstance(item, tuple | list) and item[1] is admin.RelatedFieldListFilter:
                item = (item[0], admin.RelatedOnlyFieldListFilter)
            scoped.append(item)
        return scoped
