"""The base of every import and export in the portal.

django-import-export, left alone, looks rows up across the whole table (one user's file could
change rows that are not theirs), exports formulas as they are and commits the rows that passed.
``ScopedResource`` fixes all three:

- it is built for one user; its queryset, its instance lookups and its foreign-key lookups
  (``ScopedForeignKeyWidget``) stay inside that user's scope — the objects of a scope model the
  user may work on, which the subclass names — and a row whose id or scope object points
  elsewhere is a row error, never a new object and never an update elsewhere;
- it runs in one transaction, collects every row's errors and rolls back everything if any
  row fails (``import_data`` always rolls back on validation errors);
- exports neutralise cells that a spreadsheet would run as a formula (``SafeExportMixin``).

The kernel knows no scope model: an app fills the hooks in a subclass of its own (the host
units of ``contests.importing.HostScopedResource``, on which the contest data is imported).
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ImproperlyConfigured,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.db.models import Q
from django.utils import translation
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from import_export.resources import ModelResource
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget
from rules import always_deny

# --- export: formula neutralisation -----------------------------------------------------------
# A spreadsheet runs a cell starting with one of these as a formula (=, +, -, @) or strips the
# leading character and then does (tab, CR); NUL hides the rest from some readers.
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")
_PLAIN_NUMBER = re.compile(r"-?\d[\d,]*(\.\d+)?(E[+-]?\d+)?", re.IGNORECASE)


def neutralise(value):
    """Prefix a text cell that a spreadsheet would evaluate with a single quote."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _is_number(value):
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


class SafeExportMixin:
    """Neutralises every exported text cell beginning with =, +, -, @, tab, CR or NUL.

    A value that is a number in the database (int, float, Decimal) stays a number even when it
    is negative: in XLSX it is written as a numeric cell, in CSV as ``-5``. A text ``"-2+3"``
    is neutralised. (The library's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips ``=``.)
    """

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if _is_number(value):
            return value
        if isinstance(value, str) and value.startswith("-") and _PLAIN_NUMBER.fullmatch(value):
            raw = field.get_value(instance) if field.attribute else None
            if _is_number(raw):
                return value
        return neutralise(value)


