"""The public projection of a demand: the one place where the public side reads a demand.

DESIGN.md §3 rule 1: everything public (list, detail, search, feeds, sitemap, export, push
payloads) is rendered from :class:`PublicDemand`, built by :func:`project` and nowhere else.
It holds only public-safe values: what the owner hid is absent (or replaced by a substitute
such as 「某西安新材料产业企业」), marked passages are replaced by :data:`REDACTION_MARK` in every
text, contact details are masked, and nothing links back to the organisation.

:func:`refresh_public_index` stores the projection's dict in ``Demand.public_snapshot`` (lists
render from it without touching the model) and builds the search columns from the same texts.
It runs whenever a public demand changes or is published, and drops the cached public pages
after the change commits (see :func:`invalidate_public_cache`).
"""

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from accounts.enums import OrganisationKind
from accounts.mobile import normalise_mobile
from common.masking import mask_email, mask_mobile, mask_phone
from common.regions import region_name

from ..enums import (
    PUBLIC_STATES,
    CooperationMode,
    DemandStatus,
    DemandType,
    HideableField,
    IPOwnership,
    OutcomeForm,
)
from ..models import Demand
from .cache import PUBLIC_PAGES
from .search import DEMANDS

# What replaces a hidden passage wherever it occurs.
REDACTION_MARK = "「※已隐去※」"

# Free texts for which an accepted public wording (Demand.public_wording) replaces the text.
WORDING_FIELDS = ("title", "current_base", "key_problem", "expected_outcome",
                  "time_requirement", "challenger_conditions")

# Bumped whenever the projection's shape changes; older snapshots are rebuilt on read of the
# detail page and by ``manage.py rebuild_public_index``.
SNAPSHOT_FORMAT = 1

KIND_WORDS = {
    OrganisationKind.ENTERPRISE: "企业",
    OrganisationKind.UNIVERSITY: "高校",
    OrganisationKind.INSTITUTE: "科研院所",
    OrganisationKind.TEAM: "团队",
}


@dataclass(frozen=True)
class PublicIndicator:
    name: str
    target_value: str
    unit: str = ""
    current_value: str = ""


