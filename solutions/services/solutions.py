"""Writing, submitting, revising, withdrawing and deciding solutions. Each function is one
change: it checks, writes, logs and notifies in one transaction."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from accounts.permissions import is_challenger, is_org_member
from audit.services import log_action
from common.workflow import Workflow
from demands.enums import DemandStatus
from demands.models import Demand
from demands.services.access import has_signed_agreements
from files.enums import FileKind
from files.services import store_upload

from .. import permissions
from ..enums import (
    DECISIONS,
    LIVE_STATES,
    SOLUTION_EDGES,
    SUBMITTED_STATES,
    IPStatus,
    ResponseKind,
    SolutionStatus,
)
from ..models import IndicatorAnswer, Solution, SolutionTransition, SolutionVersion
from .base import (
    SolutionError,
    accepting,
    deadline_passed,
    member_ids,
    notify_ids,
)
from .responses import record_response

# What a form may set on a solution.
CONTENT_FIELDS = ("title", "summary", "approach", "trl", "ip_status", "patent_numbers",
                  "team_lead", "team_members", "team_institution", "cost", "duration_months",
                  "cooperation_mode")
# What submitting requires.
REQUIRED = ("title", "summary", "approach", "trl", "team_lead", "cost", "duration_months",
            "cooperation_mode")


def _labels():
    return {name: str(Solution._meta.get_field(name).verbose_name) for name in CONTENT_FIELDS}


# --- checks -------------------------------------------------------------------------------------
def _check_open(demand, *, verb):
    if demand.status != DemandStatus.PUBLISHED:
        raise SolutionError(gettext("This demand no longer accepts solutions (it is “%(status)s”).")
                            % {"status": DemandStatus(demand.status).label}, code="not_open")
    if deadline_passed(demand):
        raise SolutionError(gettext("The deadline for solutions (%(date)s, end of the day, Beijing "
                                    "time) has passed; %(verb)s is no longer possible.")
                            % {"date": demand.solution_deadline, "verb": verb}, code="deadline")


def _check_challenger(user, organisation, demand):
    if not is_challenger(user) or not is_org_member(user, organisation):
        raise SolutionError(gettext("Only active members of a challenger organisation can answer "
                                    "a demand."), code="not_challenger")
    if demand.organisation_id == organisation.pk:
        raise SolutionError(gettext("An organisation cannot answer its own demand."),
                            code="own_demand")
    if not has_signed_agreements(user, demand):
        raise SolutionError(gettext("Sign the current non-disclosure agreement and disclaimer "
                                    "first."), code="agreements")


def submission_problems(solution):
    """``[(field, message)]`` of what a solution still lacks before it can be submitted."""
    problems = []
    labels = _labels()
    for name in REQUIRED:
        if getattr(solution, name) in (None, "", []):
            problems.append((name, gettext("%(field)s is required.") % {"field": labels[name]}))
    modes = solution.demand.cooperation_modes or []
    if solution.cooperation_mode and modes and solution.cooperation_mode not in modes:
        problems.append(("cooperation_mode", gettext("Choose one of the demand's cooperation "
                                                     "modes.")))
    if solution.ip_status in (IPStatus.FILED, IPStatus.GRANTED) and not solution.patent_numbers:
        problems.append(("patent_numbers", gettext("List the patent numbers.")))
    return problems


# --- content ----------------------------------------------------------------------------------
def snapshot(solution):
    """The solution's content as one JSON mapping (what a version keeps)."""
    data = {name: getattr(solution, name) for name in CONTENT_FIELDS}
    data["cost"] = (None if solution.cost is None
                    else format(Decimal(solution.cost).quantize(Decimal("0.01")), "f"))
    data["answers"] = {
        str(answer.indicator_id): {"promised_value": answer.promised_value,
                                   "verification": answer.verification, "note": answer.note}
        for answer in solution.answers.all()
    }
    data["attachments"] = sorted(item.original_name for item in solution.attachments.all())
    return data


def _write_content(solution, data, answers, uploads, *, actor):
    for name in CONTENT_FIELDS:
        if name in data:
            setattr(solution, name, data[name])
    if solution.cooperation_mode and solution.cooperation_mode not in (
            solution.demand.cooperation_modes or []):
        raise SolutionError(gettext("Choose one of the demand's cooperation modes."),
                            code="cooperation_mode", field="cooperation_mode")
    solution.full_clean(exclude=["demand", "organisation", "created_by", "status"])
    solution.save()
    if answers is not None:
        indicator_ids = set(solution.demand.indicators.values_list("pk", flat=True))
        IndicatorAnswer.objects.filter(solution=solution).delete()
        IndicatorAnswer.objects.bulk_create([
            IndicatorAnswer(solution=solution, indicator_id=indicator_id, **values)
            for indicator_id, values in answers.items()
            if indicator_id in indicator_ids and (values.get("promised_value") or "").strip()
        ])
    for upload in uploads or ():
        store_upload(upload, kind=FileKind.ATTACHMENT, uploaded_by=actor, attach_to=solution)