# --- scope ------------------------------------------------------------------------------------
class ScopedForeignKeyWidget(ForeignKeyWidget):
    """A foreign key looked up by a natural key (``field``) inside a scope.

    ``scope`` is a callable taking the resource and returning the queryset of allowed related
    objects, e.g. ``lambda resource: Expert.objects.filter(host_unit__in=resource.scope)``.
    A value outside the scope gets the same error as a value that does not exist (so a file
    cannot probe other users' data). Lookups are cached for the life of the resource (one
    import), keyed by the cell value.
    """

    not_found_message = _("No %(model)s “%(value)s” among those of your host units.")
    ambiguous_message = _("“%(value)s” matches more than one %(model)s.")

    def __init__(self, model, field="pk", *, scope, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.scope = scope
        self.resource = None
        self._cache = {}

    def bind(self, resource):
        self.resource = resource
        self._cache = {}

    def get_queryset(self, value, row, *args, **kwargs):
        if self.resource is None:
            raise ImproperlyConfigured(
                "ScopedForeignKeyWidget must be used in a ScopedResource"
            )
        return self.scope(self.resource)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            return None
        key = force_str(value)
        if key not in self._cache:
            self._cache[key] = self._lookup(value, row, **kwargs)
        obj = self._cache[key]
        return obj.pk if self.key_is_id else obj

    def _lookup(self, value, row, **kwargs):
        params = {"model": self.model._meta.verbose_name, "value": value}
        try:
            return self.get_instance_by_lookup_fields(value, row, **kwargs)
        except MultipleObjectsReturned:
            raise ValueError(self.ambiguous_message % params) from None
        except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
            # a malformed key (text in an integer column) is just not found
            raise ValueError(self.not_found_message % params) from None


class ScopedManyToManyWidget(ManyToManyWidget):
    """A many-to-many column (values joined by ``separator``, default ",", also "，" and "、")
    looked up by ``field`` inside ``scope`` (a callable taking the resource). Every value must
    be found there, else the row gets an error naming the missing ones (the library would drop
    them silently)."""

    not_found_message = _("Not found among yours: %(values)s.")
    SEPARATORS = ("，", "、")

    def __init__(self, model, separator=None, field=None, *, scope, **kwargs):
        super().__init__(model, separator=separator, field=field, **kwargs)
        self.scope = scope
        self.resource = None

    def bind(self, resource):
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        if self.resource is None:
            raise ImproperlyConfigured(
                "ScopedManyToManyWidget must be used in a ScopedResource"
            )
        if value is None or value == "":
            return self.model.objects.none()
        text = force_str(value)
        for separator in self.SEPARATORS:
            text = text.replace(separator, self.separator)
        wanted = list(dict.fromkeys(item.strip() for item in text.split(self.separator)
                                    if item.strip()))
        try:
            found = self.scope(self.resource).filter(**{f"{self.field}__in": wanted})
            found_keys = {force_str(key) for key in found.values_list(self.field, flat=True)}
        except (ValueError, TypeError, ValidationError):
            found, found_keys = self.model.objects.none(), set()
        missing = [item for item in wanted if item not in found_keys]
        if missing:
            raise ValueError(self.not_found_message % {"values": "、".join(missing)})
        return found


# --- the resource -----------------------------------------------------------------------------
class ScopedResource(SafeExportMixin, ModelResource):
    """A model resource limited to the scope of one user.

    Build it with ``Resource(user=request.user)`` (without a user it sees and may import
    nothing); ``within`` (a queryset of scope objects) may be passed to narrow the scope further,
    never to widen it; ``progress`` is a callable given the number of rows processed so far.
    A subclass fills the hooks:

    - ``scope_of(user)``: the queryset of scope objects the user may work on (none for None);
    - ``scope_path``: ORM path from the model to its scope object (``"pk"`` for the scope model
      itself);
    - ``import_rule`` / ``export_rule``: django-rules predicates on the user, installed as the
      permissions ``<app>.import_<model>`` / ``<app>.export_<model>`` by ``registry.register``
      (nobody, until a subclass says who);
    - ``out_of_scope_message``, ``missing_scope_message``, ``unknown_id_message``: the row
      errors for a scope object elsewhere, for none, and for an id not among the scope's rows;
    - ``resource_key``: the key jobs store (default ``"<app_label>.<model_name>"``);
    - ``optional_columns``: columns a file may leave out (default: the import id columns).

    Column names may be translatable: a file with the headers of any language in
    ``settings.LANGUAGES`` is accepted.

    Subclasses that override ``import_instance``, ``after_import_row``, ``get_queryset`` or
    ``before_save_instance`` must call ``super()``.
    """

    scope_path = None
    import_rule = always_deny
    export_rule = always_deny
    resource_key = None
    optional_columns = None

    out_of_scope_message = None
    missing_scope_message = None
    unknown_id_message = None

    class Meta:
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True

    def __init__(self, *, user=None, within=None, progress=None, **kwargs):
        super().__init__(**kwargs)
        if self._meta.use_bulk or self._meta.force_init_instance:
            raise ImproperlyConfigured(
                f"{type(self).__name__}: use_bulk and force_init_instance bypass the scope"
            )
        if not self.scope_path or None in (self.out_of_scope_message,
                                           self.missing_scope_message, self.unknown_id_message):
            raise ImproperlyConfigured(
                f"{type(self).__name__}: name the scope path and the three scope messages"
            )
        # Without a user the scope is empty: the library builds resources without arguments
        # just to read their fields (the admin's export form does).
        self.user = user
        scope = self.scope_of(user)
        if within is not None:
            scope = scope.filter(pk__in=within.values("pk"))
        self.scope = scope
        self.scope_ids = frozenset(scope.values_list("pk", flat=True))
        self.progress = progress
        for field in self.fields.values():
            if isinstance(field.widget, ScopedForeignKeyWidget | ScopedManyToManyWidget):
                field.widget.bind(self)
            elif isinstance(field.widget, ManyToManyWidget) and not field.readonly:
                raise ImproperlyConfigured(
                    f"{type(self).__name__}.{field.column_name}: use ScopedManyToManyWidget"
                )

    def scope_of(self, user):
        """The queryset of scope objects ``user`` may work on; the subclass says which."""
        raise NotImplementedError(f"{type(self).__name__} must define scope_of(user)")

    @classmethod
    def get_resource_key(cls):
        if cls.resource_key:
            return cls.resource_key
        opts = cls._meta.model._meta
        return f"{opts.app_label}.{opts.model_name}"

    @classmethod
    def get_display_name(cls):
        return force_str(cls._meta.model._meta.verbose_name_plural)

    # --- scope ------------------------------------------------------------------------------
    def scope_filter(self):
        return Q(**{f"{self.scope_path}__in": self.scope_ids})

    def get_queryset(self):
        return self._meta.model._default_manager.filter(self.scope_filter())

    def filter_export(self, queryset, **kwargs):
        # The admin hands over its changelist queryset; never export beyond the scope.
        return queryset.filter(self.scope_filter())

    def scope_id_of(self, instance):
        """The id of the scope object ``instance`` belongs to (following ``scope_path``)."""
        parts = self.scope_path.split("__")
        obj = instance
        for part in parts[:-1]:
            try:
                obj = getattr(obj, part)
            except ObjectDoesNotExist:
                return None
            if obj is None:
                return None
        last = parts[-1]
        if last == "pk":
            return obj.pk
        return getattr(obj, obj._meta.get_field(last).attname)

    def _scope_error_key(self):
        first = self.scope_path.split("__")[0]
        if first == "pk":
            return NON_FIELD_ERRORS
        for field in self.get_import_fields():
            if field.attribute in (first, f"{first}_id"):
                return field.attribute
        return NON_FIELD_ERRORS

    def check_in_scope(self, instance):
        scope_id = self.scope_id_of(instance)
        if scope_id is None:
            raise ValidationError({self._scope_error_key(): self.missing_scope_message})
        if scope_id not in self.scope_ids:
            raise ValidationError({self._scope_error_key(): self.out_of_scope_message})

    def _id_fields_are_primary_key(self):
        pk_names = {"id", "pk", self._meta.model._meta.pk.name, self._meta.model._meta.pk.attname}
        return any(self.fields[name].attribute in pk_names for name in self.get_import_id_fields())

    def get_instance(self, instance_loader, row):
        """The existing object the row updates, looked up inside the scope only.

        An id that is not among the scope's objects is a row error: it may belong to another
        user's scope (the library would then insert a copy or fail with an IntegrityError)."""
        id_fields = [self.fields[name] for name in self.get_import_id_fields()]
        if any(field.column_name not in row for field in id_fields):
            return None
        values = {}
        for field in id_fields:
            try:
                values[field.attribute] = field.clean(row)
            except (ValueError, TypeError, ArithmeticError) as exc:
                message = exc if isinstance(field.widget, ScopedForeignKeyWidget) else (
                    self.unknown_id_message
                )
                raise ValidationError({field.attribute: force_str(message)}) from None
        if all(value is None or value == "" for value in values.values()):
            return None
        try:
            instance = self.get_queryset().get(**values)
        except self._meta.model.DoesNotExist:
            instance = None
        except MultipleObjectsReturned:
            raise ValidationError(
                {id_fields[0].attribute: _("More than one record matches this row.")}
            ) from None
        if instance is None and self._id_fields_are_primary_key():
            raise ValidationError({id_fields[0].attribute: self.unknown_id_message})
        return instance

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        # The library sets many-to-many values only after saving, where an error would be a
        # crash of the row; check them here so they are row errors with their column.
        for field in self.get_import_fields():
            if (isinstance(field.widget, ScopedManyToManyWidget) and not field.readonly
                    and field.column_name in row):
                try:
                    field.clean(row)
                except ValueError as exc:
                    errors[field.attribute] = [force_str(exc)]
        if self._scope_error_key() not in errors:
            try:
                self.check_in_scope(instance)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # Always full_clean(): a model's own rules hold for imported rows too.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=list(errors), validate_unique=validate_unique)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def before_save_instance(self, instance, row, **kwargs):
        # Last guard before the database, should a subclass skip import_instance.
        self.check_in_scope(instance)
        super().before_save_instance(instance, row, **kwargs)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        if self.progress is not None:
            self.progress(kwargs.get("row_number", 0))

    # --- the whole import -------------------------------------------------------------------
    def get_use_transactions(self):
        return True

    def normalise_headers(self, dataset):
        """Rename headers given in any configured language to the current language's."""
        aliases = {}
        for field in self.get_import_fields():
            current = force_str(field.column_name)
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    aliases.setdefault(force_str(field.column_name), current)
        dataset.headers = [aliases.get(header, header) for header in dataset.headers]

    def missing_columns(self, headers):
        optional = {force_str(column) for column in self.optional_columns or ()}
        optional |= {
            force_str(self.fields[name].column_name) for name in self.get_import_id_fields()
        }
        return [
            force_str(field.column_name) for field in self.get_import_fields()
            if not field.readonly and field.attribute
            and force_str(field.column_name) not in headers
            and force_str(field.column_name) not in optional
        ]

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None,
                    collect_failed_rows=True, rollback_on_validation_errors=True, **kwargs):
        """Import every row of ``dataset`` in one transaction; if any row fails (or
        ``dry_run``), everything is rolled back. Errors are collected, never raised: read them
        with ``row_errors(result, dataset)``."""
        self.normalise_headers(dataset)
        file_errors = []
        headers = list(dataset.headers or [])
        if len(set(headers)) != len(headers):
            file_errors.append(_("A column appears twice (in two languages?)."))
        missing = self.missing_columns(headers)
        if missing:
            file_errors.append(
                _("The file lacks the columns: %(columns)s.") % {"columns": "、".join(missing)}
            )
        if file_errors:
            result = self.get_result_class()()
            result.total_rows = len(dataset)
            for message in file_errors:
                result.append_base_error(self.get_error_result_class()(ValidationError(message)))
            return result
        return super().import_data(
            dataset, dry_run=dry_run, raise_errors=False, use_transactions=True,
            collect_failed_rows=collect_failed_rows, rollback_on_validation_errors=True,
            **kwargs,
        )

    # --- errors for people ------------------------------------------------------------------
    def column_for(self, key):
        """The column name (current language) for an error key (field attribute or model
        field name); "" for errors about the whole row."""
        if key == NON_FIELD_ERRORS:
            return ""
        for field in self.fields.values():
            if field.attribute in (key, f"{key}_id") or field.attribute == key.removesuffix("_id"):
                return force_str(field.column_name)
        try:
            return force_str(self._meta.model._meta.get_field(key).verbose_name)
        except Exception:  # FieldDoesNotExist and lookups through relations: show the key
            return key

    def row_errors(self, result, dataset=None):
        """Every error of ``result`` as ``{"row", "column", "message"}``, sorted by row.

        ``row`` is the line in the spreadsheet (the header is line 1), taken from
        ``dataset.line_numbers`` when ``read_dataset`` made the dataset (blank lines skipped);
        None for errors about the whole file."""
        line_numbers = getattr(dataset, "line_numbers", None)

        def line(number):
            if line_numbers and 0 < number <= len(line_numbers):
                return line_numbers[number - 1]
            return number + 1

        errors = []
        for error in result.base_errors:
            exc = error.error
            message = (" ".join(exc.messages) if isinstance(exc, ValidationError)
                       else force_str(_("The import failed before reading the rows.")))
            errors.append({"row": None, "column": "", "message": message})
        for invalid in result.invalid_rows:
            for key, messages in invalid.error_dict.items():
                column = self.column_for(key)
                for message in messages:
                    errors.append({"row": line(invalid.number), "column": column,
                                   "message": force_str(message)})
        for error_row in result.error_rows:
            # unexpected exceptions (database errors): no internals for the user
            errors.append({"row": line(error_row.number), "column": "",
                           "message": force_str(_("This row could not be saved."))})
        errors.sort(key=lambda item: (item["row"] is not None, item["row"] or 0))
        return errors
