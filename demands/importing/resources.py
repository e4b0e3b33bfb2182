"""Import and export of demands in the standard format (技术需求表), on the portal's safe
import base (``common.importexport``).

Host staff import their units' demands from .xlsx or .csv (UTF-8, with or without BOM, or
GBK) with the columns of :data:`.format.COLUMNS`; Torch Center staff may import for every
unit. The import is all-or-nothing and runs as an import job (dry run, then confirm). Each row
becomes a demand created and submitted by the demand services' bulk forms
(``services.create_demands``: the reference numbering and the recorded status change of the
single-demand path); a row with a 需求编号 updates
that demand, only if it is one of the importer's units' demands that host staff entered and
that is still a draft or returned for revision (the same rule as editing it on the organiser
pages), and submits it again.

How the import executes (DESIGN.md §6: close to a plain bulk insert):

- ``before_import`` loads, in a fixed number of queries whatever the number of rows, the
  existing demands the file names by 需求编号 (one query, one for their indicators), the
  organisations of every credit code in the file (one query per 900 codes), the industry
  fields (one query) and the current contest (one query); host units are looked up once per
  distinct cell value (within the importer's units of the current edition);
- every row is then read, validated (widgets, ``full_clean`` without the foreign-key
  existence queries, ``services.submission_problems``) and kept in memory: no query per row
  and no savepoint per row, since rows write nothing;
- ``after_import`` writes, only if every row passed and it is not a dry run: the new
  organisations, then, through ``services.create_demands`` and ``services.update_demands``,
  the new demands with references allocated per event in one block, the updated demands, the
  status changes and the indicators, each with ``bulk_create`` / ``bulk_update`` (a few
  statements per 500 rows), then one audit log entry.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext
from import_export.fields import Field
from import_export.resources import Resource

from accounts.importing import OrganisationsByCreditCode
from audit.services import log_action
from common.importexport import registry
from common.importexport.resources import ScopedForeignKeyWidget
from contests.importing import HostScopedResource, HostUnitWidget
from contests.models import IndustryField
from contests.selectors import current_contest

from .. import permissions, services
from ..enums import DemandStatus
from ..forms import landline_validator
from ..models import Demand
from .format import (
    COL_CREDIT_CODE,
    COL_REF,
    COLUMNS,
    IMPORT_COLUMNS,
    OPTIONAL,
    ORGANISATION_KIND_WORDS,
    normalise_header,
)
from .widgets import CreditCodeWidget, IndicatorsWidget

RESOURCE_KEY = "demands.demand"
# Values per IN (...) lookup: below SQLite's historical limit of 999 parameters.
LOOKUP_CHUNK = 900

# Mirrors ``permissions.has_reached_host``: a company's draft stays the company's until it is
# submitted, so it is neither exported to host staff nor updated by their files.
REACHED_HOST = Q(entered_by_host=True) | Q(submitted_at__isnull=False)

# Host staff may change by import what they may change on the organiser pages.
may_update_by_import = (
    permissions.is_host_staff_of_demand & permissions.was_entered_by_host & permissions.is_editable
)


# The model fields whose own rules (lengths, validators, choices, digits) full_clean checks on
# every row. The others are not read from the file (status, flags, times, search columns, the
# reference allocated when saving), are foreign keys found by the scoped lookups (Django's own

_DEMAND_FIELDS = {field.name: field for field in Demand._meta.fields}

# The model fields whose own rules (lengths, validators, choices, digits) full_clean checks on
# every row: those the file sets, except the reference (allocated when saving), the foreign
# keys found by the scoped lookups (Django's own check would cost one query per key per row)
# and the lists that the widgets build in shape. The others are not read from the file
# (status, flags, times, search columns).
CLEANED_FIELDS = tuple(
    column.target
    for column in IMPORT_COLUMNS
    if column.target in _DEMAND_FIELDS
    and column.name != "ref"
    and not _DEMAND_FIELDS[column.target].is_relation
    and not isinstance(_DEMAND_FIELDS[column.target], models.JSONField)
)
NOT_CLEANED = tuple(name for name in _DEMAND_FIELDS if name not in CLEANED_FIELDS)

# The organisation's fields that a refusal names (``OrganisationsByCreditCode.resolve``) → the
# row's columns.
ORGANISATION_KEYS = {
    "credit_code": "import_credit_code",
    "name": "import_organisation_name",
    "kind": "import_organisation_kind",
}

# ``services.submission_problems`` keys that are not model fields → the resource's attribute.
PROBLEM_KEYS = {"indicators": "import_indicators"}

# Model fields an import row may change on an existing demand.
CONTENT_ATTRIBUTES = tuple(
    column.target for column in IMPORT_COLUMNS if column.target in services.UPDATABLE_FIELDS
)


class IndustryFieldWidget(ScopedForeignKeyWidget):
    """所属领域: an industry field by its name (or code), from the list loaded once per
    import; a value outside it is an error listing the allowed names."""

    def __init__(self, **kwargs):
        super().__init__(
            IndustryField,
            field="name",
            scope=lambda resource: IndustryField.objects.all(),
            **kwargs,
        )

    def _lookup(self, value, row, **kwargs):
        fields = self.resource.industry_fields()
        found = fields.get(force_str(value).strip())
        if found is None:
            names = sorted({field.name for field in fields.values()})
            raise ValueError(
                gettext("“%(value)s” is not an allowed value. Allowed: %(allowed)s.")
                % {"value": value, "allowed": "、".join(names)}
            )
        return found


def _current_host_units(resource):
    contest = resource.contest
    units = resource.host_units.select_related("event")
    return units.filter(event__contest=contest) if contest else units.none()


def _chunks(values, size=LOOKUP_CHUNK):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _add(errors, key, message):
    errors.setdefault(key, []).append(ValidationError(message))


def _ref_ranges(demands):
    """``["6-07-0001 – 6-07-0250", …]``: the references of one import, contiguous per event."""
    by_event = defaultdict(list)
    for demand in demands:
        by_event[demand.host_unit.event_id].append(demand)
    ranges = []
    for rows in by_event.values():
        rows.sort(key=lambda demand: demand.sequence)
        ranges.append(rows[0].ref if len(rows) == 1 else f"{rows[0].ref} – {rows[-1].ref}")
    return ranges


def _standard_format_fields():
    """The resource's fields, one per column of the standard format (``format.COLUMNS``)."""
    scoped = {
        "host_unit": lambda: HostUnitWidget(scope=_current_host_units),
        "industry_field": IndustryFieldWidget,
    }
    return {
        column.name: Field(
            attribute=column.target,
            column_name=column.header,
            widget=(column.widget or scoped[column.name])(),
            readonly=column.export_only,
        )
        for column in COLUMNS
    }


