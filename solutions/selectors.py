"""Reads of the solutions app: who sees which solution, the lists and the comparison, the
clarification threads, and the "every demand answered" figures. Lists cost a fixed number of
queries whatever their length."""

import datetime
import statistics

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.utils import timezone

from accounts.enums import MembershipState
from accounts.models import Membership
from accounts.permissions import is_expert, is_torch_staff
from contests.models import HostMembership, HostUnit
from contests.permissions import staffed_host_unit_ids
from contests.selectors import of_host_units
from demands.enums import PUBLIC_STATES, AccessState, DemandStatus
from demands.models import AccessRequest, Demand, ExpertAssignment, Indicator
from files.models import PrivateFile

from .enums import LIVE_STATES
from .models import (
    ClarificationMessage,
    ClarificationThread,
    DemandResponse,
    IndicatorAnswer,
    Solution,
    SolutionTransition,
    SolutionVersion,
    ThreadRead,
)


# --- responses (the interface the matching app uses) ------------------------------------------
def _responses_of_demand():
    return DemandResponse.objects.filter(demand=OuterRef("pk"))


def answered(demands):
    """The demands of ``demands`` that have at least one response."""
    return demands.filter(Exists(_responses_of_demand()))


def unanswered(demands):
    """The demands of ``demands`` that have no response yet."""
    return demands.filter(~Exists(_responses_of_demand()))


def first_response_at(demands):
    """``demands`` annotated with ``first_response_at`` (None while unanswered)."""
    first = (_responses_of_demand().order_by().values("demand")
             .annotate(first=Min("at")).values("first")[:1])
    return demands.annotate(first_response_at=Subquery(first))


# --- who sees a solution ----------------------------------------------------------------------
def _member_q(user, lookup):
    return Exists(Membership.objects.filter(user=user, organisation_id=OuterRef(lookup),
                                            state=MembershipState.ACTIVE))


