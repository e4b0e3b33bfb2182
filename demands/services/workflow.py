"""The workflow: :func:`transition` is the only function that changes ``Demand.status``."""

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from common.workflow import Workflow
from notifications.push import schedule_publication

from .. import permissions
from ..enums import DEMAND_EDGES, DemandStatus, ProposalState
from ..models import Demand, DemandTransition
from ..public import refresh_public_index
from .base import DemandError, _notify_members, _title
from .content import submission_problems


def _check(step):
    """Guards that need the locked demand, and the dates each state records."""
    demand, target, now = step.obj, step.target, timezone.now()
    if target == DemandStatus.SUBMITTED:
        problems = submission_problems(demand)
        if problems:
            raise DemandError(
                gettext("The demand is not complete yet: %(list)s")
                % {"list": " ".join(str(message) for _field, message in problems)},
                code="incomplete", problems=problems,
            )
        step.changes["submitted_at"] = now
    elif target == DemandStatus.IN_ANALYSIS:
        if not demand.assignments.exists():
            raise DemandError(gettext("Assign at least one expert first."),
                              code="no_expert")
    elif target in (DemandStatus.RETURNED, DemandStatus.REJECTED) and not step.reason:
        raise DemandError(gettext("Say why, so the company knows what to do."),
                          code="reason_required", field="comment")
    elif target == DemandStatus.PUBLISHED:
        if demand.proposals.filter(state=ProposalState.PROPOSED).exists():
            raise DemandError(gettext("A wording proposal is waiting for the owner's "
                                      "answer; it cannot be published before that."),
                              code="proposal_pending")
        step.changes["published_at"] = now
    elif target == DemandStatus.CLOSED:
        step.changes["closed_at"] = now


def _after(step):
    """Inside the transaction: tell the owner, and run the publishing hooks."""
    _notify_owner(step.obj, step.record)
    if step.target == DemandStatus.PUBLISHED:
        on_published(step.obj)
    elif step.source == DemandStatus.PUBLISHED:
        on_unpublished(step.obj)


DEMAND_WORKFLOW = Workflow(
    model=Demand, states=DemandStatus, edges=DEMAND_EDGES, field="status",
    permissions=permissions, history=DemandTransition, audit="portal.demand",
    # The hooks read these through the locked row; only the demand's row is locked.
    select_related=("host_unit__event__contest", "organisation"),
    messages={
        "illegal": gettext_lazy("A demand that is “%(from)s” cannot become “%(to)s”."),
        "denied": gettext_lazy("You may not make this demand “%(to)s”."),
    },
    error=DemandError, before=_check, after=_after,
)


def transition(demand, to_status, *, actor, reason=""):
    """Move ``demand`` to ``to_status``: the only way a demand's status changes.

    The step of :mod:`common.workflow` over ``enums.DEMAND_EDGES`` (``actor=None`` is the
    system, allowed only to close a published demand), with the demand's own guards: a
    submitted demand must be complete, analysis needs an expert, returning or rejecting needs a
    reason, publishing waits for pending wording proposals. Records a
    :class:`DemandTransition`, the audit entry and the owner's notifications, and runs the
    publishing hooks. Raises :class:`DemandError` (a ``DomainError``) otherwise.
    """
    try:
        to_status = DemandStatus(to_status)
    except ValueError:
        raise DemandError(gettext("Unknown status: %(status)s") % {"status": to_status},
                          code="unknown_state") from None
    return DEMAND_WORKFLOW.transition(demand, to_status, actor=actor, reason=reason)


def submit(demand, *, actor):
    """Send a complete draft (or a revised returned demand) to its host unit."""
    return transition(demand, DemandStatus.SUBMITTED, actor=actor)


def on_published(demand):
    """Runs inside the publishing transaction, after the status is saved.

    Rebuilds the demand's public snapshot and search columns from its public projection and
    drops cached public pages. The push (subscriptions, feeds fan-out) extends this hook:
    anything it sends must be written to the outbox here, in the same transaction.
    """
    _refresh_public(demand)
    schedule_publication(demand)  # the push's outbox row; its fan-out runs after commit


def on_unpublished(demand):
    """Runs inside the transaction that takes a published demand off the public pages (closed
    or withdrawn): search columns and cached pages follow."""
    _refresh_public(demand)


def close_expired(*, today=None):
    """Close published demands whose deadline for solutions has passed (the beat task).
    Returns how many were closed."""
    today = today or timezone.localdate()
    closed = 0
    expired = Demand.objects.filter(status=DemandStatus.PUBLISHED, solution_deadline__lt=today)
    for demand in expired.only("pk", "status"):
        try:
            transition(demand, DemandStatus.CLOSED, actor=None,
                       reason=gettext("The deadline for solutions has passed."))
        except DemandError:
            # Someone else changed it in the meantime; the next run looks again.
            continue
        closed += 1
    return closed


def _notify_owner(demand, record):
    """Tell the owner about a status change."""
    _notify_members(
        demand, kind="demand.status_changed", key=f"demand:{demand.pk}:transition:{record.pk}",
        context={"title": _title(demand), "from_state": record.from_state,
                 "to_state": record.to_state, "reason": record.reason},
        skip=record.actor,
    )


def _refresh_public(demand):
    # Rewrites the public snapshot and search columns and drops cached public pages.
    refresh_public_index(demand)
