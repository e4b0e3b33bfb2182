"""Every write of complaints and disputes: one function per change, each with its audit
entry and its notifications (outbox rows) in the same transaction. State changes go through
``COMPLAINT_WORKFLOW`` / ``DISPUTE_WORKFLOW`` only."""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.enums import RoleCode
from audit.selectors import entries_for_object
from audit.services import log_action
from common.errors import DomainError
from common.references import complaint_target
from common.workflow import Workflow
from contests.models import HostMembership, HostUnit
from files.enums import FileKind
from files.services import store_upload
from notifications.services import notify_many

from . import permissions
from .clock import add_working_days
from .enums import (
    COMPLAINT_EDGES,
    DISPUTE_EDGES,
    OPEN_STATES,
    ComplaintCategory,
    ComplaintState,
    DisputeSide,
    DisputeState,
    EntryKind,
)
from .models import (
    Complaint,
    ComplaintEntry,
    ComplaintTransition,
    Dispute,
    DisputePosition,
    DisputeTransition,
    MediationRecord,
)


class ComplaintError(DomainError):
    """A refused operation on a complaint or a dispute."""


# --- who is told ----------------------------------------------------------------------------------
def torch_staff_ids():
    User = get_user_model()
    return list(User.objects.filter(roles__code=RoleCode.TORCH_STAFF, is_active=True)
                .values_list("pk", flat=True).distinct())


def handler_ids(complaint):
    """Who handles the case now: the handling unit's staff, or Torch staff."""
    if complaint.handled_by_torch or complaint.handling_unit_id is None:
        return torch_staff_ids()
    return list(HostMembership.objects.filter(host_unit_id=complaint.handling_unit_id)
                .values_list("user_id", flat=True))


def _context(complaint, **extra):
    return {"number": complaint.number, "target": complaint.target_label,
            "state": complaint.state, **extra}


def _tell_complainant(complaint, event, **extra):
    if complaint.complainant_id is None:
        return
    notify_many(recipient_ids=[complaint.complainant_id], kind="complaint.update",
                context=_context(complaint, event=event, **extra),
                idempotency_key=f"complaint:{complaint.pk}:{event}", obj=complaint,
                url=complaint.get_absolute_url())


def _tell_handlers(complaint, event, *, skip=None, **extra):
    ids = [pk for pk in handler_ids(complaint) if skip is None or pk != skip.pk]
    if ids:
        notify_many(recipient_ids=ids, kind="complaint.to_handle",
                    context=_context(complaint, event=event, **extra),
                    idempotency_key=f"complaint:{complaint.pk}:{event}", obj=complaint,
                    url=complaint.get_absolute_url())


# --- the target -----------------------------------------------------------------------------------
def target_kind(complaint):
    return complaint_target(complaint.target_key)


def target_object(complaint):
    """The object complained about, or ``None`` when it is gone or its app is not here."""
    kind = target_kind(complaint)
    if kind is None:
        return None
    model = apps.get_model(kind.model)
    return model._default_manager.filter(pk=complaint.target_id).first()


def resolve_target(user, key, reference):
    """``(kind, obj)`` for what a complainant names; raises ``ComplaintError`` on the field."""
    kind = complaint_target(key)
    if kind is None:
        raise ComplaintError(gettext("Choose what the complaint is about."),
                             code="unknown_target", field="target_key")
    obj = kind.resolve(user, reference or "")
    if obj is None:
        raise ComplaintError(gettext("Nothing of this kind has that reference."),
                             code="no_target", field="reference")
    if not kind.may_complain(user, obj):
        raise ComplaintError(gettext("You cannot complain about your own organisation or unit."),
                             code="own_target", field="reference")
    return kind, obj


