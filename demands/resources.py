"""Import and export of demands in the standard format (技术需求表), on the portal's safe
import base (``common.importexport``).

Host staff import their units' demands from .xlsx or .csv (UTF-8, with or without BOM, or
GBK) with the Chinese headers of :mod:`demands.import_format`; Torch Center staff may import
for every unit. The import is all-or-nothing and runs as an import job (dry run, then
confirm). Each row becomes a demand in the status "submitted", numbered by the demand
services' reference allocator, with a recorded status change; a row with a 需求编号 updates
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
- ``after_import`` writes, only if every row passed and it is not a dry run: new
  organisations, then the new demands with references allocated per event in one block, the
  updated demands, the status changes and the indicators, each with ``bulk_create`` /
  ``bulk_update`` (a few statements per 500 rows), then one audit log entry.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import RegexValidator
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field
from import_export.widgets import Widget

from accounts.credit_code import validate_credit_code
from accounts.models import Organisation
from audit.services import log_action
from common.importexport import registry
from common.importexport.resources import HostScopedResource, HostUnitWidget, ScopedForeignKeyWidget
from contests.models import IndustryField
from contests.selectors import current_contest

from . import permissions, services
from .enums import DemandStatus
from .import_format import (
    COL_ADDRESS,
    COL_BUDGET,
    COL_CHALLENGER_CONDITIONS,
    COL_CONSENT,
    COL_CONTACT_PERSON,
    COL_COOPERATION_MODES,
    COL_CREATED_AT,
    COL_CREDIT_CODE,
    COL_CURRENT_BASE,
    COL_DEADLINE,
    COL_DEMAND_TYPE,
    COL_EMAIL,
    COL_EXPECTED_OUTCOME,
    COL_HIDDEN_FIELDS,
    COL_HIDDEN_PASSAGES,
    COL_HOST_UNIT,
    COL_INDICATORS,
    COL_INDUSTRY_FIELD,
    COL_IP_OWNERSHIP,
    COL_KEY_PROBLEM,
    COL_KEYWORDS,
    COL_LANDLINE,
    COL_MOBILE,
    COL_NATIONAL,
    COL_ORGANISATION,
    COL_ORGANISATION_KIND,
    COL_OUTCOME_FORMS,
    COL_PRIZE,
    COL_PUBLISHED_AT,
    COL_REF,
    COL_REGION,
    COL_STATUS,
    COL_SUBMITTED_AT,
    COL_TIME_REQUIREMENT,
    COL_TITLE,
    COOPERATION_WORDS,
    DEMAND_TYPE_WORDS,
    HIDDEN_WORDS,
    IP_WORDS,
    ORGANISATION_KIND_WORDS,
    OUTCOME_WORDS,
    STATUS_WORDS,
    AmountWidget,
    ChoiceWidget,
    CreditCodeWidget,
    DateWidget,
    DigitsWidget,
    IndicatorsWidget,
    KeywordsWidget,
    LinesWidget,
    MobileWidget,
    MultiChoiceWidget,
    TextWidget,
    normalise_header,
)
from .models import Demand, DemandTransition, Indicator

RESOURCE_KEY = "demands.demand"
WRITE_BATCH = 500
# Values per IN (...) lookup: below SQLite's historical limit of 999 parameters.
LOOKUP_CHUNK = 900
_REF_ATTEMPTS = 5

# Mirrors ``permissions.has_reached_host``: a company's draft stays the company's until it is
# submitted, so it is neither exported to host staff nor updated by their files.
REACHED_HOST = Q(entered_by_host=True) | Q(submitted_at__isnull=False)

# Host staff may change by import what they may change on the organiser pages.
may_update_by_import = (
    permissions.is_host_staff_of_demand & permissions.was_entered_by_host & permissions.is_editable
)

landline_validator = RegexValidator(
    r"^[0-9()（）\-－ +转]{7,30}$",
    _("Enter a landline number such as 029-88881234 (an extension after 转 or -)."),
)

# The model fields whose own rules (lengths, validators, choices, digits) full_clean checks on
# every row. The others are not read from the file (status, flags, times, search columns, the
# reference allocated when saving), are foreign keys found by the scoped lookups (Django's own
# check would cost one query per key per row), or lists that the widgets build in shape.
CLEANED_FIELDS = (
    "title",
    "region",
    "demand_type",
    "ip_ownership",
    "current_base",
    "key_problem",
    "expected_outcome",
    "time_requirement",
    "challenger_conditions",
    "budget",
    "prize",
    "solution_deadline",
    "address",
    "contact_person",
    "contact_mobile",
    "contact_landline",
    "contact_email",
)
NOT_CLEANED = tuple(field.name for field in Demand._meta.fields if field.name not in CLEANED_FIELDS)

# ``services.submission_problems`` keys that are not model fields → the resource's attribute.
PROBLEM_KEYS = {"indicators": "import_indicators"}

# Model fields an import row may change on an existing demand.
CONTENT_ATTRIBUTES = (
    "title",
    "host_unit",
    "region",
    "industry_field",
    "demand_type",
    "keywords",
    "current_base",
    "key_problem",
    "expected_outcome",
    "outcome_forms",
    "time_requirement",
    "cooperation_modes",
    "ip_ownership",
    "challenger_conditions",
    "budget",
    "prize",
    "solution_deadline",
    "contact_person",
    "contact_mobile",
    "contact_landline",
    "contact_email",
    "hidden_fields",
    "address",
    "hidden_passages",
)
UPDATE_FIELDS = (*CONTENT_ATTRIBUTES, "status", "submitted_at", "updated_at", "public_wording")


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


class LocalDateTimeWidget(Widget):
    """Export only: a time in Asia/Shanghai (XLSX cannot hold time zones)."""

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        local = timezone.localtime(value)
        if kwargs.get("force_native_type"):
            return local.replace(tzinfo=None)
        return local.strftime("%Y-%m-%d %H:%M")


class YesNoWidget(Widget):
    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


def _current_host_units(resource):
    contest = resource.contest
    units = resource.host_units.select_related("event")
    return units.filter(event__contest=contest) if contest else units.none()


def next_sequence(event_id):
    """The next free sequence number of an event's demands: the demand services' rule (one
    more than the highest in the event), which ``services.create_demand`` applies to one
    demand and the import to a block."""
    top = Demand.objects.filter(host_unit__event_id=event_id).aggregate(top=Max("sequence"))
    return (top["top"] or 0) + 1


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


@registry.register
class DemandResource(HostScopedResource):
    """Demands in the standard format; see the module docstring."""

    ref = Field(attribute="ref", column_name=COL_REF, widget=TextWidget())
    title = Field(attribute="title", column_name=COL_TITLE, widget=TextWidget())
    host_unit = Field(
        attribute="host_unit",
        column_name=COL_HOST_UNIT,
        widget=HostUnitWidget(scope=_current_host_units),
    )
    organisation_name = Field(
        attribute="import_organisation_name", column_name=COL_ORGANISATION, widget=TextWidget()
    )
    credit_code = Field(
        attribute="import_credit_code", column_name=COL_CREDIT_CODE, widget=CreditCodeWidget()
    )
    organisation_kind = Field(
        attribute="import_organisation_kind",
        column_name=COL_ORGANISATION_KIND,
        widget=ChoiceWidget(ORGANISATION_KIND_WORDS),
    )
    region = Field(attribute="region", column_name=COL_REGION, widget=DigitsWidget())
    industry_field = Field(
        attribute="industry_field", column_name=COL_INDUSTRY_FIELD, widget=IndustryFieldWidget()
    )
    demand_type = Field(
        attribute="demand_type", column_name=COL_DEMAND_TYPE, widget=ChoiceWidget(DEMAND_TYPE_WORDS)
    )
    keywords = Field(attribute="keywords", column_name=COL_KEYWORDS, widget=KeywordsWidget())
    current_base = Field(
        attribute="current_base", column_name=COL_CURRENT_BASE, widget=TextWidget()
    )
    key_problem = Field(attribute="key_problem", column_name=COL_KEY_PROBLEM, widget=TextWidget())
    indicators = Field(
        attribute="import_indicators", column_name=COL_INDICATORS, widget=IndicatorsWidget()
    )
    expected_outcome = Field(
        attribute="expected_outcome", column_name=COL_EXPECTED_OUTCOME, widget=TextWidget()
    )
    outcome_forms = Field(
        attribute="outcome_forms",
        column_name=COL_OUTCOME_FORMS,
        widget=MultiChoiceWidget(OUTCOME_WORDS),
    )
    time_requirement = Field(
        attribute="time_requirement", column_name=COL_TIME_REQUIREMENT, widget=TextWidget()
    )
    cooperation_modes = Field(
        attribute="cooperation_modes",
        column_name=COL_COOPERATION_MODES,
        widget=MultiChoiceWidget(COOPERATION_WORDS),
    )
    ip_ownership = Field(
        attribute="ip_ownership",
        column_name=COL_IP_OWNERSHIP,
        widget=ChoiceWidget(IP_WORDS, default="negotiable"),
    )
    challenger_conditions = Field(
        attribute="challenger_conditions",
        column_name=COL_CHALLENGER_CONDITIONS,
        widget=TextWidget(),
    )
    budget = Field(attribute="budget", column_name=COL_BUDGET, widget=AmountWidget())
    prize = Field(attribute="prize", column_name=COL_PRIZE, widget=AmountWidget())
    solution_deadline = Field(
        attribute="solution_deadline", column_name=COL_DEADLINE, widget=DateWidget()
    )
    contact_person = Field(
        attribute="contact_person", column_name=COL_CONTACT_PERSON, widget=TextWidget()
    )
    contact_mobile = Field(
        attribute="contact_mobile", column_name=COL_MOBILE, widget=MobileWidget()
    )
    contact_landline = Field(
        attribute="contact_landline", column_name=COL_LANDLINE, widget=TextWidget()
    )
    contact_email = Field(attribute="contact_email", column_name=COL_EMAIL, widget=TextWidget())
    hidden_fields = Field(
        attribute="hidden_fields",
        column_name=COL_HIDDEN_FIELDS,
        widget=MultiChoiceWidget(HIDDEN_WORDS),
    )
    address = Field(attribute="address", column_name=COL_ADDRESS, widget=TextWidget())
    hidden_passages = Field(
        attribute="hidden_passages", column_name=COL_HIDDEN_PASSAGES, widget=LinesWidget()
    )
    # export only
    status = Field(
        attribute="status", column_name=COL_STATUS, widget=ChoiceWidget(STATUS_WORDS), readonly=True
    )
    national = Field(
        attribute="national", column_name=COL_NATIONAL, widget=YesNoWidget(), readonly=True
    )
    contact_consents_sharing = Field(
        attribute="contact_consents_sharing",
        column_name=COL_CONSENT,
        widget=YesNoWidget(),
        readonly=True,
    )
    submitted_at = Field(
        attribute="submitted_at",
        column_name=COL_SUBMITTED_AT,
        widget=LocalDateTimeWidget(),
        readonly=True,
    )
    published_at = Field(
        attribute="published_at",
        column_name=COL_PUBLISHED_AT,
        widget=LocalDateTimeWidget(),
        readonly=True,
    )
    created_at = Field(
        attribute="created_at",
        column_name=COL_CREATED_AT,
        widget=LocalDateTimeWidget(),
        readonly=True,
    )

    host_unit_path = "host_unit"
    resource_key = RESOURCE_KEY
    optional_columns = [
        COL_CURRENT_BASE,
        COL_TIME_REQUIREMENT,
        COL_IP_OWNERSHIP,
        COL_CHALLENGER_CONDITIONS,
        COL_BUDGET,
        COL_PRIZE,
        COL_DEADLINE,
        COL_LANDLINE,
        COL_HIDDEN_FIELDS,
        COL_ADDRESS,
        COL_HIDDEN_PASSAGES,
    ]

    class Meta:
        model = Demand
        fields = [
            "ref",
            "title",
            "host_unit",
            "organisation_name",
            "credit_code",
            "organisation_kind",
            "region",
            "industry_field",
            "demand_type",
            "keywords",
            "current_base",
            "key_problem",
            "indicators",
            "expected_outcome",
            "outcome_forms",
            "time_requirement",
            "cooperation_modes",
            "ip_ownership",
            "challenger_conditions",
            "budget",
            "prize",
            "solution_deadline",
            "contact_person",
            "contact_mobile",
            "contact_landline",
            "contact_email",
            "hidden_fields",
            "address",
            "hidden_passages",
            "status",
            "national",
            "contact_consents_sharing",
            "submitted_at",
            "published_at",
            "created_at",
        ]
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
        self._orgs_by_code = {}
        self._new_orgs = {}
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
            codes = {CreditCodeWidget().clean(value) for value in dataset[COL_CREDIT_CODE]}
            codes.discard("")
            for chunk in _chunks(codes):
                for organisation in Organisation.objects.filter(credit_code__in=chunk):
                    self._orgs_by_code[organisation.credit_code] = organisation
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
        from the row (created when the import is saved)."""
        code = getattr(demand, "import_credit_code", "") or ""
        if "import_credit_code" in errors:
            return None
        if not code:
            _add(
                errors,
                "import_credit_code",
                gettext("Enter the unified social credit code of the demand side."),
            )
            return None
        existing = self._orgs_by_code.get(code)
        if existing is not None:
            return existing
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            for message in exc.messages:
                _add(errors, "import_credit_code", message)
            return None
        if code in self._new_orgs:
            return self._new_orgs[code]
        name = getattr(demand, "import_organisation_name", "") or ""
        kind = getattr(demand, "import_organisation_kind", "") or ""
        problems = {}
        if not name:
            _add(
                problems,
                "import_organisation_name",
                gettext("Give the name of the demand side: this credit code is new to the portal."),
            )
        if not kind and "import_organisation_kind" not in errors:
            _add(
                problems,
                "import_organisation_kind",
                gettext("Give the kind of the new organisation. Allowed: %(allowed)s.")
                % {"allowed": ORGANISATION_KIND_WORDS.allowed_text()},
            )
        if problems or "import_organisation_kind" in errors:
            errors.update(problems)
            return None
        candidate = Organisation(
            name=name,
            kind=kind,
            credit_code=code,
            region=demand.region or "",
            address=demand.address or "",
        )
        try:
            candidate.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            keys = {
                "name": "import_organisation_name",
                "kind": "import_organisation_kind",
                "credit_code": "import_credit_code",
            }
            for key, messages in exc.message_dict.items():
                target = keys.get(key, key)
                if target not in errors:
                    for message in messages:
                        _add(errors, target, message)
            return None
        self._new_orgs[code] = candidate
        return candidate

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
        organisations = list(self._new_orgs.values())
        Organisation.objects.bulk_create(organisations, batch_size=WRITE_BATCH)
        for demand in created:
            demand.submitted_at = self._now
        self._insert_numbered(created)
        previous = self._update_existing(updated)
        comment = gettext("Imported in the standard format.")
        DemandTransition.objects.bulk_create(
            [
                DemandTransition(
                    demand=demand,
                    from_state=DemandStatus.DRAFT,
                    to_state=DemandStatus.SUBMITTED,
                    actor=self.user,
                    reason=comment,
                )
                for demand in created
            ]
            + [
                DemandTransition(
                    demand=demand,
                    from_state=previous[demand.pk],
                    to_state=DemandStatus.SUBMITTED,
                    actor=self.user,
                    reason=comment,
                )
                for demand in updated
            ],
            batch_size=WRITE_BATCH,
        )
        self._save_indicators(created, updated)
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

    def _insert_numbered(self, demands):
        """Insert the new demands, numbered per event in one block per event the way
        ``services.create_demand`` numbers one (:func:`next_sequence`,
        ``services.format_reference``). As there, a reference taken meanwhile by another
        writer (the unique reference refuses the insert) makes the block start again past
        it."""
        if not demands:
            return
        by_event = defaultdict(list)
        for demand in demands:
            by_event[demand.host_unit.event].append(demand)
        edition = self.contest.edition
        floors = {}
        for _attempt in range(_REF_ATTEMPTS):
            for event, rows in by_event.items():
                start = max(next_sequence(event.pk), floors.get(event.pk, 0))
                floors[event.pk] = start
                for offset, demand in enumerate(rows):
                    demand.sequence = start + offset
                    demand.ref = services.format_reference(edition, event.number, demand.sequence)
            try:
                with transaction.atomic():
                    Demand.objects.bulk_create(demands, batch_size=WRITE_BATCH)
                return
            except IntegrityError:
                for demand in demands:
                    demand.pk = None
                    demand._state.adding = True
                floors = {event_id: start + 1 for event_id, start in floors.items()}
        raise ValidationError(
            gettext(
                "The demands could not be numbered; nothing was saved. "
                "Please import the file again."
            )
        )

    def _update_existing(self, demands):
        """Save the changed demands (submitted again), after checking under a row lock that
        nobody changed them since the file was read. Returns ``{pk: previous status}``."""
        if not demands:
            return {}
        current = dict(
            Demand.objects.select_for_update()
            .filter(pk__in=[demand.pk for demand in demands])
            .values_list("pk", "updated_at")
        )
        previous = {}
        for demand in demands:
            original = self._originals[demand.pk]
            if current.get(demand.pk) != original["updated_at"]:
                raise ValidationError(
                    gettext(
                        "Demand %(ref)s was changed by someone else while the file was being "
                        "imported; nothing was saved. Please import the file again."
                    )
                    % {"ref": demand.ref}
                )
            wording = dict(demand.public_wording or {})
            for name in services.WORDING_FIELDS:
                # An accepted public wording of a text that has been rewritten is dropped, as
                # services.update_demand does.
                if name in wording and getattr(demand, name) != original["texts"][name]:
                    wording.pop(name)
            demand.public_wording = wording
            previous[demand.pk] = original["status"]
            demand.status = DemandStatus.SUBMITTED
            demand.submitted_at = self._now
            demand.updated_at = self._now
        Demand.objects.bulk_update(demands, UPDATE_FIELDS, batch_size=WRITE_BATCH)
        return previous

    def _save_indicators(self, created, updated):
        new_rows, changed_rows, removed = [], [], []
        for demand in created:
            for position, data in enumerate(demand.import_indicators):
                new_rows.append(Indicator(demand=demand, position=position, **data))
        for demand in updated:
            # Rows are matched by position, so an indicator that stays keeps its id.
            existing = self._originals[demand.pk]["indicators"]
            for position, data in enumerate(demand.import_indicators):
                if position < len(existing):
                    row = existing[position]
                    for key, value in data.items():
                        setattr(row, key, value)
                    row.position = position
                    changed_rows.append(row)
                else:
                    new_rows.append(Indicator(demand=demand, position=position, **data))
            removed += [row.pk for row in existing[len(demand.import_indicators) :]]
        Indicator.objects.bulk_create(new_rows, batch_size=WRITE_BATCH)
        if changed_rows:
            Indicator.objects.bulk_update(
                changed_rows,
                ["name", "target_value", "unit", "current_value", "position"],
                batch_size=WRITE_BATCH,
            )
        if removed:
            Indicator.objects.filter(pk__in=removed).delete()