@dataclass(frozen=True)
class PublicDemand:
    """Everything the public may know about a demand. Build it with :func:`project`."""

    ref: str
    url: str
    status: str
    title: str
    public_name: str
    organisation_kind: str = ""
    region_code: str = ""
    region_name: str = ""
    industry_code: str = ""
    industry_name: str = ""
    event_number: int | None = None
    event_name: str = ""
    host_unit_name: str = ""
    host_unit_slug: str = ""
    demand_type: str = ""
    keywords: tuple = ()
    current_base: str = ""
    key_problem: str = ""
    expected_outcome: str = ""
    outcome_forms: tuple = ()
    time_requirement: str = ""
    cooperation_modes: tuple = ()
    ip_ownership: str = ""
    challenger_conditions: str = ""
    indicators: tuple = ()          # of PublicIndicator
    budget: str = ""                # 万元, as text; empty when hidden or not given
    prize: str = ""
    solution_deadline: date | None = None
    contact_person: str = ""
    contact_mobile: str = ""        # always masked (138****5678)
    contact_landline: str = ""      # always masked
    contact_email: str = ""         # always masked (z***@example.com)
    address: str = ""
    attachments: tuple = ()         # file names
    national: bool = False
    published_at: datetime | None = None
    closed_at: datetime | None = None
    matched: bool = False           # an intention agreement was confirmed (never naming anyone)
    # what the owner hid (the page says "hidden" instead of leaving a gap)
    organisation_hidden: bool = False
    contact_person_hidden: bool = False
    phone_hidden: bool = False
    email_hidden: bool = False
    address_hidden: bool = False
    budget_hidden: bool = False
    prize_hidden: bool = False
    attachments_hidden: bool = False
    text_redacted: bool = False     # at least one marked passage was replaced
    snapshot_format: int = field(default=SNAPSHOT_FORMAT)

    # --- labels for templates (translated at render time, not stored) ---
    @property
    def is_open(self):
        return self.status == DemandStatus.PUBLISHED

    @property
    def status_label(self):
        return _label(DemandStatus, self.status)

    @property
    def demand_type_label(self):
        return _label(DemandType, self.demand_type)

    @property
    def ip_ownership_label(self):
        return _label(IPOwnership, self.ip_ownership)

    @property
    def cooperation_mode_labels(self):
        return [_label(CooperationMode, code) for code in self.cooperation_modes]

    @property
    def outcome_form_labels(self):
        return [_label(OutcomeForm, code) for code in self.outcome_forms]

    @property
    def any_hidden(self):
        return any(getattr(self, name) for name in HIDDEN_FLAGS) or self.text_redacted

    @property
    def summary(self):
        """The key problem, shortened for lists and feeds."""
        text = " ".join(self.key_problem.split())
        return text if len(text) <= 140 else text[:139] + "…"

    def get_absolute_url(self):
        return self.url

    # --- serialisation (public_snapshot, JSON payloads, feeds) ---
    def to_dict(self):
        data = asdict(self)
        for name in ("solution_deadline", "published_at", "closed_at"):
            value = data[name]
            data[name] = value.isoformat() if value else None
        data["keywords"] = list(self.keywords)
        data["outcome_forms"] = list(self.outcome_forms)
        data["cooperation_modes"] = list(self.cooperation_modes)
        data["attachments"] = list(self.attachments)
        data["indicators"] = [asdict(row) for row in self.indicators]
        return data

    def push_context(self):
        """The context of a push about this demand (``notifications.notify(kind=
        "demand.published", context=…, url=projection.url)``): public values only, none of the
        notification's reserved names."""
        return {"ref": self.ref, "title": self.title, "public_name": self.public_name,
                "field": self.industry_name, "region": self.region_name,
                "summary": self.summary}

    @classmethod
    def from_dict(cls, data):
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in (data or {}).items() if key in known}
        values["solution_deadline"] = (parse_date(values["solution_deadline"])
                                       if values.get("solution_deadline") else None)
        for name in ("published_at", "closed_at"):
            values[name] = parse_datetime(values[name]) if values.get(name) else None
        for name in ("keywords", "outcome_forms", "cooperation_modes", "attachments"):
            values[name] = tuple(values.get(name) or ())
        values["indicators"] = tuple(PublicIndicator(**row) for row in values.get("indicators")
                                     or ())
        return cls(**values)

    def search_texts(self):
        """``(title texts, body texts)``: what search may know, all of it from the projection,
        with the redaction marks taken out."""
        def clean(text):
            return (text or "").replace(REDACTION_MARK, "\n")

        from django.utils import translation

        title = [clean(self.title), *(clean(word) for word in self.keywords)]
        # Every public word of the demand's page: its event and host unit too (湖北 finds the
        # demands of 湖北's host units), the public contact and address, and the Chinese
        # labels of its type, outcome forms and cooperation modes.
        with translation.override("zh-hans"):
            labels = [str(self.demand_type_label), str(self.ip_ownership_label),
                      *map(str, self.outcome_form_labels),
                      *map(str, self.cooperation_mode_labels)]
        body = [clean(self.public_name), self.industry_name, self.region_name,
                self.event_name, self.host_unit_name, clean(self.contact_person),
                clean(self.address), *labels,
                clean(self.current_base), clean(self.key_problem), clean(self.expected_outcome),
                clean(self.time_requirement), clean(self.challenger_conditions)]
        for row in self.indicators:
            body.extend(clean(text) for text in (row.name, row.target_value, row.unit,
                                                 row.current_value))
        return title, body


HIDDEN_FLAGS = ("organisation_hidden", "contact_person_hidden", "phone_hidden", "email_hidden",
                "address_hidden", "budget_hidden", "prize_hidden", "attachments_hidden")


def _label(choices, value):
    try:
        return choices(value).label
    except ValueError:
        return value or ""


# --- redaction --------------------------------------------------------------------------------
class Redactor:
    """Replaces every occurrence of any of ``passages`` (longest first, in one pass, so a
    shorter passage inside a longer one never leaves a piece behind) by the mark."""

    def __init__(self, passages):
        unique = sorted({p for p in passages if p and p.strip()}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, unique))) if unique else None
        self.used = False

    def __call__(self, text):
        text = text or ""
        if self.pattern is None or not text:
            return text
        redacted, count = self.pattern.subn(REDACTION_MARK, text)
        if count:
            self.used = True
        return redacted