# --- filing ---------------------------------------------------------------------------------------
def file_complaint(*, complainant, target_key, reference, category, description,
                   anonymous=False, host_unit=None, evidence=(), request=None):
    """File a complaint: it gets its case number, goes to the host unit concerned (or Torch
    staff for complaints about a host unit), and starts its clock."""
    description = (description or "").strip()
    if not description:
        raise ComplaintError(gettext("Describe what happened."), code="required",
                             field="description")
    kind, obj = resolve_target(complainant, target_key, reference)
    if category == ComplaintCategory.RECHECK and kind.recheck is None:
        raise ComplaintError(gettext("Only a result can be re-checked."), code="no_recheck",
                             field="category")
    handling = kind.host_unit_of(obj)
    if kind.ask_host_unit:
        if host_unit is None:
            raise ComplaintError(gettext("Say in which host unit's event this happened."),
                                 code="host_unit_required", field="host_unit")
        handling = host_unit.pk
    concerned = kind.unit_concerned(obj) if kind.unit_concerned else handling
    now = timezone.now()
    with transaction.atomic():
        complaint = Complaint.objects.create(
            complainant=complainant, anonymous=bool(anonymous), target_key=kind.key,
            target_id=str(obj.pk), target_reference=kind.reference_of(obj)[:100],
            target_label=kind.describe(obj)[:300], host_unit_id=concerned,
            handling_unit_id=handling, handled_by_torch=handling is None,
            category=category, description=description,
            score_sheets=[list(row) for row in kind.recheck.score_sheets(obj)]
            if category == ComplaintCategory.RECHECK else [],
            accept_due=add_working_days(timezone.localdate(now),
                                        settings.COMPLAINT_ACCEPT_WORKING_DAYS),
        )
        complaint.number = f"TS{timezone.localdate(now):%Y}{complaint.pk:06d}"
        complaint.save(update_fields=["number"])
        parties = set(kind.parties_of(obj)) - {complainant.pk}
        if parties:
            complaint.parties.set(parties)
        for upload in evidence:
            store_upload(upload, kind=FileKind.ATTACHMENT, uploaded_by=complainant,
                         attach_to=complaint)
        log_action("portal.complaint.file", actor=complainant, obj=complaint,
                   to_state=complaint.state, request=request,
                   data={"target": complaint.target_key, "category": category,
                         "evidence": len(evidence)})
        _tell_complainant(complaint, "filed", due=complaint.accept_due.isoformat())
        _tell_handlers(complaint, "filed", due=complaint.accept_due.isoformat())
    return complaint


# --- the workflow ---------------------------------------------------------------------------------
def _check(step):
    target, now = step.target, timezone.now()
    if target == ComplaintState.DECLINED and not step.reason:
        raise ComplaintError(gettext("Say why the complaint is declined."),
                             code="reason_required", field="reason")
    if target in (ComplaintState.ACCEPTED, ComplaintState.DECLINED):
        step.changes["decided_at"] = now
    elif target == ComplaintState.RESOLVED:
        if not step.reason:
            raise ComplaintError(gettext("Write the outcome of the investigation."),
                                 code="outcome_required", field="reason")
        step.changes.update(outcome=step.reason, resolved_at=now,
                            close_due=now + timedelta(days=settings.COMPLAINT_CLOSE_DAYS))
    elif target in (ComplaintState.CLOSED, ComplaintState.WITHDRAWN):
        step.changes["closed_at"] = now


def _after(step):
    complaint = step.obj
    event = f"{step.target}:{step.record.pk}"
    _tell_complainant(complaint, event, reason=step.reason)
    if step.actor is None or step.actor.pk == complaint.complainant_id:
        _tell_handlers(complaint, event, reason=step.reason)


COMPLAINT_WORKFLOW = Workflow(
    model=Complaint, states=ComplaintState, edges=COMPLAINT_EDGES, permissions=permissions,
    history=ComplaintTransition, audit="portal.complaint",
    messages={
        "illegal": gettext_lazy("A complaint that is “%(from)s” cannot become “%(to)s”."),
        "denied": gettext_lazy("You may not make this complaint “%(to)s”."),
    },
    error=ComplaintError, before=_check, after=_after,
)


def accept(complaint, *, actor, reason=""):
    return COMPLAINT_WORKFLOW.transition(complaint, ComplaintState.ACCEPTED, actor=actor,
                                         reason=reason)


def decline(complaint, *, actor, reason):
    return COMPLAINT_WORKFLOW.transition(complaint, ComplaintState.DECLINED, actor=actor,
                                         reason=reason)


def start_investigation(complaint, *, actor, reason=""):
    return COMPLAINT_WORKFLOW.transition(complaint, ComplaintState.INVESTIGATING, actor=actor,
                                         reason=reason)


def resolve(complaint, *, actor, outcome):
    return COMPLAINT_WORKFLOW.transition(complaint, ComplaintState.RESOLVED, actor=actor,
                                         reason=outcome)


