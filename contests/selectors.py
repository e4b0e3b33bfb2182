"""Reads: what each user may see of contest data, in a fixed number of queries."""

from django.db.models import Count, Prefetch, Q

from accounts.enums import MembershipState
from accounts.models import Membership
from accounts.permissions import is_torch_staff

from .enums import (
    EVENT_KIND_GROUPS,
    WORK_PLAN_REVIEW_STATES,
    EventKind,
    SummaryState,
    WorkPlanState,
)
from .models import (
    ChallengeNotice,
    ComplaintChannel,
    Contest,
    Event,
    HostMembership,
    HostUnit,
    SummaryReport,
    WorkPlan,
    WorkPlanStage,
)
from .permissions import staffed_host_unit_ids


def current_contest():
    return Contest.objects.filter(is_current=True).first()


def events_with_hosts(contest):
    """The contest's events with their fields and host units, in four queries."""
    return (
        Event.objects.filter(contest=contest)
        .prefetch_related(
            "fields",
            Prefetch(
                "host_units",
                queryset=HostUnit.objects.order_by("pk").prefetch_related("fields"),
            ),
        )
        .order_by("number")
    )


def group_events(events):
    """``[(group heading, [events])]`` in EventKind order, skipping empty groups."""
    groups = {kind: [] for kind in EventKind}
    for event in events:
        groups[EventKind(event.kind)].append(event)
    return [(EVENT_KIND_GROUPS[kind], items) for kind, items in groups.items() if items]


# --- host scoping -----------------------------------------------------------------------------
def host_units_of(user):
    """The host units whose data the user may see and manage: all of them for Torch Center
    staff (and superusers), the units the user is a staff member of for everyone else, none
    for anonymous users."""
    return of_host_units(HostUnit.objects.all(), user, "pk")


def of_host_units(queryset, user, host_unit_lookup="host_unit"):
    """The rows of ``queryset`` that belong (through ``host_unit_lookup``) to a host unit the
    user may see: all of them for Torch staff, those of the user's own units for host staff,
    none for anybody else. The one host-scoping filter the selectors below are built on."""
    if is_torch_staff(user):
        return queryset
    ids = staffed_host_unit_ids(user)
    if not ids:
        return queryset.none()
    return queryset.filter(**{f"{host_unit_lookup}__in": ids})


def events_hosted_for(user):
    """The events of the host units the user may see."""
    return Event.objects.filter(pk__in=of_host_units(HostUnit.objects.all(), user, "pk")
                                .values("event_id"))


def host_memberships_visible_to(user):
    """Who is on the staff of the host units the user may see."""
    return of_host_units(HostMembership.objects.all(), user)


def work_plans_visible_to(user):
    return of_host_units(WorkPlan.objects.all(), user)


def notices_visible_to(user):
    """Challenge notices of the user's host units, published or not (the organiser's view;
    the public sees :func:`published_notices`)."""
    return of_host_units(ChallengeNotice.objects.all(), user)


def complaint_channels_visible_to(user):
    return of_host_units(ComplaintChannel.objects.all(), user)


def organisation_ids_on_staff(user):
    """The organisations with an active member on the staff of a host unit the user may see
    (for the accounts admin's organisation scope)."""
    members = host_memberships_visible_to(user).values("user_id")
    return Membership.objects.filter(user_id__in=members, state=MembershipState.ACTIVE).values(
        "organisation_id")


def staffed_host_units(user):
    """Only the units the user is a member of (the organiser pages), whatever the user's
    roles, with what the organiser dashboard shows about each."""
    ids = staffed_host_unit_ids(user)
    return (
        HostUnit.objects.filter(pk__in=ids)
        .select_related("event", "work_plan")
        .annotate(
            notice_count=Count("notices", distinct=True),
            published_notice_count=Count(
                "notices", filter=Q(notices__is_published=True), distinct=True
            ),
            channel_count=Count("complaint_channels", distinct=True),
        )
        .select_related("summary_report")
        .order_by("event__number", "pk")
    )


# --- public pages -----------------------------------------------------------------------------
def published_notices():
    return ChallengeNotice.objects.filter(is_published=True).order_by("-published_at", "-pk")


def latest_published_notices(limit=6):
    return published_notices().select_related("host_unit")[:limit]


def host_unit_page(slug):
    """A host unit with what its public page shows, prefetched: fields, published notices,
    complaint channels, and the stage dates of its approved work plan."""
    return HostUnit.objects.select_related("event").prefetch_related(
        "fields",
        Prefetch("notices", queryset=published_notices(), to_attr="published_notices"),
        Prefetch("complaint_channels", queryset=ComplaintChannel.objects.order_by("position",
                                                                                    "pk")),
    ).get(slug=slug)