def _hidden_values(demand, hidden):
    """Values of hidden fields that must not survive in free text either (an owner who hides
    the organisation name and then writes it in the problem statement still hides it)."""
    values = []
    if HideableField.ORGANISATION in hidden:
        values.append(demand.organisation.name)
    if HideableField.CONTACT_PERSON in hidden:
        values.append(demand.contact_person)
    if HideableField.PHONE in hidden:
        values += [demand.contact_mobile, normalise_mobile(demand.contact_mobile),
                   demand.contact_landline]
    if HideableField.EMAIL in hidden:
        values.append(demand.contact_email)
    if HideableField.ADDRESS in hidden:
        values.append(demand.address)
    return [value.strip() for value in values if value and len(value.strip()) >= 2]


def hidden_values_of(demand):
    """Every value the owner keeps from the public: the marked passages, the hidden fields'
    values (budget and prize as the projection would write them) and, when attachments are
    hidden, their names. A text meant for the public (a published clarification answer) must
    contain none of them."""
    hidden = set(demand.hidden_fields or [])
    values = [*(demand.hidden_passages or []), *_hidden_values(demand, hidden)]
    if HideableField.BUDGET in hidden and demand.budget is not None:
        values.append(_money(demand.budget))
    if HideableField.PRIZE in hidden and demand.prize is not None:
        values.append(_money(demand.prize))
    if HideableField.ATTACHMENTS in hidden:
        values += attachment_names(demand)
    return [value for value in values if value and value.strip()]


def _wording(demand, name):
    wording = (demand.public_wording or {}).get(name)
    return wording if isinstance(wording, str) and wording.strip() else getattr(demand, name)


def _money(value):
    return "" if value is None else format(Decimal(value).normalize(), "f")


def public_name_for(*, region_code, industry_name, organisation_kind):
    """「某{地区}{领域}{企业/高校/科研院所/团队}」, e.g. 某西安新材料产业企业."""
    kind = KIND_WORDS.get(organisation_kind, "单位")
    return f"某{region_name(region_code)}{industry_name or ''}{kind}"


def attachments_of(demand):
    """The files attached to the demand (files app, generic relation), oldest first."""
    from files.selectors import files_for_object

    return list(files_for_object(demand))


def attachment_names(demand):
    return [item.original_name for item in attachments_of(demand)]


def project(demand):
    """The public projection of ``demand``: the only function that reads a demand for the
    public. Works on any state (callers decide whether it may be shown; see
    :func:`is_public`); the demand's organisation, industry field, host unit with its event and
    indicators are read, so select/prefetch them for many."""
    hidden = set(demand.hidden_fields or [])
    redact = Redactor([*(demand.hidden_passages or []), *_hidden_values(demand, hidden)])
    organisation = demand.organisation
    industry = demand.industry_field
    host_unit = demand.host_unit
    event = host_unit.event if host_unit is not None else None

    organisation_hidden = HideableField.ORGANISATION in hidden
    public_name = public_name_for(region_code=demand.region,
                                  industry_name=industry.name if industry else "",
                                  organisation_kind=organisation.kind)
    if not organisation_hidden:
        public_name = redact(organisation.name) or public_name

    contact_person_hidden = HideableField.CONTACT_PERSON in hidden
    phone_hidden = HideableField.PHONE in hidden
    email_hidden = HideableField.EMAIL in hidden
    address_hidden = HideableField.ADDRESS in hidden
    budget_hidden = HideableField.BUDGET in hidden
    prize_hidden = HideableField.PRIZE in hidden
    attachments_hidden = HideableField.ATTACHMENTS in hidden

    keywords = (demand.public_wording or {}).get("keywords") or demand.keywords
    if isinstance(keywords, str):
        keywords = [word for word in re.split(r"[，,、;；\s]+", keywords) if word]

    indicators = tuple(
        PublicIndicator(name=redact(row.name), target_value=redact(row.target_value),
                        unit=redact(row.unit), current_value=redact(row.current_value))
        for row in demand.indicators.all()
    )
    projection = dict(
        ref=demand.ref,
        url=reverse("demands:detail", kwargs={"ref": demand.ref}),
        status=demand.status,
        title=redact(_wording(demand, "title")),
        public_name=public_name,
        organisation_kind=organisation.kind,
        region_code=demand.region,
        region_name=region_name(demand.region),
        industry_code=industry.code if industry else "",
        industry_name=industry.name if industry else "",
        event_number=event.number if event else None,
        event_name=event.name if event else "",
        host_unit_name=host_unit.name if host_unit else "",
        host_unit_slug=host_unit.slug if host_unit else "",
        demand_type=demand.demand_type,
        keywords=tuple(redact(word) for word in keywords or ()),
        current_base=redact(_wording(demand, "current_base")),
        key_problem=redact(_wording(demand, "key_problem")),
        expected_outcome=redact(_wording(demand, "expected_outcome")),
        outcome_forms=tuple(demand.outcome_forms or ()),
        time_requirement=redact(_wording(demand, "time_requirement")),
        cooperation_modes=tuple(demand.cooperation_modes or ()),
        ip_ownership=demand.ip_ownership,
        challenger_conditions=redact(_wording(demand, "challenger_conditions")),
        indicators=indicators,
        budget="" if budget_hidden else _money(demand.budget),
        prize="" if prize_hidden else _money(demand.prize),
        solution_deadline=demand.solution_deadline,
        contact_person="" if contact_person_hidden else redact(demand.contact_person),
        contact_mobile="" if phone_hidden else mask_mobile(demand.contact_mobile),
        contact_landline="" if phone_hidden else mask_phone(demand.contact_landline),
        contact_email="" if email_hidden else mask_email(demand.contact_email),
        address="" if address_hidden else redact(demand.address),
        attachments=() if attachments_hidden else tuple(redact(name) for name in
                                                        attachment_names(demand)),
        national=demand.national,
        published_at=demand.published_at,
        closed_at=demand.closed_at,
        matched=demand.matched_at is not None,
        organisation_hidden=organisation_hidden,
        contact_person_hidden=contact_person_hidden,
        phone_hidden=phone_hidden,
        email_hidden=email_hidden,
        address_hidden=address_hidden,
        budget_hidden=budget_hidden,
        prize_hidden=prize_hidden,
        attachments_hidden=attachments_hidden,
    )
    # Read last: every text above has gone through the redactor by now.
    projection["text_redacted"] = redact.used
    return PublicDemand(**projection)


