"""Every write to a demand: creation and editing, the workflow, expert analysis and wording
proposals.

Views, admin, tasks and commands call these functions; none of them writes the models
directly. A refused operation raises :class:`DemandError`, whose message the view shows as is.
:func:`transition` is the only function that changes ``Demand.status``.
"""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from accounts.agreements import has_signed_current
from accounts.enums import AgreementKind, MembershipState, RoleCode
from accounts.mobile import MOBILE_RE, normalise_mobile
from accounts.models import Membership
from audit.services import log_action
from contests.permissions import is_host_staff_of
from contests.selectors import current_contest
from files.enums import FileKind
from files.services import store_upload
from notifications.services import notify

from . import permissions
from .enums import (
    EDITABLE_STATES,
    TRANSITIONS,
    AnalysisVerdict,
    CooperationMode,
    DemandStatus,
    HideableField,
    IPOwnership,
    OutcomeForm,
    ProposalState,
)
from .models import (
    Analysis,
    Demand,
    DemandTransition,
    ExpertAssignment,
    Indicator,
    WordingProposal,
)
from .public import refresh_public_index

MAX_KEYWORDS = 5

# The standard-format fields a form may set (never status, ref, dates or search columns).
CONTENT_FIELDS = (
    "title", "industry_field", "demand_type", "keywords", "current_base", "key_problem",
    "expected_outcome", "outcome_forms", "time_requirement", "cooperation_modes",
    "ip_ownership", "challenger_conditions", "budget", "prize", "solution_deadline", "region",
    "address", "contact_person", "contact_mobile", "contact_landline", "contact_email",
    "contact_consents_sharing", "hidden_fields", "hidden_passages",
)

# Free text in which the owner may mark passages to hide; each marked passage must occur in
# one of them.
FREE_TEXT_FIELDS = (
    "title", "current_base", "key_problem", "expected_outcome", "time_requirement",
    "challenger_conditions",
)

# Texts for which an expert or host staff may propose a clearer public wording.
WORDING_FIELDS = ("title", "current_base", "key_problem", "expected_outcome",
                  "challenger_conditions")

# What submitting requires beyond a draft's title and host unit.
REQUIRED_FOR_SUBMISSION = (
    "industry_field", "demand_type", "key_problem", "expected_outcome", "region",
    "contact_person", "contact_mobile", "contact_email",
)

REGION_RE = re.compile(r"^\d{6}$")
_REF_ATTEMPTS = 5


