"""The scorecard of each host unit (监督和评价), filled from the data: what exists on this
branch (demands collected and published, complaints received, overdue and escalated, the
work plan's timeliness) plus Torch staff's rating and comments. Answers, docking sessions,
agreements and live rounds are added as rows here when their apps are merged."""

from dataclasses import dataclass

from django.db.models import Count, F, Min, Q
from django.utils.translation import gettext_lazy as _

from complaints.enums import ComplaintState
from complaints.models import Complaint
from contests.models import HostUnit

from . import funnel


@dataclass
class Scorecard:
    unit: HostUnit
    figures: list  # [(label, value)]
    plan_state: str
    plan_on_time: bool | None
    evaluation: object


def scorecards(unit_ids):
    """One scorecard per host unit in scope (``None``: all), in a fixed number of queries."""
    units = (HostUnit.objects.select_related("event", "work_plan", "evaluation")
             .annotate(first_stage=Min("work_plan__stages__starts_on"))
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
        cards.append(Scorecard(unit=unit, figures=figures,
                               plan_state=plan.get_state_display() if plan else "",
                               plan_on_time=on_time,
                               evaluation=getattr(unit, "evaluation", None)))
    return cards


__all__ = ["Scorecard", "scorecards"]
