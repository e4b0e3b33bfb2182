"""Creating and editing demands: references, the standard-format fields, indicators and
attachments (added with an edit, removed one by one)."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from accounts.enums import MembershipState
from accounts.mobile import MOBILE_RE, normalise_mobile
from accounts.models import Membership, region_code_validator
from audit.services import log_action
from common.concurrency import check_edit_token
from contests.permissions import is_host_staff_of
from contests.selectors import current_contest
from files.enums import FileKind
from files.selectors import files_for_object
from files.services import detach_file, store_upload

from .. import permissions
from ..enums import (
    EDITABLE_STATES,
    CooperationMode,
    DemandStatus,
    HideableField,
    IPOwnership,
    OutcomeForm,
)
from ..models import Demand, Indicator
from ..public.projection import is_public, refresh_public_index
from .base import (
    CONTENT_FIELDS,
    FREE_TEXT_FIELDS,
    MAX_KEYWORDS,
    REQUIRED_FOR_SUBMISSION,
    WORDING_FIELDS,
    DemandError,
)
from .contacts import request_contact_consent

# Tries at numbering a demand (or a block of them) before giving up: each retry starts past a
# reference another writer took meanwhile.
REF_ATTEMPTS = 5


# --- references -------------------------------------------------------------------------------
def format_reference(edition, event_number, sequence):
    """``6-07-0042``: edition, event number (2 digits), sequence within the event (4 digits)."""
    return f"{edition}-{event_number:02d}-{sequence:04d}"


def next_sequence(event_id):
    """The next free sequence number in an event: one more than the highest, for one demand
    (:func:`create_demand`) or the start of a block (``create_demands``)."""
    top = Demand.objects.filter(host_unit__event_id=event_id).aggregate(top=Max("sequence"))
    return (top["top"] or 0) + 1


# --- content ----------------------------------------------------------------------------------
def split_keywords(text):
    """Keywords typed in one field, separated by Chinese or Latin commas, 、, semicolons or
    spaces; duplicates dropped, order kept."""
    seen = []
    for word in re.split(r"[，,、;；\s]+", text or ""):
        word = word.strip()
        if word and word not in seen:
            seen.append(word)
    return seen


def passages_missing(passages, texts):
    """The marked passages that occur in none of ``texts``."""
    return [p for p in passages if not any(p in (text or "") for text in texts)]


def _free_texts(demand):
    return [getattr(demand, name) for name in FREE_TEXT_FIELDS]


def submission_problems(demand, indicators=None):
    """What stops the demand from being submitted, as ``[(field, message)]``; empty when it
    is complete. ``indicators`` defaults to the saved rows."""
    problems = []
    if not (demand.title or "").strip():
        problems.append(("title", gettext("Give the demand a title.")))
    for name in REQUIRED_FOR_SUBMISSION:
        value = getattr(demand, f"{name}_id" if name == "industry_field" else name)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            label = Demand._meta.get_field(name).verbose_name
            problems.append((name, gettext("“%(field)s” is required.") % {"field": label}))
    if not 1 <= len(demand.keywords or []) <= MAX_KEYWORDS:
        problems.append(("keywords", gettext("Enter one to five keywords.")))
    if demand.contact_mobile and not MOBILE_RE.match(normalise_mobile(demand.contact_mobile)):
        problems.append(("contact_mobile", gettext("The mobile number is not valid.")))
    if demand.region and not region_code_validator.regex.match(demand.region):
        problems.append(("region", gettext("Enter a 6-digit GB/T 2260 region code.")))
    if not demand.outcome_forms:
        problems.append(("outcome_forms", gettext("Choose at least one form of the outcome.")))
    if not demand.cooperation_modes:
        problems.append(("cooperation_modes", gettext("Choose at least one cooperation mode.")))
    rows = list(demand.indicators.all()) if indicators is None else indicators
    if not rows:
        problems.append(("indicators", gettext("Give at least one technical indicator with its "
                                               "target value.")))
    missing = passages_missing(demand.hidden_passages or [], _free_texts(demand))
    if missing:
        problems.append(("hidden_passages",
                         gettext("These hidden passages do not occur in the text: %(list)s")
                         % {"list": "；".join(missing)}))
    return problems


def _clean_fields(fields):
    """Normalise what a form or import hands in; refuse unknown field names."""
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise DemandError(gettext("Unknown demand fields: %(names)s")
                          % {"names": ", ".join(sorted(unknown))})
    cleaned = dict(fields)
    if "keywords" in cleaned and isinstance(cleaned["keywords"], str):
        cleaned["keywords"] = split_keywords(cleaned["keywords"])
    if "contact_mobile" in cleaned:
        cleaned["contact_mobile"] = normalise_mobile(cleaned["contact_mobile"] or "")
    for name, allowed in (("outcome_forms", OutcomeForm.values),
                          ("cooperation_modes", CooperationMode.values),
                          ("hidden_fields", HideableField.values)):
        if name in cleaned:
            cleaned[name] = [v for v in allowed if v in set(cleaned[name] or [])]
    if "hidden_passages" in cleaned:
        cleaned["hidden_passages"] = [p.strip() for p in cleaned["hidden_passages"] or []
                                      if p and p.strip()]
    if cleaned.get("ip_ownership") in (None, ""):
        cleaned.pop("ip_ownership", None)
    elif "ip_ownership" in cleaned and cleaned["ip_ownership"] not in IPOwnership.values:
        raise DemandError(gettext("Unknown IP ownership intention."))
    for name in ("title", "current_base", "key_problem", "expected_outcome",
                 "time_requirement", "challenger_conditions", "address", "contact_person",
                 "contact_landline", "contact_email", "region", "demand_type"):
        if name in cleaned and cleaned[name] is None:
            cleaned[name] = ""
    return cleaned


def _apply(demand, fields):
    """Set ``fields`` on the demand; returns whether the contact person changed.

    The contact's consent is not a field the company sets: the contact person gives it by the
    link sent to their own e-mail (``services.contacts``). A change of the contact's name,
    mobile or e-mail withdraws it."""
    from .contacts import CONSENT_BOUND_FIELDS, consent_bound_fields_changed

    before = {name: getattr(demand, name) for name in CONSENT_BOUND_FIELDS}
    for name, value in fields.items():
        if name in ("contact_consents_sharing", "contact_consent_at"):
            continue
        setattr(demand, name, value)
    changed = consent_bound_fields_changed(
        before, {name: getattr(demand, name) for name in CONSENT_BOUND_FIELDS})
    if changed:
        demand.contact_consents_sharing = False
        demand.contact_consent_at = None
    return changed


def _save_indicators(demand, rows):
    """Make the demand's indicators exactly ``rows`` (dicts with name, target_value, unit,
    current_value and, for existing rows, id), keeping the ids of rows that stay so later
    answers to an indicator keep pointing at it."""
    existing = {row.pk: row for row in demand.indicators.all()}
    keep = set()
    for position, data in enumerate(rows):
        values = {key: (data.get(key) or "").strip()
                  for key in ("name", "target_value", "unit", "current_value")}
        row = existing.get(data.get("id"))
        if row is None:
            row = Indicator(demand=demand)
        for key, value in values.items():
            setattr(row, key, value)
        row.position = position
        row.save()
        keep.add(row.pk)
    demand.indicators.exclude(pk__in=keep).delete()


def _store_uploads(demand, uploads, *, actor):
    """Store new attachments as private files of the demand. Their metadata (author,
    company, EXIF) is stripped: granted challengers download them, and the owner may hide
    its name."""
    for uploaded in uploads:
        if uploaded:
            try:
                store_upload(uploaded, kind=FileKind.ATTACHMENT, uploaded_by=actor,
                             attach_to=demand, public_safe=True)
            except ValidationError as error:
                raise DemandError(" ".join(error.messages)) from None


def _check_passages(demand):
    missing = passages_missing(demand.hidden_passages or [], _free_texts(demand))
    if missing:
        raise DemandError(
            gettext("These hidden passages do not occur in the text: %(list)s")
            % {"list": "；".join(missing)},
            problems=[("hidden_passages", missing)],
        )


def _require_current_host_unit(host_unit):
    contest = current_contest()
    if contest is None or host_unit.event.contest_id != contest.pk:
        raise DemandError(gettext("Demands are filed with a host unit of the current edition."))


def create_demand(*, actor, organisation, host_unit, fields, indicators=(),
                  entered_by_host=False, uploads=()):
    """Create a draft demand with its reference number.

    The company's active members create demands for their organisation; host staff enter
    them on a company's behalf (``entered_by_host``) for their own host units only. Only the
    title is required here: a draft may be incomplete.
    """
    if entered_by_host:
        if not is_host_staff_of(actor, host_unit):
            raise DemandError(gettext("You may enter demands only for your own host units."))
    elif not Membership.objects.filter(user=actor, organisation=organisation,
                                       state=MembershipState.ACTIVE).exists():
        raise DemandError(gettext("You are not an active member of this organisation."))
    _require_current_host_unit(host_unit)
    fields = _clean_fields(fields)
    if not (fields.get("title") or "").strip():
        raise DemandError(gettext("Give the demand a title."))
    event = host_unit.event
    edition = event.contest.edition
    sequence = 0
    for attempt in range(REF_ATTEMPTS):
        try:
            # A savepoint per attempt: two creators in one event may pick the same sequence;
            # the unique reference makes the second insert fail and it tries the next number
            # (also past a reference taken by a row whose sequence disagrees with it).
            with transaction.atomic():
                sequence = max(next_sequence(event.pk), sequence + 1)
                demand = Demand(
                    ref=format_reference(edition, event.number, sequence), sequence=sequence,
                    host_unit=host_unit, organisation=organisation, created_by=actor,
                    entered_by_host=entered_by_host, status=DemandStatus.DRAFT,
                )
                if not fields.get("region"):
                    fields["region"] = organisation.region or ""
                _apply(demand, fields)
                _check_passages(demand)
                demand.save()
                _save_indicators(demand, list(indicators))
                _store_uploads(demand, uploads, actor=actor)
                log_action("portal.demand.create", actor=actor, obj=demand,
                           to_state=DemandStatus.DRAFT, data={"entered_by_host": entered_by_host})
                request_contact_consent(demand, actor=actor)
                return demand
        except IntegrityError:
            if attempt == REF_ATTEMPTS - 1:
                raise DemandError(gettext("The demand could not be numbered; please try "
                                          "again.")) from None
    raise AssertionError("unreachable")


def update_demand(demand, *, actor, fields, indicators=None, host_unit=None, uploads=(),
                  edit_token=None):
    """Save the owner's changes to a draft or returned demand (no completeness check: that
    happens on submission). Accepted public wordings of texts the owner has rewritten are
    dropped, so the public never sees a wording of an older text.

    ``edit_token`` is the version the edit form was opened at (``common.concurrency``): when
    another author saved the demand since, ``StaleEdit`` is raised and nothing is written.
    Callers without a form (the import) pass None."""
    fields = _clean_fields(fields)
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        if not permissions.is_author(actor, locked):
            raise DemandError(gettext("You may not edit this demand."))
        if locked.status not in EDITABLE_STATES:
            raise DemandError(gettext("A demand that is “%(status)s” can no longer be edited.")
                              % {"status": locked.get_status_display()})
        check_edit_token(locked, edit_token)
        if "title" in fields and not (fields["title"] or "").strip():
            raise DemandError(gettext("Give the demand a title."))
        if host_unit is not None and host_unit.pk != locked.host_unit_id:
            if host_unit.event_id != locked.host_unit.event_id:
                # The reference carries the event number.
                raise DemandError(gettext("The host unit can be changed only within the same "
                                          "event."))
            if locked.entered_by_host and not is_host_staff_of(actor, host_unit):
                raise DemandError(gettext("You may enter demands only for your own host "
                                          "units."))
            locked.host_unit = host_unit
        stale = stale_wordings(locked.public_wording,
                               before={name: getattr(locked, name) for name in WORDING_FIELDS},
                               after=fields)
        contact_changed = _apply(locked, fields)
        for name in stale:
            locked.public_wording.pop(name, None)
        _check_passages(locked)
        locked.save()
        if indicators is not None:
            _save_indicators(locked, list(indicators))
        _store_uploads(locked, uploads, actor=actor)
        log_action("portal.demand.update", actor=actor, obj=locked,
                   data={"fields": sorted(fields), "dropped_wording": stale} if stale
                   else {"fields": sorted(fields)})
        if contact_changed:
            request_contact_consent(locked, actor=actor)
    return locked


def remove_attachment(demand, private_file, *, actor, request=None):
    """Remove one of the demand's attachments for good (``files.services.detach_file``: the
    row, its stored bytes after commit, an audit entry).

    Allowed to whoever may edit the demand (``permissions.can_edit_demand``: its authors,
    while it is a draft or returned for revision); anyone else, another state or a file of
    another object is refused with a message that says why. Returns the removed file.
    """
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        if not permissions.is_author(actor, locked):
            raise DemandError(gettext("You may not remove attachments of this demand."))
        if locked.status not in EDITABLE_STATES:
            raise DemandError(gettext("The attachments of a demand that is “%(status)s” can no "
                                      "longer be removed.")
                              % {"status": locked.get_status_display()})
        if not files_for_object(locked).filter(pk=private_file.pk).exists():
            raise DemandError(gettext("This file is not an attachment of the demand."))
        try:
            removed = detach_file(private_file, actor=actor, request=request)
        except ValidationError as error:
            raise DemandError(" ".join(error.messages)) from None
        Demand.objects.filter(pk=locked.pk).update(updated_at=timezone.now())
        # The public projection lists attachment names. No public state is editable today, so
        # this does not run yet; it keeps a removed name off public pages if that changes.
        if is_public(locked):
            refresh_public_index(locked)
    return removed


# --- public wording ---------------------------------------------------------------------------
def stale_wordings(public_wording, *, before, after):
    """The accepted public wordings that a change of texts makes stale: those of a text in
    ``after`` that differs from ``before``. They are dropped, so the public never sees a
    wording of an older text (:func:`update_demand`, ``update_demands``)."""
    return [name for name in WORDING_FIELDS
            if name in after and name in (public_wording or {})
            and after[name] != before.get(name)]


def current_wording(demand, name):
    """The text the public would see for ``name`` before hidden passages are masked."""
    return (demand.public_wording or {}).get(name) or getattr(demand, name) or ""