def create_solution(demand, *, actor, organisation, data, answers=None, uploads=(),
                    request=None):
    """A challenger organisation starts its solution to ``demand`` (a draft)."""
    with transaction.atomic():
        demand = Demand.objects.select_for_update().get(pk=demand.pk)
        _check_open(demand, verb=gettext("answering"))
        _check_challenger(actor, organisation, demand)
        if Solution.objects.filter(demand=demand, organisation=organisation,
                                   status__in=LIVE_STATES).exists():
            raise SolutionError(gettext("Your organisation already has a solution to this demand; "
                                        "open it from your workspace."), code="duplicate")
        solution = Solution(demand=demand, organisation=organisation, created_by=actor)
        try:
            with transaction.atomic():
                _write_content(solution, data, answers, uploads, actor=actor)
        except IntegrityError:
            raise SolutionError(gettext("Your organisation already has a solution to this "
                                        "demand."), code="duplicate") from None
        log_action("portal.solutions.created", actor=actor, obj=solution, request=request,
                   data={"demand": demand.pk})
    return solution


def update_solution(solution, *, actor, data, answers=None, uploads=(), request=None):
    """Change a draft, or a submitted solution before the deadline (which keeps the earlier
    version; owners and staff see what changed)."""
    with transaction.atomic():
        locked = (Solution.objects.select_for_update(of=("self",))
                  .select_related("demand").get(pk=solution.pk))
        if not permissions.can_write_solution(actor, locked):
            raise SolutionError(gettext("You may not change this solution."), code="denied")
        if locked.status not in (SolutionStatus.DRAFT, SolutionStatus.SUBMITTED,
                                 SolutionStatus.SHORTLISTED):
            raise SolutionError(gettext("A solution that is “%(status)s” can no longer be changed.")
                                % {"status": SolutionStatus(locked.status).label},
                                code="not_editable")
        _check_open(locked.demand, verb=gettext("changing the solution"))
        _write_content(locked, data, answers, uploads, actor=actor)
        if locked.status != SolutionStatus.DRAFT:
            problems = submission_problems(locked)
            if problems:
                raise SolutionError(" ".join(message for _f, message in problems),
                                    code="incomplete", field=problems[0][0])
            _new_version(locked, actor=actor)
            log_action("portal.solutions.revised", actor=actor, obj=locked, request=request,
                       data={"version": locked.version})
            _notify_demand_side(locked, kind="solution.revised",
                                key=f"solution:{locked.pk}:version:{locked.version}", skip=actor)
        else:
            log_action("portal.solutions.draft_saved", actor=actor, obj=locked, request=request)
    for name in (*CONTENT_FIELDS, "version", "updated_at"):
        setattr(solution, name, getattr(locked, name))
    return locked


def _new_version(solution, *, actor):
    solution.version += 1
    solution.save(update_fields=["version", "updated_at"])
    _keep_version(solution, actor=actor)


def _keep_version(solution, *, actor):
    SolutionVersion.objects.create(solution=solution, number=solution.version,
                                   content=snapshot(solution), created_by=actor)


# --- the workflow -----------------------------------------------------------------------------
def _before(step):
    solution, target = step.obj, step.target
    demand = solution.demand
    if target == SolutionStatus.SUBMITTED:
        _check_open(demand, verb=gettext("submitting"))
        if not has_signed_agreements(step.actor, demand):
            raise SolutionError(gettext("Sign the current non-disclosure agreement and "
                                        "disclaimer first."), code="agreements")
        problems = submission_problems(solution)
        if problems:
            raise SolutionError(gettext("The solution is not complete yet: %(list)s")
                                % {"list": " ".join(str(m) for _f, m in problems)},
                                code="incomplete")
        step.changes["submitted_at"] = timezone.now()
        step.changes["version"] = solution.version + 1
    elif target == SolutionStatus.WITHDRAWN:
        if deadline_passed(demand):
            raise SolutionError(gettext("The deadline has passed; the solution can no longer be "
                                        "withdrawn."), code="deadline")
    elif target in DECISIONS:
        if target == SolutionStatus.DECLINED and not step.reason:
            raise SolutionError(gettext("Say why the solution is declined; the challenger reads "
                                        "it."), code="reason_required", field="reason")
        step.changes["decided_at"] = timezone.now()
        step.changes["decision_reason"] = step.reason
        step.data["on_behalf"] = not permissions.demand_permissions.is_owner_member(
            step.actor, demand)