class DemandError(Exception):
    """A refused operation on a demand; ``message`` is shown to the user as is."""

    def __init__(self, message, *, problems=None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []

    def __str__(self):
        return str(self.message)


# --- references -------------------------------------------------------------------------------
def format_reference(edition, event_number, sequence):
    """``6-07-0042``: edition, event number (2 digits), sequence within the event (4 digits)."""
    return f"{edition}-{event_number:02d}-{sequence:04d}"


def _next_sequence(event_id):
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
    if demand.region and not REGION_RE.match(demand.region):
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
    before_consent = demand.contact_consents_sharing
    for name, value in fields.items():
        setattr(demand, name, value)
    if demand.contact_consents_sharing and not before_consent:
        demand.contact_consent_at = timezone.now()
    elif not demand.contact_consents_sharing:
        demand.contact_consent_at = None


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
    for attempt in range(_REF_ATTEMPTS):
        try:
            # A savepoint per attempt: two creators in one event may pick the same sequence;
            # the unique reference makes the second insert fail and it tries the next number
            # (also past a reference taken by a row whose sequence disagrees with it).
            with transaction.atomic():
                sequence = max(_next_sequence(event.pk), sequence + 1)
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
                _log("portal.demand.create", actor=actor, demand=demand,
                     to_state=DemandStatus.DRAFT, data={"entered_by_host": entered_by_host})
                return demand
        except IntegrityError:
            if attempt == _REF_ATTEMPTS - 1:
                raise DemandError(gettext("The demand could not be numbered; please try "
                                          "again.")) from None
    raise AssertionError("unreachable")


def update_demand(demand, *, actor, fields, indicators=None, host_unit=None, uploads=()):
    """Save the owner's changes to a draft or returned demand (no completeness check: that
    happens on submission). Accepted public wordings of texts the owner has rewritten are
    dropped, so the public never sees a wording of an older text."""
    fields = _clean_fields(fields)
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        if not permissions.is_author(actor, locked):
            raise DemandError(gettext("You may not edit this demand."))
        if locked.status not in EDITABLE_STATES:
            raise DemandError(gettext("A demand that is “%(status)s” can no longer be edited.")
                              % {"status": locked.get_status_display()})
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
        stale = [name for name in WORDING_FIELDS
                 if name in fields and name in (locked.public_wording or {})
                 and fields[name] != getattr(locked, name)]
        _apply(locked, fields)
        for name in stale:
            locked.public_wording.pop(name, None)
        _check_passages(locked)
        locked.save()
        if indicators is not None:
            _save_indicators(locked, list(indicators))
        _store_uploads(locked, uploads, actor=actor)
        _log("portal.demand.update", actor=actor, demand=locked,
             data={"fields": sorted(fields), "dropped_wording": stale} if stale
             else {"fields": sorted(fields)})
    return locked


# --- the workflow -----------------------------------------------------------------------------
def transition(demand, to_status, *, actor, comment=""):
    """Move ``demand`` to ``to_status``: the only way a demand's status changes.

    Checks that the edge exists in ``enums.TRANSITIONS`` and that ``actor`` holds its
    permission (``actor=None`` is the system, allowed only to close a published demand), then,
    in one transaction: saves the status, records a :class:`DemandTransition`, writes the
    audit log and the owner's notifications, and runs the publishing hooks. Raises
    :class:`DemandError` with a message for the user otherwise.
    """
    try:
        to_status = DemandStatus(to_status)
    except ValueError:
        raise DemandError(gettext("Unknown status: %(status)s") % {"status": to_status}) from None
    comment = (comment or "").strip()
    with transaction.atomic():
        # Lock the demand's row only, not its host unit, event or contest.
        locked = (Demand.objects.select_for_update(of=("self",))
                  .select_related("host_unit__event__contest", "organisation")
                  .get(pk=demand.pk))
        from_status = DemandStatus(locked.status)
        if to_status not in TRANSITIONS[from_status]:
            raise DemandError(
                gettext("A demand that is “%(from)s” cannot become “%(to)s”.")
                % {"from": from_status.label, "to": to_status.label}
            )
        if actor is None:
            if to_status != DemandStatus.CLOSED:
                raise DemandError(gettext("Only people may make this change."))
        elif not permissions.may_transition(actor, locked, to_status):
            raise DemandError(gettext("You may not make this demand “%(to)s”.")
                              % {"to": to_status.label})
        update_fields = ["status", "updated_at"]
        now = timezone.now()
        if to_status == DemandStatus.SUBMITTED:
            problems = submission_problems(locked)
            if problems:
                raise DemandError(
                    gettext("The demand is not complete yet: %(list)s")
                    % {"list": " ".join(str(message) for _field, message in problems)},
                    problems=problems,
                )
            locked.submitted_at = now
            update_fields.append("submitted_at")
        elif to_status == DemandStatus.IN_ANALYSIS:
            if not locked.assignments.exists():
                raise DemandError(gettext("Assign at least one expert first."))
        elif to_status in (DemandStatus.RETURNED, DemandStatus.REJECTED) and not comment:
            raise DemandError(gettext("Say why, so the company knows what to do."))
        elif to_status == DemandStatus.PUBLISHED:
            if locked.proposals.filter(state=ProposalState.PROPOSED).exists():
                raise DemandError(gettext("A wording proposal is waiting for the owner's "
                                          "answer; it cannot be published before that."))
            locked.published_at = now
            update_fields.append("published_at")
        elif to_status == DemandStatus.CLOSED:
            locked.closed_at = now
            update_fields.append("closed_at")
        locked.status = to_status
        locked.save(update_fields=update_fields)
        record = DemandTransition.objects.create(
            demand=locked, from_status=from_status, to_status=to_status, actor=actor,
            comment=comment,
        )
        _log(f"portal.demand.{to_status}", actor=actor, demand=locked, from_state=from_status,
             to_state=to_status, data={"comment": comment} if comment else None)
        _notify_owner(locked, record)
        if to_status == DemandStatus.PUBLISHED:
            on_published(locked)
        elif from_status == DemandStatus.PUBLISHED:
            on_unpublished(locked)
    # The caller's instance reflects the change too.
    for name in ("status", "submitted_at", "published_at", "closed_at", "updated_at"):
        setattr(demand, name, getattr(locked, name))
    return locked


def submit(demand, *, actor):
    """Send a complete draft (or a revised returned demand) to its host unit."""
    return transition(demand, DemandStatus.SUBMITTED, actor=actor)


def on_published(demand):
    """Runs inside the publishing transaction, after the status is saved.

    Rebuilds the demand's public snapshot and search columns from its public projection and
    drops cached public pages. The push (subscriptions, feeds fan-out) extends this hook:
    anything it sends must be written to the outbox here, in the same transaction.
    """
    _refresh_public(demand)


def on_unpublished(demand):
    """Runs inside the transaction that takes a published demand off the public pages (closed
    or withdrawn): search columns and cached pages follow."""
    _refresh_public(demand)


def close_expired(*, today=None):
    """Close published demands whose deadline for solutions has passed (the beat task).
    Returns how many were closed."""
    today = today or timezone.localdate()
    closed = 0
    expired = Demand.objects.filter(status=DemandStatus.PUBLISHED, solution_deadline__lt=today)
    for demand in expired.only("pk", "status"):
        try:
            transition(demand, DemandStatus.CLOSED, actor=None,
                       comment=gettext("The deadline for solutions has passed."))
        except DemandError:
            # Someone else changed it in the meantime; the next run looks again.
            continue
        closed += 1
    return closed


# --- experts ----------------------------------------------------------------------------------
def assign_experts(demand, experts, *, actor):
    """Assign experts to analyse the demand. Every expert must hold the expert role and have
    signed the contest's current non-disclosure agreement; otherwise nobody is assigned. A
    submitted demand moves to expert analysis."""
    experts = list(experts)
    if not experts:
        raise DemandError(gettext("Choose at least one expert."))
    with transaction.atomic():
        locked = (Demand.objects.select_for_update(of=("self",))
                  .select_related("host_unit__event__contest").get(pk=demand.pk))
        if not permissions.can_assign_experts(actor, locked):
            raise DemandError(gettext("Experts can be assigned only to a submitted demand or one "
                                      "in analysis, by its host unit's staff."))
        contest = locked.host_unit.event.contest
        for expert in experts:
            if RoleCode.EXPERT not in expert.role_codes() or not expert.is_active:
                raise DemandError(gettext("%(name)s is not an expert.") % {"name": expert})
            if not _has_signed_nda(expert, contest):
                raise DemandError(
                    gettext("%(name)s has not signed the current non-disclosure agreement and "
                            "cannot be assigned.") % {"name": expert}
                )
        added = []
        for expert in experts:
            _assignment, created = ExpertAssignment.objects.get_or_create(
                demand=locked, expert=expert, defaults={"assigned_by": actor}
            )
            if created:
                added.append(expert)
                _log("portal.demand.assign_expert", actor=actor, demand=locked,
                     data={"expert": expert.pk})
                notify(recipient=expert, kind="demand.expert_assigned",
                       context={"title": _title(locked), "host_unit": locked.host_unit.name},
                       idempotency_key=f"demand:{locked.pk}:expert:{expert.pk}",
                       url=locked.get_private_url(), obj=locked)
        if locked.status == DemandStatus.SUBMITTED:
            transition(locked, DemandStatus.IN_ANALYSIS, actor=actor,
                       comment=gettext("Experts assigned: %(names)s")
                       % {"names": "、".join(str(e) for e in experts)})
    demand.status = locked.status
    return added


def save_analysis(demand, *, expert, analysis, recommendations, verdict):
    """Write or rewrite the assigned expert's 梳理分析 and 综合建议 with a verdict."""
    if verdict not in AnalysisVerdict.values:
        raise DemandError(gettext("Choose a verdict."))
    if not (analysis or "").strip() or not (recommendations or "").strip():
        raise DemandError(gettext("Write both the analysis and the recommendations."))
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        if not permissions.can_write_analysis(expert, locked):
            raise DemandError(gettext("Only an assigned expert can analyse this demand, while "
                                      "it is in expert analysis."))
        record, created = Analysis.objects.update_or_create(
            demand=locked, expert=expert,
            defaults={"analysis": analysis.strip(), "recommendations": recommendations.strip(),
                      "verdict": verdict},
        )
        _log("portal.demand.analysis", actor=expert, demand=locked,
             data={"verdict": verdict, "first": created})
    return record


# --- public wording ---------------------------------------------------------------------------
def current_wording(demand, name):
    """The text the public would see for ``name`` before hidden passages are masked."""
    return (demand.public_wording or {}).get(name) or getattr(demand, name) or ""


def propose_wording(demand, *, actor, texts, note=""):
    """Propose clearer public texts for some of :data:`WORDING_FIELDS`; only texts that differ
    from the current wording are kept. Nothing of it is public until the owner accepts."""
    unknown = set(texts) - set(WORDING_FIELDS)
    if unknown:
        raise DemandError(gettext("These texts cannot be reworded: %(names)s")
                          % {"names": ", ".join(sorted(unknown))})
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        if not permissions.can_propose_wording(actor, locked):
            raise DemandError(gettext("You may not propose a wording for this demand now."))
        changed = {name: text.strip() for name, text in texts.items()
                   if text and text.strip() and text.strip() != current_wording(locked, name)}
        if not changed:
            raise DemandError(gettext("Change at least one text to propose a new wording."))
        proposal = WordingProposal.objects.create(
            demand=locked, proposed_by=actor, texts=changed, note=(note or "").strip()
        )
        _log("portal.demand.propose_wording", actor=actor, demand=locked,
             data={"proposal": proposal.pk, "fields": sorted(changed)})
        _notify_members(locked, kind="demand.wording_proposed",
                        key=f"demand:{locked.pk}:proposal:{proposal.pk}",
                        context={"title": _title(locked), "proposed_by": str(actor)},
                        skip=actor)
    return proposal


def decide_proposal(proposal, *, actor, accept):
    """The owner accepts (the texts become the public wording) or declines a proposal."""
    with transaction.atomic():
        locked = WordingProposal.objects.select_for_update().get(pk=proposal.pk)
        demand = Demand.objects.select_for_update().get(pk=locked.demand_id)
        if not permissions.can_decide_proposal(actor, demand):
            raise DemandError(gettext("Only the demand's owner can answer a wording proposal."))
        if locked.state != ProposalState.PROPOSED:
            raise DemandError(gettext("This proposal has already been answered."))
        locked.state = ProposalState.ACCEPTED if accept else ProposalState.DECLINED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["state", "decided_at"])
        if accept:
            demand.public_wording = {**(demand.public_wording or {}), **locked.texts}
            demand.save(update_fields=["public_wording", "updated_at"])
            if demand.status == DemandStatus.PUBLISHED:
                _refresh_public(demand)
        _log(f"portal.demand.wording_{locked.state}", actor=actor, demand=demand,
             data={"proposal": locked.pk, "fields": sorted(locked.texts)})
    proposal.state, proposal.decided_at = locked.state, locked.decided_at
    return locked


