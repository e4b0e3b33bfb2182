"""Prizes: host staff make an award to the winning challenger; both sides acknowledge the clause;
the demand side records the payment; the challenger confirms receipt; overdue payments are
reminded once a day (Celery beat)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import is_org_member
from audit.services import log_action
from common.workflow import Workflow
from contests.permissions import is_host_staff_of
from notifications.services import notify_many

from .. import permissions
from ..enums import AWARD_EDGES, CLAUSE, AwardState
from ..models import Award, AwardTransition
from .base import AwardError, _amount, _members


def _tell(award, user_ids, key, message):
    notify_many(recipient_ids=sorted(set(user_ids)), kind="awards.award",
                context={"title": award.title, "amount": str(award.amount),
                         "message": str(message)},
                idempotency_key=f"award:{award.pk}:{key}", url=award.get_absolute_url(),
                obj=award)


AWARD_WORKFLOW = Workflow(
    model=Award, states=AwardState, edges=AWARD_EDGES, permissions=permissions,
    history=AwardTransition, audit="portal.awards.award",
    messages={"illegal": gettext_lazy("The award is not at this step."),
              "denied": gettext_lazy("You may not take this step of the award.")},
    error=AwardError,
)


def make_award(demand, recipient, *, title, amount, due_on, actor, live_round=None,
               request=None):
    """Host staff of the demand's unit award ``recipient`` (a challenger of the demand's round
    when one is given); the demand's organisation pays."""
    if not is_host_staff_of(actor, demand.host_unit_id):
        raise AwardError(_("Only the host unit's staff make awards for this demand."),
                         code="permission_denied")
    if recipient.pk == demand.organisation_id:
        raise AwardError(_("The demand's own organisation cannot be awarded."), field="recipient")
    if live_round is not None and (
            live_round.demand_id != demand.pk
            or not live_round.entries.filter(organisation=recipient).exists()):
        raise AwardError(_("The winner must be a challenger of this round."), field="recipient")
    amount = _amount(amount, "amount")
    with transaction.atomic():
        award = Award.objects.create(
            demand=demand, host_unit_id=demand.host_unit_id, live_round=live_round,
            recipient=recipient, payer_id=demand.organisation_id, title=title, amount=amount,
            due_on=due_on, clause=str(CLAUSE), created_by=actor)
        log_action("portal.awards.award.create", actor=actor, obj=award,
                   data={"recipient": recipient.pk, "amount": str(amount),
                         "due_on": due_on.isoformat()}, request=request)
        _tell(award, _members(award.payer_id, award.recipient_id), "made",
              _("Please read and acknowledge the clause of the award."))
    return award


def acknowledge(award, *, actor, request=None):
    """The actor acknowledges the clause for their side (payer or recipient); the second
    acknowledgement makes the award payable."""
    with transaction.atomic():
        locked = Award.objects.select_for_update().get(pk=award.pk)
        changed = []
        now = timezone.now()
        if is_org_member(actor, locked.payer_id) and locked.payer_ack_at is None:
            locked.payer_ack_by, locked.payer_ack_at = actor, now
            changed += ["payer_ack_by", "payer_ack_at"]
        if is_org_member(actor, locked.recipient_id) and locked.recipient_ack_at is None:
            locked.recipient_ack_by, locked.recipient_ack_at = actor, now
            changed += ["recipient_ack_by", "recipient_ack_at"]
        if not changed:
            if is_org_member(actor, locked.payer_id) or is_org_member(actor,
                                                                      locked.recipient_id):
                raise AwardError(_("Your side has acknowledged already."), code="done")
            raise AwardError(_("Only the two sides acknowledge the clause."),
                             code="permission_denied")
        locked.save(update_fields=[*changed, "updated_at"])
        log_action("portal.awards.award.acknowledge", actor=actor, obj=locked,
                   data={"fields": changed, "clause": locked.clause}, request=request)
        if locked.payer_ack_at and locked.recipient_ack_at:
            AWARD_WORKFLOW.transition(locked, "acknowledged", actor=None, request=request)
    award.refresh_from_db()
    return award


def record_payment(award, *, paid_on, amount, proof, actor, request=None):
    """The demand side records the payment: date, amount and the proof (a stored private
    file); the challenger is asked to confirm receipt."""
    amount = _amount(amount, "paid_amount")
    if paid_on > timezone.localdate():
        raise AwardError(_("The payment date cannot be in the future."), field="paid_on")
    if proof is None:
        raise AwardError(_("Attach the proof of payment."), field="proof")
    with transaction.atomic():
        locked = AWARD_WORKFLOW.transition(award, "pay", actor=actor, request=request,
                                           paid_on=paid_on, paid_amount=amount, proof=proof,
                                           data={"amount": str(amount)})
        _tell(locked, _members(locked.recipient_id), "paid",
              _("The demand side recorded the payment; please confirm receipt."))
    award.refresh_from_db()
    return award


def confirm_receipt(award, *, actor, request=None):
    with transaction.atomic():
        locked = AWARD_WORKFLOW.transition(award, "receive", actor=actor, request=request,
                                           received_by=actor, received_at=timezone.now())
        _tell(locked, _members(locked.payer_id), "received",
              _("The challenger confirmed receipt of the prize."))
    award.refresh_from_db()
    return award


def remind_overdue(today=None):
    """Remind the payer's members of every award past its date and not paid, once a day.
    Returns how many awards were reminded."""
    today = today or timezone.localdate()
    reminded = 0
    for pk in Award.objects.filter(
            state__in=[AwardState.OFFERED, AwardState.ACKNOWLEDGED], due_on__lt=today
    ).exclude(reminded_on=today).values_list("pk", flat=True):
        with transaction.atomic():
            award = Award.objects.select_for_update().get(pk=pk)
            if award.reminded_on == today or award.state not in (AwardState.OFFERED,
                                                                 AwardState.ACKNOWLEDGED):
                continue
            award.reminded_on = today
            award.save(update_fields=["reminded_on"])
            log_action("portal.awards.award.remind", actor=None, obj=award,
                       data={"due_on": award.due_on.isoformat()})
            _tell(award, _members(award.payer_id), f"overdue:{today.isoformat()}",
                  _("The prize was due on %(date)s and is not paid yet.")
                  % {"date": award.due_on.isoformat()})
            reminded += 1
    return reminded
