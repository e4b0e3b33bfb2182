"""Import and export of achievements in the standard format (成果信息表), on the portal's safe
import base (``common.importexport``, host-scoped by ``contests.importing``).

Host staff import achievements for their units from .xlsx or .csv (UTF-8, with or without BOM,
or GBK) with the columns of :data:`.format.COLUMNS`; Torch Center staff may import for every
unit. Each row lists a new achievement of its holder, named by unified social credit code (the
organisation is found, or created from the row when the code is new) and recorded as imported
by the row's host unit — the importer's scope for its export. The import is all-or-nothing
and runs as an import job: a dry run that reports every row's errors by the spreadsheet's own
row number, then the confirmed import.

How it executes (as the demand import does, ``demands.importing.resources``): ``before_import``
reads the holders of every credit code in the file and the industry fields in a fixed number
of queries; each row is read and checked in memory (widgets, the library's patent-number
check, region and field codes, ``full_clean`` without per-row foreign-key queries) and no row
writes; ``after_import`` writes only when every row passed and it is not a dry run: the new
organisations, then the achievements through ``services.library.create_achievements`` (bulk
insert, one audit entry, one recommendation refresh after commit for the whole file).
"""

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.utils.encoding import force_str
from django.utils.translation import gettext
from import_export.fields import Field
from import_export.resources import Resource

from accounts.importing import OrganisationsByCreditCode
from common.importexport import registry
from common.regions import region_name
from contests.importing import HostScopedResource, HostUnitWidget
from contests.models import IndustryField
from contests.selectors import current_contest
from demands.importing.resources import IndustryFieldWidget

from ..models import Achievement
from ..permissions import can_import_achievements
from ..services.base import MatchingError
from ..services.library import check_patent_numbers, create_achievements
from .format import (
    COL_CREDIT_CODE,
    COLUMNS,
    OPTIONAL,
    ORGANISATION_KIND_WORDS,
    normalise_header,
)

RESOURCE_KEY = "matching.achievement"

# The model fields whose own rules full_clean checks on every row: those the file sets, except
# the foreign keys (found by the scoped lookups; Django's check would cost a query per key per
# row) and the lists the widgets build in shape.
CLEANED_FIELDS = ("title", "abstract", "trl", "region", "visibility")
NOT_CLEANED = tuple(field.name for field in Achievement._meta.fields
                    if field.name not in CLEANED_FIELDS)
# Errors on the holder's columns, by the key ``OrganisationsByCreditCode.resolve`` gives.
HOLDER_KEYS = {"credit_code": "import_credit_code", "name": "import_owner_name",
               "kind": "import_owner_kind", "region": "region"}


def _importable_host_units(resource):
    """The importer's units of the current edition (of any edition when there is none)."""
    contest = current_contest()
    units = resource.host_units.select_related("event")
    return units.filter(event__contest=contest) if contest else units


def _add(errors, key, message):
    errors.setdefault(key, []).append(ValidationError(message))


def _standard_format_fields():
    scoped = {
        "host_unit": lambda: HostUnitWidget(scope=_importable_host_units),
        "industry_field": IndustryFieldWidget,
    }
    return {
        column.name: Field(attribute=column.target, column_name=column.header,
                           widget=(column.widget or scoped[column.name])())
        for column in COLUMNS
    }


StandardFormatFields = type("AchievementFormatFields", (Resource,), _standard_format_fields())