def solutions_visible_to(user):
    """Mirrors ``permissions.can_view_solution``: the challenger organisation's members; once
    submitted, the owner's members, the host unit's staff, Torch staff and assigned experts."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Solution.objects.none()
    reached = Q(submitted_at__isnull=False)
    if is_torch_staff(user):
        return Solution.objects.filter(Q(_member_q(user, "organisation_id")) | reached)
    demand_side = Q(_member_q(user, "demand__organisation_id")) | Q(Exists(
        HostMembership.objects.filter(user=user, host_unit_id=OuterRef("demand__host_unit_id"))))
    if is_expert(user):
        demand_side |= Q(Exists(ExpertAssignment.objects.filter(
            expert=user, demand_id=OuterRef("demand_id"))))
    return Solution.objects.filter(Q(_member_q(user, "organisation_id")) | (demand_side & reached))


def solution_detail(user, pk):
    """One solution with what its page shows, or ``Solution.DoesNotExist`` (a 404)."""
    return (solutions_visible_to(user)
            .select_related("demand__host_unit__event__contest", "demand__organisation",
                            "organisation", "created_by")
            .prefetch_related(
                Prefetch("answers", queryset=IndicatorAnswer.objects.all()),
                Prefetch("attachments",
                         queryset=PrivateFile.objects.order_by("created_at", "pk")),
                Prefetch("transitions", queryset=SolutionTransition.objects
                         .select_related("actor").order_by("at", "pk")),
                Prefetch("versions", queryset=SolutionVersion.objects.only(
                    "pk", "solution_id", "number", "created_at", "created_by_id")),
            )
            .get(pk=pk))


def indicator_rows(solution, indicators=None):
    """``[(indicator, answer or None)]`` for every indicator of the demand: an unanswered one
    stays in the list."""
    indicators = indicators if indicators is not None else list(solution.demand.indicators.all())
    answers = {answer.indicator_id: answer for answer in solution.answers.all()}
    return [(indicator, answers.get(indicator.pk)) for indicator in indicators]


def demand_solutions(demand, *, status="", trl_min=None, cost_max=None, mode=""):
    """The submitted solutions of one demand for its owner's list (drafts are the challenger's
    own), newest first, filterable."""
    queryset = (Solution.objects.filter(demand=demand, submitted_at__isnull=False)
                .select_related("organisation")
                .defer("summary", "approach", "team_members"))
    if status:
        queryset = queryset.filter(status=status)
    if trl_min:
        queryset = queryset.filter(trl__gte=trl_min)
    if cost_max is not None:
        queryset = queryset.filter(cost__lte=cost_max)
    if mode:
        queryset = queryset.filter(cooperation_mode=mode)
    return queryset.order_by("-submitted_at", "-pk")


def comparison(demand, ids):
    """Up to four of the demand's submitted solutions, side by side, indicator by indicator:
    ``(indicators, [(solution, [answer or None per indicator])])``."""
    solutions = list(
        Solution.objects.filter(demand=demand, submitted_at__isnull=False, pk__in=list(ids)[:4])
        .select_related("organisation").prefetch_related("answers").order_by("pk"))
    indicators = list(Indicator.objects.filter(demand=demand).order_by("position", "pk"))
    columns = []
    for solution in solutions:
        answers = {answer.indicator_id: answer for answer in solution.answers.all()}
        columns.append((solution, [answers.get(indicator.pk) for indicator in indicators]))
    return indicators, columns


def my_solutions(user):
    """The solutions of the user's organisations, with the demand's deadline."""
    if not user.is_authenticated:
        return Solution.objects.none()
    return (Solution.objects.filter(_member_q(user, "organisation_id"))
            .select_related("demand", "organisation")
            .only("pk", "title", "status", "submitted_at", "updated_at", "version",
                  "organisation__name", "demand__ref", "demand__solution_deadline",
                  "demand__status", "demand__public_snapshot", "demand__title",
                  "demand__hidden_fields")
            .order_by("-updated_at", "-pk"))


def unanswered_by_me(user):
    """Published demands the user was granted access to whose organisations have no live
    solution yet."""
    if not user.is_authenticated:
        return Demand.objects.none()
    mine = Solution.objects.filter(demand_id=OuterRef("pk"), status__in=LIVE_STATES).filter(
        _member_q(user, "organisation_id"))
    granted = AccessRequest.objects.filter(user=user, state=AccessState.GRANTED)
    return (Demand.objects.filter(pk__in=granted.values("demand_id"),
                                  status=DemandStatus.PUBLISHED)
            .filter(~Exists(mine)).only("pk", "ref", "public_snapshot", "solution_deadline")
            .order_by("solution_deadline", "pk"))


# --- clarification threads --------------------------------------------------------------------
def threads_visible_to(user, demand):
    """The asker sees its own threads, the owner's side sees all of the demand's threads."""
    from . import permissions

    threads = ClarificationThread.objects.filter(demand=demand)
    if permissions.can_answer_clarifications(user, demand) or is_torch_staff(user):
        return threads
    if not user.is_authenticated:
        return threads.none()
    return threads.filter(asker=user)


def with_unread(threads, user):
    """Each thread annotated with ``unread``: the other side's messages since the user read it."""
    read_at = ThreadRead.objects.filter(thread=OuterRef("thread_id"), user=user).values("read_at")
    unread = (ClarificationMessage.objects.filter(thread=OuterRef("pk")).exclude(author=user)
              .filter(Q(created_at__gt=Subquery(read_at[:1]))
                      | ~Exists(ThreadRead.objects.filter(thread=OuterRef("thread_id"),
                                                          user=user)))
              .order_by().values("thread").annotate(n=Count("pk")).values("n"))
    return threads.annotate(unread=Subquery(unread[:1]))


def unread_count(user):
    """Messages the user has not read in the threads of the user's side."""
    if not user.is_authenticated:
        return 0
    threads = ClarificationThread.objects.filter(
        Q(asker=user) | Q(_member_q(user, "demand__organisation_id"))
        | Q(demand__host_unit_id__in=list(staffed_host_unit_ids(user))))
    rows = with_unread(threads, user).values_list("unread", flat=True)
    return sum(n or 0 for n in rows)


def published_questions(demand):
    return (ClarificationThread.objects.filter(demand=demand, published_at__isnull=False)
            .only("pk", "published_question", "published_answer", "published_at")
            .order_by("-published_at"))


# --- every demand answered --------------------------------------------------------------------
def published_scope(user):
    """The published (or since closed) demands of the user's host units, all for Torch."""
    return of_host_units(Demand.objects.filter(status__in=PUBLIC_STATES,
                                               published_at__isnull=False), user)


