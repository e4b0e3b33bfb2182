"""The workflow: :func:`transition` is the only function that changes ``Demand.status``."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from common.workflow import Workflow

from .. import hooks, permissions
from ..enums import DEMAND_EDGES, TRANSITIONS, DemandStatus, ProposalState
from ..models import Demand, DemandTransition
from ..public.projection import refresh_public_index
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


# Rows per statement of the bulk writes.
WRITE_BATCH = 500


def submit_demands(demands, *, actor, comment="", previous=None, fields=(), save=None):
    """Submit many demands in one go: the bulk form of :func:`submit`, for the standard-format
    import (``services.create_demands`` and ``services.update_demands`` call it).

    Each demand moves to submitted from its status (``previous[pk]`` when the caller has
    already changed the instance), if ``enums.TRANSITIONS`` allows that edge; it gets the same
    submission time and one history row as :func:`transition` records. The caller has checked
    what :func:`transition` checks row by row (completeness with ``submission_problems``, the
    actor's right to each demand) and holds the rows locked or new. ``save`` writes the
    demands (``create_demands`` passes its numbered insert); by default one ``bulk_update`` of
    the status, the times and ``fields``. No audit entry or notification per demand: the caller
    audits the batch. Raises :class:`DemandError` before writing anything.
    """
    previous = previous or {}
    now = timezone.now()
    from_statuses = []
    for demand in demands:
        from_status = DemandStatus(previous.get(demand.pk, demand.status))
        if DemandStatus.SUBMITTED not in TRANSITIONS[from_status]:
            raise DemandError(
                gettext("A demand that is “%(from)s” cannot become “%(to)s”.")
                % {"from": from_status.label, "to": DemandStatus.SUBMITTED.label}
            )
        from_statuses.append(from_status)
    for demand in demands:
        demand.status = DemandStatus.SUBMITTED
        demand.submitted_at = now
        demand.updated_at = now
    if save is None:
        Demand.objects.bulk_update(
            demands, ["status", "submitted_at", "updated_at", *fields], batch_size=WRITE_BATCH
        )
    else:
        save(demands)
    DemandTransition.objects.bulk_create(
        [
            DemandTransition(demand=demand, from_state=from_status,
                             to_state=DemandStatus.SUBMITTED, actor=actor, reason=comment)
            for demand, from_status in zip(demands, from_statuses, strict=True)
        ],
        batch_size=WRITE_BATCH,
    )
    return demands


def on_published(demand):
    """Runs inside the publishing transaction, after the status is saved.

    Rebuilds the demand's public snapshot and search columns from its public projection and
    drops cached public pages, then runs the hooks of the apps above (``demands.hooks``; the
    push writes its fan-out's outbox row there, in this same transaction).
    """
    _refresh_public(demand)
    hooks.published(demand)


def on_unpublished(demand):
    """Runs inside the transaction that takes a published demand off the public pages (closed
    or withdrawn): search columns and cached pages follow, then the hooks of the apps above
    (``demands.hooks.ended``: the solutions app tells the challengers who answered)."""
    _refresh_public(demand)
    hooks.ended(demand)


def mark_matched(demand, *, reason):
    """An intention agreement matched ``demand`` (called by the matching app once both sides
    confirmed it): a published demand closes through the system's edge, so it takes no new
    solutions, and its public page says it was matched — naming nobody, since the projection
    only carries the fact. Runs in the caller's transaction."""
    with transaction.atomic():
        if demand.status == DemandStatus.PUBLISHED:
            transition(demand, DemandStatus.CLOSED, actor=None, reason=reason)
        if Demand.objects.filter(pk=demand.pk, matched_at__isnull=True).update(
                matched_at=timezone.now()):
            demand.refresh_from_db()
            _refresh_public(demand)
    return demand


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
