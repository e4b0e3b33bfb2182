"""The national calendar of every host unit's stages, from the work plans (协调各地赛事安排)."""

from dataclasses import dataclass

from common.regions import PROVINCES, province_code
from contests.enums import WORK_PLAN_REVIEW_STATES, Stage, WorkPlanState
from contests.models import WorkPlanStage


@dataclass
class CalendarRow:
    stage: WorkPlanStage
    unit: object
    province: str
    approved: bool
    clashes: list


def calendar(*, complete):
    """The stages of approved work plans by start date; ``complete`` (Torch staff) adds the
    plans under review (marked as not approved) and the live-round clashes: two host units of
    one province whose live rounds overlap."""
    states = [WorkPlanState.APPROVED]
    if complete:
        states += list(WORK_PLAN_REVIEW_STATES)
    stages = (WorkPlanStage.objects.filter(work_plan__state__in=states)
              .select_related("work_plan__host_unit__event")
              .order_by("starts_on", "work_plan__host_unit__event__number", "pk"))
    rows = []
    for stage in stages:
        unit = stage.work_plan.host_unit
        rows.append(CalendarRow(stage=stage, unit=unit,
                                province=PROVINCES.get(province_code(unit.region), ""),
                                approved=stage.work_plan.state == WorkPlanState.APPROVED,
                                clashes=[]))
    if complete:
        flag_clashes(rows)
    return rows


def flag_clashes(rows):
    """Mark each live round that overlaps another unit's live round in the same province."""
    live = [row for row in rows if row.stage.stage == Stage.LIVE_ROUND]
    for index, row in enumerate(live):
        for other in live[index + 1:]:
            if other.stage.starts_on > row.stage.ends_on:
                break  # sorted by start: no later one overlaps
            if (other.unit.pk != row.unit.pk
                    and province_code(other.unit.region) == province_code(row.unit.region)):
                row.clashes.append(other.unit)
                other.clashes.append(row.unit)
    return [row for row in live if row.clashes]
