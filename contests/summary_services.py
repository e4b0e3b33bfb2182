"""Every write to the host units' summary reports (总结报告, seed 三(六)).

The unit's staff write the four sections (two editors at once are safe: ``common.concurrency``)
and submit; submitting freezes the figures (``contests.summary.freeze``) into the report. Torch
staff rate and comment, or return the report for revision with a reason; the unit's staff are
told either way, Torch staff are told of each submission. Refusals raise
:class:`contests.exceptions.ContestsError` (shown to the user) or
:class:`django.core.exceptions.PermissionDenied` (answered with 404 by views).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import RoleCode
from accounts.permissions import is_torch_staff
from audit.services import log_action
from common.concurrency import StaleEdit, check_edit_token, edit_token
from common.workflow import Workflow

from . import permissions
from .enums import SUMMARY_EDGES, SUMMARY_SECTIONS, SummaryAction, SummaryRating, SummaryState
from .exceptions import ContestsError, IllegalTransition
from .models import HostMembership, SummaryReport, SummaryReportTransition
from .permissions import is_host_staff_of
from .summary import freeze


def _require_host_staff(user, host_unit_id):
    if not is_host_staff_of(user, host_unit_id):
        raise PermissionDenied


def _require_torch(user):
    if not is_torch_staff(user):
        raise PermissionDenied


def summary_report_of(host_unit):
    """The unit's report, or a new unsaved draft."""
    return (SummaryReport.objects.filter(host_unit=host_unit).first()
            or SummaryReport(host_unit=host_unit))


def save_summary_report(host_unit, *, actor, sections, token=None):
    """Save the four sections (``sections``: a dict of ``implementation``, ``results``,
    ``shortcomings``, ``suggestions``) of the unit's report, creating the draft the first
    time. Host staff only, while the report is a draft or returned. ``token``: the
    version the form was opened at (``""`` from a form opened before the report existed);
    a report saved by someone else since raises :class:`StaleEdit`."""
    _require_host_staff(actor, host_unit.pk)
    values = {name: (sections.get(name) or "").strip() for name in SUMMARY_SECTIONS}
    try:
        with transaction.atomic():
            report = (SummaryReport.objects.select_for_update(of=("self",))
                      .filter(host_unit=host_unit).first())
            if report is None:
                report = SummaryReport.objects.create(host_unit=host_unit, created_by=actor,
                                                      **values)
                log_action("portal.summary_report.create", actor=actor, obj=report)
                return report
            check_edit_token(report, token)
            if not report.is_editable:
                raise ContestsError(
                    _("This summary report is %(state)s and cannot be changed now.")
                    % {"state": SummaryState(report.state).label}, code="locked")
            for name, value in values.items():
                setattr(report, name, value)
            report.save(update_fields=[*values, "updated_at"])
            log_action("portal.summary_report.save", actor=actor, obj=report)
            return report
    except IntegrityError:
        # Another editor created the report between our look and our insert.
        current = SummaryReport.objects.get(host_unit=host_unit)
        raise StaleEdit(current_token=edit_token(current)) from None


def missing_for_submission(report):
    """The sections still empty (labels)."""
    return [str(SummaryReport._meta.get_field(name).verbose_name) for name in SUMMARY_SECTIONS
            if not (getattr(report, name) or "").strip()]


def _torch_staff_ids():
    return list(get_user_model().objects.filter(roles__code=RoleCode.TORCH_STAFF,
                                                is_active=True)
                .values_list("pk", flat=True).distinct())


def _unit_staff_ids(host_unit_id):
    return list(HostMembership.objects.filter(host_unit_id=host_unit_id)
                .values_list("user_id", flat=True))


def _notify(kind, user_ids, report, event, *, url, reason=""):
    from notifications.services import notify_many

    if not user_ids:
        return
    # The rating goes as its key: each recipient's templates word it in their own language.
    context = {"event": event, "host_unit": report.host_unit.name, "reason": reason,
               "rating": report.rating}
    # One message per submission or decision: the count of history rows tells them apart.
    key = f"summary-report-{report.pk}-{event}-{report.transitions.count()}"
    notify_many(recipient_ids=user_ids, kind=kind, context=context, idempotency_key=key,
                url=url, obj=report)


def _before(step):
    """Submitting freezes the figures from the data of this moment; a decision records who
    decided, when, the rating (a review) and the comment."""
    now = timezone.now()
    if step.edge.action == SummaryAction.SUBMIT:
        step.changes.update(figures=freeze(step.obj.host_unit), figures_at=now,
                            submitted_at=now)
        step.data["figures"] = {row["key"]: row["value"] for row in step.changes["figures"]}
    else:
        step.changes.update(reviewed_at=now, reviewed_by=step.actor, review_comment=step.reason)
        if step.edge.action == SummaryAction.RETURN:
            step.changes["rating"] = ""


def _after(step):
    report = step.obj
    if step.edge.action == SummaryAction.SUBMIT:
        _notify("summary.submitted", _torch_staff_ids(), report, "submitted",
                url=reverse("contests:torch_summary", kwargs={"pk": report.pk}))
    else:
        _notify("summary.reviewed", _unit_staff_ids(report.host_unit_id), report,
                str(step.edge.action),
                url=reverse("contests:summary_edit", kwargs={"slug": report.host_unit.slug}),
                reason=step.reason)


_ACTION_PAST = {
    SummaryAction.SUBMIT: _("submitted"),
    SummaryAction.REVIEW: _("rated"),
    SummaryAction.RETURN: _("returned"),
}

SUMMARY_WORKFLOW = Workflow(
    model=SummaryReport, states=SummaryState, edges=SUMMARY_EDGES, permissions=permissions,
    history=SummaryReportTransition, audit="portal.summary_report",
    select_related=("host_unit",),
    messages={
        "illegal": _("A summary report that is “%(from)s” cannot be %(action)s. Allowed from: "
                     "%(allowed)s."),
    },
    action_labels=_ACTION_PAST, error=ContestsError, errors={"illegal": IllegalTransition},
    before=_before, after=_after,
)


def submit_summary_report(report, *, actor):
    """Host staff submit their unit's report to the Torch Center; its figures are filled in
    from the data now. Refused while a section is empty."""
    _require_host_staff(actor, report.host_unit_id)
    if report.pk is None:
        raise ContestsError(_("Save the summary report before submitting it."), code="unsaved")
    missing = missing_for_submission(report)
    if missing:
        raise ContestsError(
            _("The summary report cannot be submitted yet; please fill in: %(missing)s.")
            % {"missing": "、".join(missing)}, code="incomplete")
    return SUMMARY_WORKFLOW.transition(report, SummaryAction.SUBMIT, actor=actor)


def review_summary_report(report, *, actor, rating, comment=""):
    """Torch staff rate a submitted report (优秀 / 良好 / 合格 / 不合格) with a comment."""
    _require_torch(actor)
    if rating not in SummaryRating.values:
        raise ContestsError(_("Choose a rating."), code="rating_required", field="rating")
    return SUMMARY_WORKFLOW.transition(report, SummaryAction.REVIEW, actor=actor,
                                       reason=comment, rating=rating)


def return_summary_report(report, *, actor, comment):
    """Torch staff return a submitted report to its unit, saying what to revise."""
    _require_torch(actor)
    if not (comment or "").strip():
        raise ContestsError(_("Please say what the host unit should revise."),
                            code="comment_required", field="comment")
    return SUMMARY_WORKFLOW.transition(report, SummaryAction.RETURN, actor=actor,
                                       reason=comment)
