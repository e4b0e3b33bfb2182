"""Follow-ups 3, 6 and 12 months after each confirmed intention agreement: scheduled and
reminded daily (Celery beat), reported by the demand side, evaluated by the unit's staff."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import log_action
from notifications.services import notify_many

from .. import permissions
from .base import AwardError, _members

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

    from ..models import FollowUp

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