def withdraw(complaint, *, actor, reason=""):
    return COMPLAINT_WORKFLOW.transition(complaint, ComplaintState.WITHDRAWN, actor=actor,
                                         reason=reason)


def give_feedback(complaint, *, actor, feedback, satisfied):
    """The complainant's answer to the outcome; it closes the case."""
    return COMPLAINT_WORKFLOW.transition(
        complaint, ComplaintState.CLOSED, actor=actor, reason=(feedback or "").strip(),
        feedback=(feedback or "").strip(), satisfied=satisfied,
    )


# --- the case file --------------------------------------------------------------------------------
def _locked(complaint):
    return Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)


def _entry(complaint, *, kind, actor, text, allowed, refusal, request=None, files=()):
    text = (text or "").strip()
    if not text:
        raise ComplaintError(gettext("Write something first."), code="required", field="text")
    with transaction.atomic():
        locked = _locked(complaint)
        if not allowed(actor, locked):
            raise ComplaintError(refusal, code="permission_denied")
        entry = ComplaintEntry.objects.create(complaint=locked, kind=kind, author=actor,
                                              text=text)
        for upload in files:
            store_upload(upload, kind=FileKind.ATTACHMENT, uploaded_by=actor,
                         attach_to=locked)
        log_action(f"portal.complaint.{kind}", actor=actor, obj=locked, request=request,
                   data={"entry": entry.pk, "files": len(files)})
    return locked, entry


def add_information(complaint, *, actor, text, files=(), request=None):
    """The complainant adds information (and evidence) while the case is open."""
    locked, entry = _entry(complaint, kind=EntryKind.ADDITION, actor=actor, text=text,
                           files=files, allowed=permissions.can_add_information.test,
                           refusal=gettext("Information can be added while the case is open."),
                           request=request)
    _tell_handlers(locked, f"addition:{entry.pk}")
    return entry


def add_note(complaint, *, actor, text, request=None):
    """An internal note of the staff (never shown to the complainant or the party)."""
    return _entry(complaint, kind=EntryKind.NOTE, actor=actor, text=text,
                  allowed=permissions.can_write_note.test,
                  refusal=gettext("You may not write notes on this case."), request=request)[1]


def share_with_party(complaint, *, actor, text, request=None):
    """Staff tell the party complained about what they decide to share (never who complained
    when the complainant asked for anonymity; that is up to what the staff write)."""
    locked, entry = _entry(complaint, kind=EntryKind.SHARED, actor=actor, text=text,
                           allowed=permissions.can_share.test,
                           refusal=gettext("You may not share this case."), request=request)
    party_ids = list(locked.parties.values_list("pk", flat=True))
    if party_ids:
        notify_many(recipient_ids=party_ids, kind="complaint.shared",
                    context={"number": locked.number, "target": locked.target_label},
                    idempotency_key=f"complaint:{locked.pk}:shared:{entry.pk}", obj=locked,
                    url=f"/complaints/{locked.number}/party/")
    return entry


def respond_as_party(complaint, *, actor, text, request=None):
    locked, entry = _entry(complaint, kind=EntryKind.RESPONSE, actor=actor, text=text,
                           allowed=permissions.can_respond_as_party.test,
                           refusal=gettext("You may not answer this case."), request=request)
    _tell_handlers(locked, f"response:{entry.pk}")
    return entry


# --- Torch staff and the clock --------------------------------------------------------------------
def take_over(complaint, *, actor, reason="", request=None):
    """Torch staff take the case over from the host unit."""
    with transaction.atomic():
        locked = _locked(complaint)
        if not permissions.can_take_over(actor, locked):
            raise ComplaintError(gettext("This case cannot be taken over."),
                                 code="permission_denied")
        locked.handled_by_torch = True
        locked.taken_over_by = actor
        locked.taken_over_at = timezone.now()
        locked.save(update_fields=["handled_by_torch", "taken_over_by", "taken_over_at",
                                   "updated_at"])
        log_action("portal.complaint.take_over", actor=actor, obj=locked, request=request,
                   data={"reason": reason} if reason else None)
        _tell_complainant(locked, "taken_over")
    return locked