def unanswered_board(user, *, host_unit=None, now=None):
    """The organiser's board: the open, unanswered demands of the user's units, oldest first,
    each with ``due`` (published + the unit's response days), ``days_left`` and ``overdue``."""
    now = now or timezone.now()
    queryset = unanswered(published_scope(user).filter(status=DemandStatus.PUBLISHED))
    if host_unit is not None:
        queryset = queryset.filter(host_unit=host_unit)
    return (queryset.select_related("host_unit")
            .only("pk", "ref", "title", "published_at", "host_unit__name",
                  "host_unit__response_deadline_days")
            .order_by("published_at", "pk"))


def board_rows(demands, *, now=None):
    now = now or timezone.now()
    rows = []
    for demand in demands:
        due = demand.published_at + datetime.timedelta(days=demand.host_unit.response_deadline_days)
        days_left = (timezone.localdate(due) - timezone.localdate(now)).days
        rows.append({"demand": demand, "due": due, "days_left": days_left, "overdue": due <= now})
    return rows


def overdue_for_unit(unit, *, now=None):
    """The unit's open unanswered demands past its response deadline."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=unit.response_deadline_days)
    return unanswered(Demand.objects.filter(host_unit=unit, status=DemandStatus.PUBLISHED,
                                            published_at__lte=cutoff))


def response_figures(user):
    """Per host unit (the user's, or all for Torch): published demands, how many answered, the
    share answered and the median days to first response; and the same across those units.
    Counted in the database in one scan on PostgreSQL (``GROUP BY ROLLUP`` gives the units and
    the whole at once); elsewhere in Python."""
    demands = first_response_at(published_scope(user)).order_by()
    if connection.vendor == "postgresql":
        counted = _counted_in_one_scan(demands)
    else:
        counted = _counted_here(demands)
    overall = counted.pop(None, (0, 0, None))
    units = {unit.pk: unit for unit in HostUnit.objects.filter(pk__in=list(counted))}

    def figures(total, answered_count, median_seconds):
        return {"total": total, "answered": answered_count,
                "share": (answered_count / total) if total else None,
                "median_days": (round(max(median_seconds / 86400, 0), 1)
                                if median_seconds is not None else None)}

    rows = [{"unit": units[unit_id], **figures(*row)} for unit_id, row in counted.items()]
    rows.sort(key=lambda row: (row["unit"].name, row["unit"].pk))
    return rows, figures(*overall)


def _counted_in_one_scan(demands):
    """{host unit id, or None for all of them: (published, answered, median seconds)}."""
    inner, params = (demands.values("host_unit_id", "published_at", "first_response_at")
                     .query.sql_with_params())
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT host_unit_id, count(*), count(first_response_at), "
            "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM "
            "first_response_at - published_at)) FILTER (WHERE first_response_at IS NOT NULL) "
            f"FROM ({inner}) AS scope GROUP BY ROLLUP (host_unit_id)", params)
        return {unit_id: (total, answered_count, median)
                for unit_id, total, answered_count, median in cursor.fetchall()}


def _counted_here(demands):
    """The same as :func:`_counted_in_one_scan`, the medians in Python (SQLite has none)."""
    counted, delays = {}, {}
    for unit_id, published_at, first in demands.values_list(
            "host_unit_id", "published_at", "first_response_at"):
        total, answered_count = counted.get(unit_id, (0, 0))
        counted[unit_id] = (total + 1, answered_count + (first is not None))
        if first is not None:
            delays.setdefault(unit_id, []).append((first - published_at).total_seconds())
    every = [delay for unit_delays in delays.values() for delay in unit_delays]
    result = {unit_id: (total, answered_count,
                        statistics.median(delays[unit_id]) if unit_id in delays else None)
              for unit_id, (total, answered_count) in counted.items()}
    if counted:
        result[None] = (sum(row[0] for row in counted.values()),
                        sum(row[1] for row in counted.values()),
                        statistics.median(every) if every else None)
    return result


def status_counts(queryset):
    return dict(queryset.order_by().values("status").annotate(n=Count("pk"))
                .values_list("status", "n"))





def solutions_managed_by(user):
    """Submitted solutions to the demands of the user's host units (all for Torch staff): the
    admin's scope. A draft is the challenger's own."""
    return of_host_units(Solution.objects.filter(submitted_at__isnull=False), user,
                         "demand__host_unit")