def _after(step):
    solution = step.obj
    key = f"solution:{solution.pk}:transition:{step.record.pk}"
    if step.target == SolutionStatus.SUBMITTED:
        _keep_version(solution, actor=step.actor)
        record_response(solution.demand, kind=ResponseKind.SOLUTION,
                        source_ref=f"solutions.Solution:{solution.pk}", actor=step.actor,
                        at=solution.submitted_at)
        _notify_demand_side(solution, kind="solution.submitted", key=key, skip=step.actor)
    context = {"title": solution.title, "demand": solution.demand.ref,
               "status": step.target.value, "reason": step.reason}
    notify_ids(member_ids(solution.organisation_id), kind="solution.status_changed", key=key,
               context=context, url=solution.get_absolute_url(), obj=solution, skip=step.actor)


def _notify_demand_side(solution, *, kind, key, skip=None):
    demand = solution.demand
    notify_ids(member_ids(demand.organisation_id), kind=kind, key=key,
               context={"title": solution.title, "demand": demand.ref,
                        "demand_title": demand.title},
               url=solution.get_absolute_url(), obj=solution, skip=skip)


SOLUTION_WORKFLOW = Workflow(
    model=Solution, states=SolutionStatus, edges=SOLUTION_EDGES, field="status",
    permissions=permissions, history=SolutionTransition, audit="portal.solutions",
    select_related=("demand", "organisation"),
    messages={
        "illegal": gettext_lazy("A solution that is “%(from)s” cannot become “%(to)s”."),
        "denied": gettext_lazy("You may not make this solution “%(to)s”."),
    },
    error=SolutionError, before=_before, after=_after,
)


def submit_solution(solution, *, actor, request=None):
    """Send a complete draft to the demand's owner (version 1)."""
    return SOLUTION_WORKFLOW.transition(solution, SolutionStatus.SUBMITTED, actor=actor,
                                        request=request)


def withdraw_solution(solution, *, actor, request=None):
    """The challenger takes its solution back (before the deadline)."""
    return SOLUTION_WORKFLOW.transition(solution, SolutionStatus.WITHDRAWN, actor=actor,
                                        request=request)


def decide_solution(solution, to_status, *, actor, reason="", request=None):
    """Shortlist, decline (with a reason the challenger reads) or select a solution: the
    owner's members, or host staff on the owner's behalf (recorded as such)."""
    try:
        to_status = SolutionStatus(to_status)
    except ValueError:
        raise SolutionError(gettext("Unknown decision."), code="unknown_state") from None
    if to_status not in DECISIONS:
        raise SolutionError(gettext("Unknown decision."), code="unknown_state")
    return SOLUTION_WORKFLOW.transition(solution, to_status, actor=actor, reason=reason,
                                        request=request)


# --- the demand stopped accepting -------------------------------------------------------------
def on_demand_ended(demand):
    """``demands.hooks.ended``: the demand was closed or withdrawn; tell each organisation that
    has a live solution (in the demand's transaction, through the outbox)."""
    organisation_ids = list(Solution.objects.filter(demand=demand, status__in=LIVE_STATES)
                            .values_list("organisation_id", flat=True).distinct())
    if not organisation_ids:
        return
    from accounts.enums import MembershipState
    from accounts.models import Membership

    ids = list(Membership.objects.filter(organisation_id__in=organisation_ids,
                                         state=MembershipState.ACTIVE, user__is_active=True)
               .values_list("user_id", flat=True))
    status = DemandStatus(demand.status)
    notify_ids(ids, kind="solution.demand_ended", key=f"demand:{demand.pk}:ended:{status}",
               context={"demand": demand.ref,
                        "demand_title": (demand.public_snapshot or {}).get("title") or demand.ref,
                        "status": status.value},
               url=reverse("solutions:mine"), obj=demand)
    log_action("portal.solutions.demand_ended", obj=demand,
               data={"organisations": len(organisation_ids), "status": status.value})


__all__ = ["SOLUTION_WORKFLOW", "SUBMITTED_STATES", "accepting", "create_solution",
           "decide_solution", "on_demand_ended", "snapshot", "submission_problems",
           "submit_solution", "update_solution", "withdraw_solution"]