# The fields as a base class, so that the resource declares them in the order of the format.
StandardFormatFields = type("StandardFormatFields", (Resource,), _standard_format_fields())


@registry.register
class DemandResource(HostScopedResource, StandardFormatFields):
    """Demands in the standard format; see the module docstring."""

    host_unit_path = "host_unit"
    resource_key = RESOURCE_KEY
    optional_columns = OPTIONAL

    class Meta:
        model = Demand
        fields = [column.name for column in COLUMNS]
        import_id_fields = ["ref"]
        # Rows are shown as new / changed only: a diff of 40 columns per row would cost more
        # than the import itself.
        skip_diff = True
        use_transactions = True
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True

    @classmethod
    def get_display_name(cls):
        return force_str(Demand._meta.verbose_name_plural)

    def __init__(self, **kwargs):
        self._import_fields = None
        self._contest = None
        self._contest_loaded = False
        super().__init__(**kwargs)
        self._reset()

    def _reset(self):
        self._pending = []
        self._existing = {}
        self._originals = {}
        self._seen_refs = set()
        self._holders = OrganisationsByCreditCode()
        self._industry_fields = None
        self._now = timezone.now()
        self._today = timezone.localdate()
        self._in_transaction = False
        self._dry_run = True

    @property
    def contest(self):
        if not self._contest_loaded:
            self._contest = current_contest()
            self._contest_loaded = True
        return self._contest

    # --- reading ------------------------------------------------------------------------------
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .filter(REACHED_HOST)
            .select_related("host_unit__event", "organisation", "industry_field")
            .prefetch_related("indicators")
            .order_by("host_unit__event__number", "sequence", "pk")
        )

    def filter_export(self, queryset, **kwargs):
        return super().filter_export(queryset, **kwargs).filter(REACHED_HOST)

    def dehydrate_organisation_name(self, demand):
        return demand.organisation.name

    def dehydrate_credit_code(self, demand):
        return demand.organisation.credit_code or ""

    def dehydrate_organisation_kind(self, demand):
        return ORGANISATION_KIND_WORDS.word(demand.organisation.kind)

    def dehydrate_indicators(self, demand):
        return IndicatorsWidget().render(list(demand.indicators.all()))

    # --- the import: loading what the rows refer to, once -------------------------------------
    def industry_fields(self):
        """``{name or code: IndustryField}``, loaded once per import."""
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
        # The library asks for them several times per row; they do not change.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Field.save and Field.clean without their per-cell overhead: every field here has a
        # plain attribute and no default.
        if field.readonly or not field.attribute or field.column_name not in row:
            return
        setattr(instance, field.attribute, field.widget.clean(row[field.column_name], row=row))

    def _check_import_id_fields(self, headers):
        # 需求编号 is optional: without the column every row is a new demand.
        return

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        headers = dataset.headers or []
        if COL_REF in headers:
            refs = {force_str(value).strip() for value in dataset[COL_REF] if value}
            for chunk in _chunks(refs):
                for demand in self.get_queryset().filter(ref__in=chunk):
                    self._existing[demand.ref] = demand
                    self._originals[demand.pk] = {
                        "status": demand.status,
                        "updated_at": demand.updated_at,
                        "event_id": demand.host_unit.event_id,
                        "organisation_id": demand.organisation_id,
                        "texts": {name: getattr(demand, name) for name in services.WORDING_FIELDS},
                        "indicators": list(demand.indicators.all()),
                    }
        if COL_CREDIT_CODE in headers:
            self._holders.load(
                CreditCodeWidget().clean(value) for value in dataset[COL_CREDIT_CODE]
            )
        self.industry_fields()

    def get_instance(self, instance_loader, row):
        """The demand a row's 需求编号 names, among those loaded in ``before_import`` (the
        importer's units' demands only); a number not among them is a row error."""
        ref = force_str(row.get(COL_REF) or "").strip()
        if not ref:
            return None
        if ref in self._seen_refs:
            raise ValidationError({"ref": gettext("This demand number appears twice in the file.")})
        self._seen_refs.add(ref)
        demand = self._existing.get(ref)
        if demand is None:
            raise ValidationError({"ref": self.unknown_id_message})
        return demand

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if instance.pk is None:
            instance.created_by = self.user
            instance.entered_by_host = True
            instance.status = DemandStatus.SUBMITTED
        else:
            self._check_update(instance, errors)
        organisation = self._organisation_for(instance, errors)
        if organisation is not None:
            if instance.pk is None:
                instance.organisation = organisation
            elif organisation.pk != self._originals[instance.pk]["organisation_id"]:
                _add(
                    errors,
                    "import_credit_code",
                    gettext(
                        "This demand belongs to another organisation; the credit code of an "
                        "existing demand cannot change."
                    ),
                )
            if not instance.region and organisation.region and "region" not in errors:
                instance.region = organisation.region
        self._check_content(instance, errors)
        if errors:
            raise ValidationError(errors)

    def _check_update(self, demand, errors):
        original = self._originals[demand.pk]
        if not may_update_by_import.test(self.user, demand):
            _add(
                errors,
                "ref",
                gettext(
                    "Demand %(ref)s is “%(status)s”: only drafts and demands returned for "
                    "revision that host staff entered can be changed by import."
                )
                % {"ref": demand.ref, "status": DemandStatus(original["status"]).label},
            )
        unit = demand.host_unit if demand.host_unit_id else None
        if unit is not None and unit.event_id != original["event_id"]:
            _add(
                errors,
                "host_unit",
                gettext("The host unit can be changed only within the same event."),
            )

    def _organisation_for(self, demand, errors):
        """The organisation a row's credit code names: an existing one, or a new one built
        from the row (created when the import is saved), through the accounts helper every
        import naming organisations shares."""
        if "import_credit_code" in errors:
            return None
        organisation, problems = self._holders.resolve(
            getattr(demand, "import_credit_code", "") or "",
            name=getattr(demand, "import_organisation_name", "") or "",
            kind=getattr(demand, "import_organisation_kind", "") or "",
            region=demand.region or "",
            address=demand.address or "",
            missing_code_message=gettext(
                "Enter the unified social credit code of the demand side."),
            new_name_message=gettext(
                "Give the name of the demand side: this credit code is new to the portal."),
            new_kind_message=gettext("Give the kind of the new organisation. Allowed: %(allowed)s.")
            % {"allowed": ORGANISATION_KIND_WORDS.allowed_text()},
        )
        for key, messages in problems.items():
            target = ORGANISATION_KEYS.get(key, key)
            if target not in errors:
                for message in messages:
                    _add(errors, target, message)
        return organisation

    def _check_content(self, demand, errors):
        """What the demand form checks beyond the model: a deadline still ahead, a landline
        in shape, hidden passages that occur in the text, and everything submitting needs."""
        deadline = demand.solution_deadline
        if isinstance(deadline, datetime.date) and "solution_deadline" not in errors:
            if deadline < self._today:
                _add(errors, "solution_deadline", gettext("The deadline has already passed."))
        if demand.contact_landline and "contact_landline" not in errors:
            try:
                landline_validator(demand.contact_landline)
            except ValidationError as exc:
                _add(errors, "contact_landline", exc.messages[0])
        if "hidden_passages" not in errors:
            missing = services.passages_missing(
                demand.hidden_passages or [],
                [getattr(demand, name) for name in services.FREE_TEXT_FIELDS],
            )
            if missing:
                _add(
                    errors,
                    "hidden_passages",
                    gettext(
                        "Each hidden passage must occur exactly in the text; not found: %(list)s"
                    )
                    % {"list": "；".join(missing)},
                )
        indicators = getattr(demand, "import_indicators", None) or []
        for field, message in services.submission_problems(demand, indicators=indicators):
            key = PROBLEM_KEYS.get(field, field)
            if key not in errors and field != "hidden_passages":
                _add(errors, key, message)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        # The model's own rules hold (full_clean), without the per-row queries of foreign-key
        # and uniqueness checks: keys come from the scoped lookups, references are allocated
        # when saving.
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=[*errors, *NOT_CLEANED], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        """Keep the row for ``after_import``, which writes all rows in bulk."""
        self.before_save_instance(instance, row, **kwargs)
        self._pending.append((instance, is_create))
        self.after_save_instance(instance, row, **kwargs)

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        # Rows only read and validate (every write happens in after_import, inside its own
        # savepoint), so the library's savepoint per row would buy nothing and cost two
        # statements per row. The whole import still runs in the transaction that
        # HostScopedResource.import_data opens and rolls back on any error or a dry run.
        self._in_transaction = using_transactions
        self._dry_run = dry_run
        return super().import_data_inner(
            dataset, dry_run, raise_errors, False, collect_failed_rows, **kwargs
        )

    # --- the import: writing ------------------------------------------------------------------
    def after_import(self, dataset, result, **kwargs):
        # ModelResource.after_import resets the table's id sequence to max(id), which could
        # move it back under ids that concurrent transactions have taken; ids are never
        # imported here, so it is not called.
        if self._dry_run or result.has_errors() or result.has_validation_errors():
            return
        if not self._pending:
            return
        if not (self._in_transaction and transaction.get_connection().in_atomic_block):
            raise ImproperlyConfigured("DemandResource writes only inside the import's transaction")
        try:
            with transaction.atomic():
                self._write()
        except IntegrityError:
            raise ValidationError(
                gettext(
                    "Another change to the same demands or organisations happened at the same "
                    "time; nothing was saved. Please import the file again."
                )
            ) from None

    def _write(self):
        created = [demand for demand, is_create in self._pending if is_create]
        updated = [demand for demand, is_create in self._pending if not is_create]
        organisations = self._holders.save_new(batch_size=services.WRITE_BATCH)
        comment = gettext("Imported in the standard format.")
        try:
            services.create_demands(
                created,
                actor=self.user,
                indicators=[demand.import_indicators for demand in created],
                submit=True,
                comment=comment,
            )
            services.update_demands(
                updated,
                actor=self.user,
                opened=self._originals,
                fields=CONTENT_ATTRIBUTES,
                indicators=[demand.import_indicators for demand in updated],
                submit=True,
                comment=comment,
            )
        except services.DemandError as exc:
            raise ValidationError(exc.message) from None
        log_action(
            "portal.demand.import",
            actor=self.user,
            to_state=DemandStatus.SUBMITTED,
            data={
                "created": len(created),
                "created_refs": _ref_ranges(created),
                "updated_refs": [demand.ref for demand in updated],
                "organisations_created": len(organisations),
            },
        )
