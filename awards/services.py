"""Every write of the awards app: host staff make an award to the winning challenger; both sides
acknowledge the clause (the prize only rewards the challenger, it is never a condition for
technology transfer, licensing or exclusive cooperation); the demand side records the payment
(date, amount, proof file); the challenger confirms receipt; overdue payments are reminded once a
day (Celery beat). Each change is audited, its notifications written in the same transaction."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import MembershipState
from accounts.models import Membership
from accounts.permissions import is_org_member
from audit.services import log_action
from common.errors import DomainError
from common.workflow import Workflow
from contests.permissions import is_host_staff_of
from notifications.services import notify_many

from . import permissions
from .enums import (
    AWARD_EDGES,
    CLAUSE,
    LIVE_SUBSIDY_STATES,
    SERVICE_EDGES,
    SUBSIDY_EDGES,
    AwardState,
    ServiceState,
    SubsidyState,
)
from .models import (
    Award,
    AwardTransition,
    ServiceRequest,
    ServiceRequestTransition,
    SubsidyApplication,
    SubsidyApplicationTransition,
    SubsidyPolicy,
)


class AwardError(DomainError):
    default_code = "award_refused"


def _members(*organisation_ids):
    return set(Membership.objects.filter(organisation_id__in=organisation_ids,
                                         state=MembershipState.ACTIVE, user__is_active=True)
               .values_list("user_id", flat=True))


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


def _amount(value, field):
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise AwardError(_("Give an amount."), field=field) from None
    if not amount.is_finite() or amount <= 0:
        raise AwardError(_("The amount must be above zero."), field=field)
    return amount


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


# --- technology contracts ------------------------------------------------------------------------
def register_contract(agreement, *, number, kind, amount, signed_on, actor, request=None):
    """Either side of a confirmed intention agreement (or the unit's staff) registers the
    signed technology contract."""
    from matching.enums import AgreementState

    from .enums import ContractKind
    from .models import TechnologyContract

    demand = agreement.demand
    if not (is_org_member(actor, agreement.partner_id)
            or is_org_member(actor, demand.organisation_id)
            or is_host_staff_of(actor, demand.host_unit_id)):
        raise AwardError(_("Only the two sides or the unit's staff register its contracts."),
                         code="permission_denied")
    if agreement.state != AgreementState.CONFIRMED:
        raise AwardError(_("Only a confirmed intention agreement takes contracts."),
                         code="state")
    number = (number or "").strip()
    if not number:
        raise AwardError(_("Give the contract number."), field="number")
    if kind not in ContractKind.values:
        raise AwardError(_("Choose the contract type."), field="kind")
    if signed_on > timezone.localdate():
        raise AwardError(_("The signing date cannot be in the future."), field="signed_on")
    amount = _amount(amount, "amount")
    with transaction.atomic():
        if TechnologyContract.objects.filter(number=number).exists():
            raise AwardError(_("A contract with this number is registered already."),
                             field="number")
        contract = TechnologyContract.objects.create(
            agreement=agreement, host_unit_id=demand.host_unit_id, number=number, kind=kind,
            amount=amount, signed_on=signed_on, registered_by=actor)
        log_action("portal.awards.contract.register", actor=actor, obj=contract,
                   data={"agreement": agreement.pk, "number": number, "kind": kind,
                         "amount": str(amount)}, request=request)
    return contract


def flag_contract(contract, *, priority, note, actor, request=None):
    """Host staff flag (or unflag) a contract for priority in local S&T programmes."""
    if not permissions.can_flag_contract.test(actor, contract):
        raise AwardError(_("Only the unit's staff flag contracts."), code="permission_denied")
    with transaction.atomic():
        contract.priority, contract.priority_note = bool(priority), (note or "").strip()
        contract.save(update_fields=["priority", "priority_note"])
        log_action("portal.awards.contract.flag", actor=actor, obj=contract,
                   data={"priority": contract.priority, "note": contract.priority_note},
                   request=request)
    return contract


# --- service requests -----------------------------------------------------------------------------
SERVICE_WORKFLOW = Workflow(
    model=ServiceRequest, states=ServiceState, edges=SERVICE_EDGES, permissions=permissions,
    history=ServiceRequestTransition, audit="portal.awards.service",
    messages={"illegal": gettext_lazy("The request is not at this step."),
              "denied": gettext_lazy("You may not take this step of the request.")},
    error=AwardError)


def _host_staff(host_unit_id):
    from contests.models import HostMembership

    return set(HostMembership.objects.filter(host_unit_id=host_unit_id)
               .values_list("user_id", flat=True))


def _tell_service(service, user_ids, key, message):
    notify_many(recipient_ids=sorted(set(user_ids)), kind="awards.service",
                context={"kind": str(service.get_kind_display()), "message": str(message)},
                idempotency_key=f"service:{service.pk}:{key}",
                url=service.get_absolute_url(), obj=service)


def ask_service(*, host_unit, kind, description, actor, request=None):
    """Any signed-in participant asks a host unit for one of the five services."""
    from .enums import ServiceKind

    if kind not in ServiceKind.values:
        raise AwardError(_("Choose a service."), field="kind")
    description = (description or "").strip()
    if not description:
        raise AwardError(_("Say what you need."), field="description")
    with transaction.atomic():
        service = ServiceRequest.objects.create(host_unit=host_unit, kind=kind,
                                                description=description, requester=actor)
        log_action("portal.awards.service.ask", actor=actor, obj=service,
                   data={"kind": kind, "host_unit": host_unit.pk}, request=request)
        _tell_service(service, _host_staff(host_unit.pk), "asked",
                      _("A new service request awaits assignment."))
    return service


def assign_service(service, provider, *, actor, request=None):
    """Host staff assign the request to a provider (a service agency)."""
    from accounts.enums import OrganisationKind

    if provider.kind != OrganisationKind.SERVICE_AGENCY:
        raise AwardError(_("The provider is a service agency."), field="provider")
    with transaction.atomic():
        locked = SERVICE_WORKFLOW.transition(service, "assign", actor=actor,
                                                request=request, provider=provider,
                                                assigned_by=actor,
                                                data={"provider": provider.pk})
        _tell_service(locked, _members(provider.pk) | {locked.requester_id}, "assigned",
                      _("The request is assigned to %(name)s.") % {"name": provider.name})
    service.refresh_from_db()
    return service


def complete_service(service, *, outcome, actor, request=None):
    outcome = (outcome or "").strip()
    if not outcome:
        raise AwardError(_("Describe the outcome."), field="outcome")
    with transaction.atomic():
        locked = SERVICE_WORKFLOW.transition(service, "complete", actor=actor,
                                                request=request, outcome=outcome)
        _tell_service(locked, {locked.requester_id}, "completed",
                      _("The service is completed; please rate it."))
    service.refresh_from_db()
    return service


def rate_service(service, *, rating, comment, actor, request=None):
    """The requester rates a completed service (1–5), once."""
    if service.requester_id != actor.pk:
        raise AwardError(_("Only the requester rates the service."), code="permission_denied")
    if rating not in range(1, 6):
        raise AwardError(_("Rate from 1 to 5."), field="rating")
    with transaction.atomic():
        locked = ServiceRequest.objects.select_for_update().get(pk=service.pk)
        if locked.state != ServiceState.COMPLETED:
            raise AwardError(_("Only a completed service is rated."), code="state")
        if locked.rating is not None:
            raise AwardError(_("You have rated this service already."), code="rated")
        locked.rating, locked.rating_comment = rating, (comment or "").strip()
        locked.save(update_fields=["rating", "rating_comment", "updated_at"])
        log_action("portal.awards.service.rate", actor=actor, obj=locked,
                   data={"rating": rating}, request=request)
    service.refresh_from_db()
    return service


# --- follow-ups -----------------------------------------------------------------------------------
FOLLOW_UP_MONTHS = (3, 6, 12)


def _add_months(day, months):
    import calendar

    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month,
                       day=min(day.day, calendar.monthrange(year, month)[1]))


def schedule_follow_ups(today=None):
    """For every confirmed intention agreement (a matched demand), the follow-ups at 3, 6 and
    12 months after its date (idempotent); the demand side is told of each one due today or
    overdue and not reported, once. Run daily by Celery beat. Returns (created, reminded)."""
    from matching.enums import AgreementState
    from matching.models import IntentionAgreement

    from .models import FollowUp

    today = today or timezone.localdate()
    created = 0
    missing = IntentionAgreement.objects.filter(state=AgreementState.CONFIRMED).exclude(
        follow_ups__months=12).select_related("demand")
    for agreement in missing:
        with transaction.atomic():
            for months in FOLLOW_UP_MONTHS:
                _row, made = FollowUp.objects.get_or_create(
                    agreement=agreement, months=months,
                    defaults={"host_unit_id": agreement.demand.host_unit_id,
                              "due_on": _add_months(agreement.signed_on, months)})
                created += made
            log_action("portal.awards.follow_up.schedule", actor=None, obj=agreement,
                       data={"months": list(FOLLOW_UP_MONTHS)})
    reminded = 0
    for follow_up in FollowUp.objects.filter(due_on__lte=today, reported_at__isnull=True
                                             ).select_related("agreement__demand"):
        notify_many(recipient_ids=sorted(_members(follow_up.agreement.demand.organisation_id)),
                    kind="awards.follow_up",
                    context={"months": follow_up.months, "ref": follow_up.agreement.demand.ref,
                             "due_on": follow_up.due_on.isoformat()},
                    idempotency_key=f"follow_up:{follow_up.pk}:due",
                    url=follow_up.get_absolute_url(), obj=follow_up)
        reminded += 1
    return created, reminded


def report_progress(follow_up, *, figures, progress, actor, request=None):
    """The demand side reports the progress in figures and words (may correct it until
    evaluated)."""
    if not permissions.can_report_follow_up.test(actor, follow_up):
        raise AwardError(_("Only the demand side reports its progress."),
                         code="permission_denied")
    if follow_up.evaluated_at is not None:
        raise AwardError(_("The follow-up is evaluated; its report is fixed."), code="state")
    if follow_up.due_on > timezone.localdate():
        raise AwardError(_("This follow-up is not due yet."), code="not_due")
    progress = (progress or "").strip()
    if not progress:
        raise AwardError(_("Describe the progress in words too."), field="progress")
    with transaction.atomic():
        for name in ("contract_value", "patents_filed", "products_launched", "jobs_created"):
            setattr(follow_up, name, figures.get(name))
        follow_up.progress, follow_up.reported_by = progress, actor
        follow_up.reported_at = timezone.now()
        follow_up.save()
        log_action("portal.awards.follow_up.report", actor=actor, obj=follow_up,
                   data={k: str(v) for k, v in figures.items()}, request=request)
    return follow_up


def evaluate_follow_up(follow_up, *, evaluation, actor, request=None):
    if not permissions.can_evaluate_follow_up.test(actor, follow_up):
        raise AwardError(_("Only the unit's staff evaluate the effect."),
                         code="permission_denied")
    if follow_up.reported_at is None:
        raise AwardError(_("The demand side has not reported yet."), code="state")
    evaluation = (evaluation or "").strip()
    if not evaluation:
        raise AwardError(_("Write the evaluation."), field="evaluation")
    with transaction.atomic():
        follow_up.evaluation, follow_up.evaluated_by = evaluation, actor
        follow_up.evaluated_at = timezone.now()
        follow_up.save(update_fields=["evaluation", "evaluated_by", "evaluated_at"])
        log_action("portal.awards.follow_up.evaluate", actor=actor, obj=follow_up,
                   request=request)
    return follow_up


# --- subsidies ----------------------------------------------------------------------------------
def _tell_subsidy(application, user_ids, key, message):
    notify_many(recipient_ids=sorted(set(user_ids)), kind="awards.subsidy",
                context={"policy": application.policy.title, "message": str(message)},
                idempotency_key=f"subsidy:{application.pk}:{key}",
                url=application.get_absolute_url(), obj=application)


def _subsidy_before(step):
    """The approved amount is checked on the locked row, against the policy as it is now."""
    if step.edge.name == "approve":
        amount = step.changes["amount_approved"]
        if amount > step.obj.amount_asked:
            raise AwardError(_("The approved amount cannot exceed the amount asked."),
                             field="amount")
        if amount > step.obj.policy.max_amount:
            raise AwardError(_("The approved amount cannot exceed the policy's maximum."),
                             field="amount")


def _subsidy_after(step):
    """Each step is told: a decision to the applying organisation's members, a withdrawal to
    the unit's staff."""
    application = step.obj
    if step.edge.name == "approve":
        _tell_subsidy(application, _members(application.organisation_id), "approved",
                      _("The subsidy is approved: %(amount)s (10k yuan).")
                      % {"amount": application.amount_approved})
    elif step.edge.name == "decline":
        _tell_subsidy(application, _members(application.organisation_id), "declined",
                      _("The subsidy application is declined: %(reason)s")
                      % {"reason": application.decision_reason})
    elif step.edge.name == "withdraw":
        _tell_subsidy(application, _host_staff(application.host_unit_id), "withdrawn",
                      _("The applicant withdrew the subsidy application."))


SUBSIDY_WORKFLOW = Workflow(
    model=SubsidyApplication, states=SubsidyState, edges=SUBSIDY_EDGES,
    permissions=permissions, history=SubsidyApplicationTransition,
    audit="portal.awards.subsidy", select_related=("policy",),
    messages={"illegal": gettext_lazy("The subsidy application is not awaiting decision."),
              "denied": gettext_lazy("You may not take this step of the subsidy application.")},
    error=AwardError, before=_subsidy_before, after=_subsidy_after)

POLICY_FIELDS = ("title", "description", "max_amount", "eligibility", "opens_on", "closes_on",
                 "work_plan")


def check_policy(host_unit, *, title, description, max_amount, eligibility, opens_on,
                 closes_on, work_plan=None):
    """The values of a policy, cleaned; raises ``AwardError`` on the first wrong one (the
    admin's form calls it too)."""
    values = {"title": (title or "").strip(), "description": (description or "").strip(),
              "eligibility": (eligibility or "").strip()}
    for name, message in (("title", _("Give the policy a title.")),
                          ("description", _("Describe the policy.")),
                          ("eligibility", _("Say who may apply."))):
        if not values[name]:
            raise AwardError(message, field=name)
    values["max_amount"] = _amount(max_amount, "max_amount")
    if opens_on is None or closes_on is None:
        raise AwardError(_("Give the open period."), field="opens_on")
    if closes_on < opens_on:
        raise AwardError(_("The policy cannot close before it opens."), field="closes_on")
    if work_plan is not None and work_plan.host_unit_id != host_unit.pk:
        raise AwardError(_("The work plan is another unit's."), field="work_plan")
    values.update(opens_on=opens_on, closes_on=closes_on, work_plan=work_plan)
    return values


def save_policy(host_unit, *, actor, policy=None, request=None, **fields):
    """Host staff of ``host_unit`` enter a subsidy policy (or change ``policy``, one of the
    unit's); ``fields`` as :func:`check_policy` takes them."""
    if not is_host_staff_of(actor, host_unit.pk) or (
            policy is not None and policy.pk and policy.host_unit_id != host_unit.pk):
        raise AwardError(_("Only the unit's staff enter its subsidy policies."),
                         code="permission_denied")
    values = check_policy(host_unit, **{name: fields.get(name) for name in POLICY_FIELDS})
    with transaction.atomic():
        if policy is None or not policy.pk:
            policy = SubsidyPolicy.objects.create(host_unit=host_unit, created_by=actor,
                                                  **values)
            verb = "create"
        else:
            policy = SubsidyPolicy.objects.select_for_update().get(pk=policy.pk)
            for name, value in values.items():
                setattr(policy, name, value)
            policy.save()
            verb = "change"
        log_action(f"portal.awards.subsidy_policy.{verb}", actor=actor, obj=policy,
                   data={"title": policy.title, "max_amount": str(policy.max_amount),
                         "opens_on": policy.opens_on.isoformat(),
                         "closes_on": policy.closes_on.isoformat(),
                         "work_plan": policy.work_plan_id}, request=request)
    return policy


def delete_policy(policy, *, actor, request=None):
    """Host staff remove a policy nobody applied under."""
    if not is_host_staff_of(actor, policy.host_unit_id):
        raise AwardError(_("Only the unit's staff enter its subsidy policies."),
                         code="permission_denied")
    with transaction.atomic():
        if policy.applications.exists():
            raise AwardError(_("A policy with applications is kept."), code="in_use")
        log_action("portal.awards.subsidy_policy.delete", actor=actor, obj=policy,
                   data={"title": policy.title}, request=request)
        policy.delete()


def apply_for_subsidy(policy, agreement, *, amount, justification, actor, files=(),
                      request=None):
    """A member of a matched demand's organisation (a confirmed intention agreement of a demand
    at the policy's unit) applies while the policy is open; the supporting files are stored
    private, attached to the application. The unit's staff are told."""
    from files.enums import FileKind
    from files.services import store_upload
    from matching.enums import AgreementState

    demand = agreement.demand
    if not is_org_member(actor, demand.organisation_id):
        raise AwardError(_("Only the matched demand's organisation applies."),
                         code="permission_denied")
    if agreement.state != AgreementState.CONFIRMED:
        raise AwardError(_("Only a demand matched by a confirmed intention agreement "
                           "applies."), field="agreement")
    if demand.host_unit_id != policy.host_unit_id:
        raise AwardError(_("The policy is another host unit's."), field="agreement")
    if not policy.is_open_on(timezone.localdate()):
        raise AwardError(_("The policy is not open for applications today."), code="closed")
    amount = _amount(amount, "amount")
    if amount > policy.max_amount:
        raise AwardError(_("The amount asked cannot exceed the policy's maximum of "
                           "%(max)s (10k yuan).") % {"max": policy.max_amount}, field="amount")
    justification = (justification or "").strip()
    if not justification:
        raise AwardError(_("Say why the subsidy is asked."), field="justification")
    with transaction.atomic():
        # The agreement's row is the lock two members applying at once queue on.
        type(agreement).objects.select_for_update().filter(pk=agreement.pk).first()
        if SubsidyApplication.objects.filter(policy=policy, agreement=agreement,
                                             state__in=LIVE_SUBSIDY_STATES).exists():
            raise AwardError(_("This matched demand has an application under this policy "
                               "already."), field="agreement")
        application = SubsidyApplication.objects.create(
            policy=policy, host_unit_id=policy.host_unit_id, agreement=agreement,
            organisation_id=demand.organisation_id, applicant=actor, amount_asked=amount,
            justification=justification)
        for upload in files:
            store_upload(upload, kind=FileKind.ATTACHMENT, uploaded_by=actor,
                         attach_to=application)
        log_action("portal.awards.subsidy.apply", actor=actor, obj=application,
                   data={"policy": policy.pk, "agreement": agreement.pk,
                         "amount": str(amount), "files": len(files)}, request=request)
        _tell_subsidy(application, _host_staff(policy.host_unit_id), "submitted",
                      _("A subsidy application awaits your decision."))
    return application


def approve_subsidy(application, *, amount, actor, reason="", request=None):
    """Host staff of the unit approve an amount: above zero, at most the amount asked and the
    policy's maximum."""
    amount = _amount(amount, "amount")
    with transaction.atomic():
        SUBSIDY_WORKFLOW.transition(application, "approve", actor=actor, reason=reason,
                                    request=request, amount_approved=amount,
                                    decision_reason=(reason or "").strip(), decided_by=actor,
                                    decided_at=timezone.now(), data={"amount": str(amount)})
    application.refresh_from_db()
    return application


def decline_subsidy(application, *, reason, actor, request=None):
    """Host staff of the unit decline, with the reason the applicant reads."""
    reason = (reason or "").strip()
    if not reason:
        raise AwardError(_("Give the reason for declining."), field="reason")
    with transaction.atomic():
        SUBSIDY_WORKFLOW.transition(application, "decline", actor=actor, reason=reason,
                                    request=request, decision_reason=reason, decided_by=actor,
                                    decided_at=timezone.now())
    application.refresh_from_db()
    return application


def withdraw_subsidy(application, *, actor, reason="", request=None):
    """The applying organisation withdraws while the application awaits decision."""
    with transaction.atomic():
        SUBSIDY_WORKFLOW.transition(application, "withdraw", actor=actor, reason=reason,
                                    request=request)
    application.refresh_from_db()
    return application
