"""The scorecard of each host unit (监督和评价), filled from the data: the funnel's stages,
complaints received, overdue and escalated, the timeliness of the work plan and of the summary
report, plus Torch staff's rating and comments."""

from dataclasses import dataclass

from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.enums import ComplaintState
from complaints.models import Complaint
from contests.enums import Stage
from contests.models import HostUnit

from . import funnel


@dataclass
class Scorecard:
    unit: HostUnit
    figures: list  # [(label, value)]
    plan_state: str
    plan_on_time: bool | None
    evaluation: object
    summary_state: str = ""
    # Submitted by the last day of the work plan's summary stage (None: no such date yet, or
    # not due yet); a report still unsubmitted after that day is late.
    summary_on_time: bool | None = None


def summary_on_time(report, due, today):
    """Whether the unit's summary report came on time, by Shanghai dates."""
    if due is None:
        return None
    if report is not None and report.submitted_at:
        return timezone.localdate(report.submitted_at) <= due
    return False if today > due else None


def scorecards(unit_ids):
    """One scorecard per host unit in scope (``None``: all), in a fixed number of queries."""
    today = timezone.localdate()
    units = (HostUnit.objects.select_related("event", "work_plan", "evaluation", "summary_report")
             .annotate(first_stage=Min("work_plan__stages__starts_on"),
                       summary_due=Min("work_plan__stages__ends_on",
                                       filter=Q(work_plan__stages__stage=Stage.SUMMARY)))
             .order_by("event__number", "pk"))
    if unit_ids is not None:
        units = units.filter(pk__in=list(unit_ids))
    per_stage = {stage.key: dict(funnel.scoped(stage, unit_ids).order_by()
                                 .values_list(stage.host_unit).annotate(n=Count("pk"))
                                 .values_list(stage.host_unit, "n"))
                 for stage in funnel.STAGES}
    complaints = Complaint.objects.filter(host_unit__isnull=False)
    if unit_ids is not None:
        complaints = complaints.filter(host_unit_id__in=list(unit_ids))
    late = Q(decided_at__date__gt=F("accept_due")) | Q(
        state=ComplaintState.RECEIVED, escalated_at__isnull=False)
    complaint_rows = {row["host_unit"]: row for row in complaints.order_by().values("host_unit")
                      .annotate(received=Count("pk"), late=Count("pk", filter=late),
                                escalated=Count("pk", filter=Q(escalated_at__isnull=False)))}
    cards = []
    for unit in units:
        plan = getattr(unit, "work_plan", None)
        on_time = None
        if plan is not None and plan.submitted_at and unit.first_stage:
            on_time = plan.submitted_at.date() <= unit.first_stage
        row = complaint_rows.get(unit.pk, {})
        figures = [(stage.label, per_stage[stage.key].get(unit.pk, 0))
                   for stage in funnel.STAGES]
        figures += [(_("Complaints received"), row.get("received", 0)),
                    (_("Complaints answered late or overdue"), row.get("late", 0)),
                    (_("Complaints escalated to the Torch Center"), row.get("escalated", 0))]
        report = getattr(unit, "summary_report", None)
        cards.append(Scorecard(unit=unit, figures=figures,
                               plan_state=plan.get_state_display() if plan else "",
                               plan_on_time=on_time,
                               evaluation=getattr(unit, "evaluation", None),
                               summary_state=report.get_state_display() if report else "",
                               summary_on_time=summary_on_time(report, unit.summary_due,
                                                               today)))
    return cards


__all__ = ["Scorecard", "scorecards"]