def escalate(complaint, *, now=None):
    """The system escalates an overdue case to Torch staff (once)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(complaint)
        if (locked.escalated_at is not None or locked.state != ComplaintState.RECEIVED
                or locked.accept_due >= timezone.localdate(now)):
            return False
        locked.escalated_at = now
        locked.save(update_fields=["escalated_at", "updated_at"])
        log_action("portal.complaint.escalate", obj=locked,
                   data={"accept_due": locked.accept_due.isoformat()})
        ids = torch_staff_ids()
        if ids:
            notify_many(recipient_ids=ids, kind="complaint.to_handle",
                        context=_context(locked, event="escalated"),
                        idempotency_key=f"complaint:{locked.pk}:escalated", obj=locked,
                        url=locked.get_absolute_url())
        _tell_complainant(locked, "escalated")
    return True


def run_clock(*, now=None):
    """The beat task: escalate what is overdue, close what was resolved long enough ago.
    Returns ``(escalated, closed)``."""
    now = now or timezone.now()
    escalated = closed = 0
    overdue = Complaint.objects.filter(state=ComplaintState.RECEIVED, escalated_at__isnull=True,
                                       accept_due__lt=timezone.localdate(now))
    for complaint in overdue.only("pk"):
        escalated += escalate(complaint, now=now)
    expired = Complaint.objects.filter(state=ComplaintState.RESOLVED, close_due__lte=now)
    for complaint in expired.only("pk", "state"):
        try:
            COMPLAINT_WORKFLOW.transition(
                complaint, ComplaintState.CLOSED, actor=None,
                reason=gettext("Closed automatically: no feedback within %(days)s days.")
                % {"days": settings.COMPLAINT_CLOSE_DAYS})
        except ComplaintError:
            continue
        closed += 1
    return escalated, closed


# --- re-checks ------------------------------------------------------------------------------------
def reviewer_candidates(complaint):
    """Who may review a re-check: the target app's pool less its exclusions (those who
    judged the round, those with a conflict with either side) and the complainant."""
    kind = target_kind(complaint)
    obj = target_object(complaint)
    if kind is None or kind.recheck is None or obj is None:
        return get_user_model().objects.none()
    excluded = set(kind.recheck.excluded_reviewers(obj)) | {complaint.complainant_id}
    return kind.recheck.reviewer_pool(obj).exclude(pk__in=[pk for pk in excluded if pk])


def assign_reviewer(complaint, *, actor, reviewer, request=None):
    with transaction.atomic():
        locked = _locked(complaint)
        if not permissions.can_assign_reviewer(actor, locked):
            raise ComplaintError(gettext("You may not assign a reviewer to this case."),
                                 code="permission_denied")
        if not reviewer_candidates(locked).filter(pk=reviewer.pk).exists():
            raise ComplaintError(
                gettext("This person judged the result or has a conflict with a side, and "
                        "cannot review it."), code="excluded_reviewer", field="reviewer")
        locked.reviewer = reviewer
        locked.save(update_fields=["reviewer", "updated_at"])
        log_action("portal.complaint.assign_reviewer", actor=actor, obj=locked,
                   request=request, data={"reviewer": reviewer.pk})
    return locked


# --- the audit trail of a case --------------------------------------------------------------------
def audit_entries(complaint):
    """The audit-log entries of the complaint and of the object it is about, oldest first."""
    entries = list(entries_for_object(complaint))
    obj = target_object(complaint)
    if obj is not None:
        entries += list(entries_for_object(obj))
    return sorted(entries, key=lambda entry: entry.sequence)


def log_audit_export(complaint, *, actor, request=None):
    log_action("portal.complaint.export_audit", actor=actor, obj=complaint, request=request)


# --- disputes -------------------------------------------------------------------------------------
def _tell_dispute(dispute, event, *, skip=None):
    ids = {dispute.side_a_id, dispute.side_b_id} | set(
        HostMembership.objects.filter(host_unit_id=dispute.host_unit_id)
        .values_list("user_id", flat=True))
    ids = [pk for pk in ids if pk and (skip is None or pk != skip.pk)]
    if ids:
        notify_many(recipient_ids=ids, kind="dispute.update",
                    context={"number": dispute.number, "subject": dispute.subject,
                             "state": dispute.state, "event": event.split(":")[0]},
                    idempotency_key=f"dispute:{dispute.pk}:{event}", obj=dispute,
                    url=dispute.get_absolute_url())


def file_dispute(*, filer, host_unit, subject, other_party_email, position, request=None):
    """One party files a dispute with the other, named by the e-mail of their account; the
    host unit's staff mediate."""
    subject, position = (subject or "").strip(), (position or "").strip()
    if not subject or not position:
        raise ComplaintError(gettext("Give the subject and your position."), code="required",
                             field="position" if subject else "subject")
    other = (get_user_model().objects
             .filter(email__iexact=(other_party_email or "").strip(), is_active=True).first())
    if other is None or other.pk == filer.pk:
        raise ComplaintError(gettext("No other participant has an account with this e-mail."),
                             code="no_party", field="other_party_email")
    if not isinstance(host_unit, HostUnit):
        raise ComplaintError(gettext("Choose the host unit."), field="host_unit")
    with transaction.atomic():
        dispute = Dispute.objects.create(host_unit=host_unit, subject=subject, side_a=filer,
                                         side_b=other)
        dispute.number = f"JF{timezone.localdate():%Y}{dispute.pk:06d}"
        dispute.save(update_fields=["number"])
        DisputePosition.objects.create(dispute=dispute, side=DisputeSide.A, author=filer,
                                       text=position)
        log_action("portal.dispute.file", actor=filer, obj=dispute, request=request,
                   to_state=dispute.state)
        _tell_dispute(dispute, "filed", skip=filer)
    return dispute