# --- side effects -----------------------------------------------------------------------------
def _log(action, *, actor, demand, from_state="", to_state="", data=None):
    log_action(action, actor=actor, obj=demand, from_state=from_state, to_state=to_state,
               data=data)


def _notify_members(demand, *, kind, key, context, skip=None):
    """Notify the owner organisation's active members (except ``skip``, who made the change)."""
    members = (Membership.objects.filter(organisation_id=demand.organisation_id,
                                         state=MembershipState.ACTIVE, user__is_active=True)
               .select_related("user"))
    url = demand.get_private_url()
    for membership in members:
        if skip is not None and membership.user_id == skip.pk:
            continue
        notify(recipient=membership.user, kind=kind, context=context, idempotency_key=key,
               url=url, obj=demand)


def _title(demand):
    return f"{demand.ref} {demand.title}"


def _notify_owner(demand, record):
    """Tell the owner about a status change."""
    _notify_members(
        demand, kind="demand.status_changed", key=f"demand:{demand.pk}:transition:{record.pk}",
        context={"title": _title(demand), "from_state": record.from_status,
                 "to_state": record.to_status, "reason": record.comment},
        skip=record.actor,
    )


def _has_signed_nda(user, contest):
    return has_signed_current(user, contest, kinds=(AgreementKind.NDA,))


def _refresh_public(demand):
    # Rewrites the public snapshot and search columns and drops cached public pages.
    refresh_public_index(demand)