def approved_stages(host_unit):
    """Stage rows of the unit's approved work plan, in lifecycle order; [] without one."""
    plan = (
        WorkPlan.objects.filter(host_unit=host_unit, state=WorkPlanState.APPROVED)
        .prefetch_related("stages")
        .first()
    )
    return plan.ordered_stages() if plan else []


# --- work plans -------------------------------------------------------------------------------
def work_plan_with_history(plan_pk):
    return (
        WorkPlan.objects.select_related("host_unit__event", "decided_by")
        .prefetch_related(
            Prefetch("stages", queryset=WorkPlanStage.objects.order_by("pk")),
            "transitions__actor",
        )
        .get(pk=plan_pk)
    )


def work_plans_for_review(state=None):
    """Plans for the Torch Center's list: by default those waiting for a decision."""
    plans = WorkPlan.objects.select_related("host_unit__event")
    if state:
        plans = plans.filter(state=state)
    else:
        plans = plans.filter(state__in=WORK_PLAN_REVIEW_STATES)
    return plans.order_by("submitted_at", "pk")


def event_stages(contest, today=None):
    """``{event id: (stage code or "", state)}``: the stage each event is in today, from the
    approved work plans of its host units. ``state`` is ``"current"`` (the stage most of its
    units are in), ``"upcoming"`` (none has started: the first stage to come), ``"finished"``
    (every stage is over) or ``"unplanned"`` (no approved plan yet). Two queries."""
    from collections import Counter

    from django.utils import timezone

    from .enums import STAGE_ORDER

    today = today or timezone.localdate()
    rows = WorkPlanStage.objects.filter(
        work_plan__state=WorkPlanState.APPROVED,
        work_plan__host_unit__event__contest=contest,
    ).values_list("work_plan__host_unit__event_id", "stage", "starts_on", "ends_on")
    per_event = {}
    for event_id, stage, starts_on, ends_on in rows:
        per_event.setdefault(event_id, []).append((stage, starts_on, ends_on))
    result = {}
    for event_id in Event.objects.filter(contest=contest).values_list("pk", flat=True):
        stages = per_event.get(event_id)
        if not stages:
            result[event_id] = ("", "unplanned")
            continue
        current = Counter(stage for stage, start, end in stages if start <= today <= end)
        if current:
            best = max(current.items(), key=lambda item: (item[1], -STAGE_ORDER.index(item[0])))
            result[event_id] = (best[0], "current")
        elif all(end < today for _stage, _start, end in stages):
            result[event_id] = ("", "finished")
        else:
            upcoming = min((start, STAGE_ORDER.index(stage), stage)
                           for stage, start, _end in stages if start > today)
            result[event_id] = (upcoming[2], "upcoming")
    return result


# --- summary reports --------------------------------------------------------------------------
def summary_reports_visible_to(user):
    """The summary reports of the units the user may see (all for Torch staff)."""
    return of_host_units(SummaryReport.objects.all(), user)


def summary_report_with_history(pk):
    return (SummaryReport.objects.select_related("host_unit__event", "reviewed_by")
            .prefetch_related("transitions__actor").get(pk=pk))


# What "pending" means on the Torch Center's list: not submitted yet (no report, a draft, or
# returned for revision), or submitted and not reviewed.
SUMMARY_FILTERS = ("pending", "unsubmitted", "awaiting_review", "reviewed", "all")


def summary_overview(status="pending"):
    """Every host unit with its report (``unit.report``, None when not started) and the
    ``unit.summary_status`` of the Torch Center's list, filtered by ``status`` (one of
    :data:`SUMMARY_FILTERS`). Two queries."""
    units = list(HostUnit.objects.select_related("event").order_by("event__number", "pk"))
    reports = {report.host_unit_id: report for report in SummaryReport.objects.all()}
    rows = []
    for unit in units:
        unit.report = reports.get(unit.pk)
        state = unit.report.state if unit.report else ""
        if state == SummaryState.REVIEWED:
            unit.summary_status = "reviewed"
        elif state == SummaryState.SUBMITTED:
            unit.summary_status = "awaiting_review"
        else:
            unit.summary_status = "unsubmitted"
        if status == "all" or unit.summary_status == status or (
                status == "pending" and unit.summary_status != "reviewed"):
            rows.append(unit)
    return rows


def summary_reports_pending(unit_ids=None):
    """How many summary reports are pending: for Torch staff (``unit_ids`` None) the submitted
    reports
    awaiting their review; for host staff the units of ``unit_ids`` whose report is not
    submitted yet (none, a draft, or returned)."""
    if unit_ids is None:
        return SummaryReport.objects.filter(state=SummaryState.SUBMITTED).count()
    ids = list(unit_ids)
    done = SummaryReport.objects.filter(
        host_unit_id__in=ids, state__in=[SummaryState.SUBMITTED, SummaryState.REVIEWED]).count()
    return len(set(ids)) - done