def state_position(dispute, *, actor, text, request=None):
    """A side writes (or rewrites) its position while the dispute is open."""
    text = (text or "").strip()
    if not text:
        raise ComplaintError(gettext("Write your position."), code="required", field="text")
    with transaction.atomic():
        locked = Dispute.objects.select_for_update(of=("self",)).get(pk=dispute.pk)
        if not permissions.can_state_position(actor, locked):
            raise ComplaintError(gettext("You may not state a position here."),
                                 code="permission_denied")
        side = DisputeSide.A if actor.pk == locked.side_a_id else DisputeSide.B
        DisputePosition.objects.update_or_create(dispute=locked, side=side,
                                                 defaults={"text": text, "author": actor})
        log_action("portal.dispute.position", actor=actor, obj=locked, request=request,
                   data={"side": side})
        _tell_dispute(locked, f"position:{side}:{timezone.now().timestamp()}", skip=actor)
    return locked


def record_mediation(dispute, *, actor, held_on, text, request=None):
    text = (text or "").strip()
    if not text or held_on is None:
        raise ComplaintError(gettext("Give the date and what was discussed."),
                             code="required", field="text")
    with transaction.atomic():
        locked = Dispute.objects.select_for_update(of=("self",)).get(pk=dispute.pk)
        if not permissions.can_record_mediation(actor, locked):
            raise ComplaintError(gettext("You may not record a mediation here."),
                                 code="permission_denied")
        record = MediationRecord.objects.create(dispute=locked, mediator=actor,
                                                held_on=held_on, text=text)
        log_action("portal.dispute.mediation", actor=actor, obj=locked, request=request,
                   data={"record": record.pk})
        _tell_dispute(locked, f"mediation:{record.pk}", skip=actor)
    if locked.state == DisputeState.OPEN:
        DISPUTE_WORKFLOW.transition(locked, DisputeState.MEDIATION, actor=actor)
    return record


def _dispute_check(step):
    if step.target in (DisputeState.SETTLED, DisputeState.UNSETTLED):
        if not step.reason:
            raise ComplaintError(gettext("Write the outcome of the mediation."),
                                 code="outcome_required", field="reason")
        step.changes.update(outcome=step.reason, closed_at=timezone.now())


def _dispute_after(step):
    _tell_dispute(step.obj, f"{step.target}:{step.record.pk}", skip=step.actor)


DISPUTE_WORKFLOW = Workflow(
    model=Dispute, states=DisputeState, edges=DISPUTE_EDGES, permissions=permissions,
    history=DisputeTransition, audit="portal.dispute", error=ComplaintError,
    before=_dispute_check, after=_dispute_after,
)


def close_dispute(dispute, *, actor, settled, outcome):
    return DISPUTE_WORKFLOW.transition(
        dispute, DisputeState.SETTLED if settled else DisputeState.UNSETTLED, actor=actor,
        reason=outcome)


__all__ = ["OPEN_STATES", "ComplaintError"]