def is_public(demand):
    return demand.status in PUBLIC_STATES


def public_demands():
    """Demands the public may see, indexed (their snapshot and search columns written)."""
    return Demand.objects.public()


def from_snapshot(snapshot):
    """A :class:`PublicDemand` from a stored ``public_snapshot``."""
    return PublicDemand.from_dict(snapshot)


def for_projection(queryset):
    """``queryset`` with everything :func:`project` reads, in a fixed number of queries."""
    return (queryset.select_related("organisation", "industry_field", "host_unit__event")
            .prefetch_related("indicators"))


# --- the stored snapshot and search columns ---------------------------------------------------
def refresh_public_index(demand):
    """Rewrite the demand's ``public_snapshot`` and search columns from its projection (or
    empty them when the demand is not public) and drop cached public pages.

    Call it whenever a public demand changes or is published, closed or withdrawn, inside the
    transaction of the change. Returns the projection, or None when the demand is not public.
    """
    demand = for_projection(Demand.objects.filter(pk=demand.pk)).get()
    if is_public(demand):
        projection = project(demand)
        title_texts, body_texts = projection.search_texts()
        values = {
            "public_snapshot": projection.to_dict(),
            **DEMANDS.columns(title_texts, body_texts),
            "public_indexed_at": timezone.now(),
        }
    else:
        projection = None
        values = {"public_snapshot": {}, **DEMANDS.empty_columns(), "public_indexed_at": None}
    Demand.objects.filter(pk=demand.pk).update(**values)
    invalidate_public_cache(demand)
    return projection


def rebuild_public_index(queryset=None):
    """Refresh every public (or previously indexed) demand; returns how many were written.
    Run after the jieba dictionary or the projection's format changes."""
    queryset = queryset if queryset is not None else Demand.objects.filter(
        Q(status__in=PUBLIC_STATES) | Q(public_indexed_at__isnull=False))
    count = 0
    for pk in list(queryset.values_list("pk", flat=True)):
        with transaction.atomic():
            refresh_public_index(Demand(pk=pk))
        count += 1
    return count


# --- cache of public pages --------------------------------------------------------------------
def invalidate_public_cache(demand=None):
    """Drop cached public pages (of every demand: lists and counts change too) once the
    surrounding transaction commits."""
    PUBLIC_PAGES.invalidate()