@registry.register
class AchievementResource(HostScopedResource, StandardFormatFields):
    """Achievements in the standard format; see the module docstring."""

    host_unit_path = "host_unit"
    resource_key = RESOURCE_KEY
    optional_columns = OPTIONAL
    import_rule = can_import_achievements
    export_rule = can_import_achievements

    class Meta:
        model = Achievement
        fields = [column.name for column in COLUMNS]
        import_id_fields = []
        skip_diff = True
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True

    @classmethod
    def get_display_name(cls):
        return force_str(Achievement._meta.verbose_name_plural)

    def __init__(self, **kwargs):
        self._import_fields = None
        super().__init__(**kwargs)
        self._reset()

    def _reset(self):
        self._pending = []
        self._holders = OrganisationsByCreditCode()
        self._industry_fields = None
        self._in_transaction = False
        self._dry_run = True

    # --- export -------------------------------------------------------------------------------
    def get_queryset(self):
        return (super().get_queryset().select_related("host_unit", "owner", "industry_field")
                .order_by("host_unit_id", "listed_at", "pk"))

    def dehydrate_owner_name(self, achievement):
        return achievement.owner.name

    def dehydrate_credit_code(self, achievement):
        return achievement.owner.credit_code or ""

    def dehydrate_owner_kind(self, achievement):
        return ORGANISATION_KIND_WORDS.word(achievement.owner.kind)

    # --- the import: what the rows refer to, loaded once ---------------------------------------
    def industry_fields(self):
        """``{name or code: IndustryField}``, loaded once per import (for
        ``IndustryFieldWidget``)."""
        if self._industry_fields is None:
            self._industry_fields = {}
            for field in IndustryField.objects.all():
                self._industry_fields[field.code] = field
                self._industry_fields[field.name] = field
        return self._industry_fields

    def import_data(self, dataset, *args, **kwargs):
        self._reset()
        dataset.headers = [normalise_header(header) for header in dataset.headers or []]
        return super().import_data(dataset, *args, **kwargs)

    def get_import_fields(self):
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def _check_import_id_fields(self, headers):
        # Every row is a new achievement: there is no id column.
        return

    def get_instance(self, instance_loader, row):
        return None

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Field.save and Field.clean without their per-cell overhead (plain attributes only).
        if field.readonly or not field.attribute or field.column_name not in row:
            return
        setattr(instance, field.attribute, field.widget.clean(row[field.column_name], row=row))

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if COL_CREDIT_CODE in (dataset.headers or []):
            self._holders.load(force_str(value or "") for value in dataset[COL_CREDIT_CODE])
        self.industry_fields()

    # --- the import: each row, in memory --------------------------------------------------------
    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        self._check_holder(instance, errors)
        self._check_content(instance, errors)
        if errors:
            raise ValidationError(errors)

    def _check_holder(self, achievement, errors):
        if any(key in errors for key in ("import_credit_code", "import_owner_name",
                                         "import_owner_kind")):
            return
        owner, problems = self._holders.resolve(
            getattr(achievement, "import_credit_code", ""),
            name=getattr(achievement, "import_owner_name", ""),
            kind=getattr(achievement, "import_owner_kind", ""),
            region=achievement.region or "",
            new_name_message=gettext(
                "Give the name of the holder: this credit code is new to the portal."),
            new_kind_message=gettext("Give the kind of the new organisation. Allowed: "
                                     "%(allowed)s.")
            % {"allowed": ORGANISATION_KIND_WORDS.allowed_text()},
        )
        for key, messages in problems.items():
            target = HOLDER_KEYS.get(key, "import_credit_code")
            if target not in errors:
                for message in messages:
                    _add(errors, target, message)
        if owner is not None:
            achievement.owner = owner

    def _check_content(self, achievement, errors):
        """What the achievement form and the library check beyond the model: patent numbers in
        shape, a known region code, a title and an abstract."""
        if "patent_numbers" not in errors:
            try:
                achievement.patent_numbers = check_patent_numbers(
                    achievement.patent_numbers or [])
            except MatchingError as exc:
                _add(errors, "patent_numbers", exc.message)
        region = achievement.region or ""
        if "region" not in errors and len(region) == 6 and region.isdigit() and not region_name(
                region):
            _add(errors, "region", gettext("“%(code)s” is not a GB/T 2260 region code.")
                 % {"code": region})
        if "trl" not in errors and achievement.trl is None:
            _add(errors, "trl", gettext("Enter the maturity as a whole number from 1 to 9."))

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, *NOT_CLEANED], validate_unique=False,
                                validate_constraints=False)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Keep the row for ``after_import``, which writes all rows in bulk."""
        self.before_save_instance(instance, row, **kwargs)
        self._pending.append(instance)
        self.after_save_instance(instance, row, **kwargs)

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions,
                          collect_failed_rows, **kwargs):
        # Rows only read and check; the library's savepoint per row would buy nothing. The
        # whole import still runs in the transaction HostScopedResource.import_data opens and
        # rolls back on any error or a dry run.
        self._in_transaction = using_transactions
        self._dry_run = dry_run
        return super().import_data_inner(dataset, dry_run, raise_errors, False,
                                         collect_failed_rows, **kwargs)

    # --- the import: writing --------------------------------------------------------------------
    def after_import(self, dataset, result, **kwargs):
        # ModelResource.after_import resets the id sequence to max(id) (ids are never
        # imported here), so it is not called.
        if self._dry_run or result.has_errors() or result.has_validation_errors():
            return
        if not self._pending:
            return
        if not (self._in_transaction and transaction.get_connection().in_atomic_block):
            raise ImproperlyConfigured("AchievementResource writes only inside the import's "
                                       "transaction")
        try:
            with transaction.atomic():
                organisations = self._holders.save_new()
                for achievement in self._pending:
                    # the holder may be one created just now: take its new id
                    achievement.owner = achievement.owner
                create_achievements(
                    self._pending, actor=self.user,
                    host_units={achievement.host_unit for achievement in self._pending},
                    organisations_created=len(organisations))
        except IntegrityError:
            raise ValidationError(gettext(
                "Another change to the same organisations happened at the same time; nothing "
                "was saved. Please import the file again.")) from None
        except MatchingError as exc:
            raise ValidationError(exc.message) from None
