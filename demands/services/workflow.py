"""The workflow: :func:`transition` is the only function that changes ``Demand.status``."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .. import hooks, permissions
from ..enums import TRANSITIONS, DemandStatus, ProposalState
from ..models import Demand, DemandTransition
from ..public import refresh_public_index
from .base import DemandError, _log, _notify_members, _title
from .content import submission_problems


# --- the workflow -----------------------------------------------------------------------------
def transition(demand, to_status, *, actor, comment=""):
    """Move ``demand`` to ``to_status``: the only way a demand's status changes.

    Checks that the edge exists in ``enums.TRANSITIONS`` and that ``actor`` holds its
    permission (``actor=None`` is the system, allowed only to close a published demand), then,
    in one transaction: saves the status, records a :class:`DemandTransition`, writes the
    audit log and the owner's notifications, and runs the publishing hooks. Raises
    :class:`DemandError` with a message for the user otherwise.
    """
    try:
        to_status = DemandStatus(to_status)
    except ValueError:
        raise DemandError(gettext("Unknown status: %(status)s") % {"status": to_status}) from None
    comment = (comment or "").strip()
    with transaction.atomic():
        # Lock the demand's row only, not its host unit, event or contest.
        locked = (Demand.objects.select_for_update(of=("self",))
                  .select_related("host_unit__event__contest", "organisation")
                  .get(pk=demand.pk))
        from_status = DemandStatus(locked.status)
        if to_status not in TRANSITIONS[from_status]:
            raise DemandError(
                gettext("A demand that is “%(from)s” cannot become “%(to)s”.")
                % {"from": from_status.label, "to": to_status.label}
            )
        if actor is None:
            if to_status != DemandStatus.CLOSED:
                raise DemandError(gettext("Only people may make this change."))
        elif not permissions.may_transition(actor, locked, to_status):
            raise DemandError(gettext("You may not make this demand “%(to)s”.")
                              % {"to": to_status.label})
        update_fields = ["status", "updated_at"]
        now = timezone.now()
        if to_status == DemandStatus.SUBMITTED:
            problems = submission_problems(locked)
            if problems:
                raise DemandError(
                    gettext("The demand is not complete yet: %(list)s")
                    % {"list": " ".join(str(message) for _field, message in problems)},
                    problems=problems,
                )
            locked.submitted_at = now
            update_fields.append("submitted_at")
        elif to_status == DemandStatus.IN_ANALYSIS:
            if not locked.assignments.exists():
                raise DemandError(gettext("Assign at least one expert first."))
        elif to_status in (DemandStatus.RETURNED, DemandStatus.REJECTED) and not comment:
            raise DemandError(gettext("Say why, so the company knows what to do."))
        elif to_status == DemandStatus.PUBLISHED:
            if locked.proposals.filter(state=ProposalState.PROPOSED).exists():
                raise DemandError(gettext("A wording proposal is waiting for the owner's "
                                          "answer; it cannot be published before that."))
            locked.published_at = now
            update_fields.append("published_at")
        elif to_status == DemandStatus.CLOSED:
            locked.closed_at = now
            update_fields.append("closed_at")
        locked.status = to_status
        locked.save(update_fields=update_fields)
        record = DemandTransition.objects.create(
            demand=locked, from_status=from_status, to_status=to_status, actor=actor,
            comment=comment,
        )
        _log(f"portal.demand.{to_status}", actor=actor, demand=locked, from_state=from_status,
             to_state=to_status, data={"comment": comment} if comment else None)
        _notify_owner(locked, record)
        if to_status == DemandStatus.PUBLISHED:
            on_published(locked)
        elif from_status == DemandStatus.PUBLISHED:
            on_unpublished(locked)
    # The caller's instance reflects the change too.
    for name in ("status", "submitted_at", "published_at", "closed_at", "updated_at"):
        setattr(demand, name, getattr(locked, name))
    return locked


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
            DemandTransition(demand=demand, from_status=from_status,
                             to_status=DemandStatus.SUBMITTED, actor=actor, comment=comment)
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
                       comment=gettext("The deadline for solutions has passed."))
        except DemandError:
            # Someone else changed it in the meantime; the next run looks again.
            continue
        closed += 1
    return closed


def _notify_owner(demand, record):
    """Tell the owner about a status change."""
    _notify_members(
        demand, kind="demand.status_changed", key=f"demand:{demand.pk}:transition:{record.pk}",
        context={"title": _title(demand), "from_state": record.from_status,
                 "to_state": record.to_status, "reason": record.comment},
        skip=record.actor,
    )


def _refresh_public(demand):
    # Rewrites the public snapshot and search columns and drops cached public pages.
    refresh_public_index(demand)
