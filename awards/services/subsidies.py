"""Subsidies: a host unit's policies, entered by its staff; applications by a matched demand's
organisation, decided through ``SUBSIDY_WORKFLOW``."""

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
from ..enums import LIVE_SUBSIDY_STATES, SUBSIDY_EDGES, SubsidyState
from ..models import SubsidyApplication, SubsidyApplicationTransition, SubsidyPolicy
from .base import AwardError, _amount, _host_staff, _members


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
