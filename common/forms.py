from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    """One renderer for every form: each field gets label, required mark, help text and errors
    from ``templates/django/forms/field.html``."""

    field_template_name = "django/forms/field.html"


def _out_of_range(queryset, key, values):
    """Whether any of ``values`` cannot be an integer key of ``queryset``'s model on its
    database. SQLite raises OverflowError for an integer beyond 64 bits in ``IN (...)``, where
    Django's range check covers only ``exact`` and comparisons; PostgreSQL compares a numeric
    and finds nothing. Both answer the same after this: the choice is invalid."""
    meta = queryset.model._meta
    field = meta.pk if key == "pk" else meta.get_field(key)
    if field.get_internal_type() not in connections[queryset.db].ops.integer_field_ranges:
        return False
    low, high = connections[queryset.db].ops.integer_field_range(field.get_internal_type())
    for value in values:
        try:
            number = int(str(value).strip())
        except (TypeError, ValueError):
            continue  # not a number: Django's own check says "invalid choice"
        if (low is not None and number < low) or (high is not None and number > high):
            return True
    return False


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with an id beyond the database's integer range refused as an invalid choice
    (a clear error next to the field) instead of reaching the database."""

    def to_python(self, value):
        if value not in self.empty_values and _out_of_range(
            self.queryset, self.to_field_name or "pk", [value]
        ):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with ids beyond the database's integer range refused as invalid choices."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        try:
            values = frozenset(value)
        except TypeError:
            return super()._check_values(value)
        for item in values:
            if _out_of_range(self.queryset, key, [item]):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return super()._check_values(value)
