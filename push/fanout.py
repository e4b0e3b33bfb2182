"""The fan-out of one publication to its subscribers and webhooks, through the outbox.

``schedule_publication`` runs inside the publishing transaction and writes the job's row
(:class:`PublicationPush`, one per demand); after commit it asks a worker to run it, and when
the broker is down the beat sweep finds the row. A run claims the row with a conditional
update (one run at a time; a dead run's claim expires), queues the webhook deliveries, finds
the recipients with set-based SQL (``push.matching``) and notifies them in batches in user-id
order with ``notify_many``: each batch is one transaction that also moves the checkpoint
(``last_user_id``), so a crashed run resumes where the last committed batch ended, and the
unique delivery keys make a duplicated or retried run write nothing twice. Everything sent
is built from the public projection (``demands.public.projection.project``), never from the model.

Errors send the job back to pending with an exponential backoff; after
NOTIFICATIONS_MAX_ATTEMPTS in a row it is failed, shown to Torch staff in admin with a retry.
"""

import logging
import time
from dataclasses import dataclass
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from audit.services import log_action
from demands.enums import DemandStatus
from demands.models import Demand
from demands.public.projection import for_projection, project
from notifications.outbox import Outbox, is_eager, publish
from notifications.rendering import absolute_url
from notifications.services import notify_many

from . import webhooks
from .enums import PushState, can_push_transition
from .matching import KIND, recipient_ids
from .models import PublicationPush

logger = logging.getLogger(__name__)


def event_key(demand_id):
    """The caller's key of the publication event; each recipient's delivery key is
    ``demand.published:<user id>:demand:<demand id>`` (``services.delivery_key``)."""
    return f"demand:{demand_id}"


def batch_size():
    return settings.PUSH_BATCH_SIZE


def push_context(projection):
    """What the ``demand.published`` templates get: public values only."""
    return {
        "ref": projection.ref,
        "title": projection.title,
        "public_name": projection.public_name,
        "field": projection.industry_name,
        "region": projection.region_name,
        "summary": projection.summary,
        "subscriptions_url": absolute_url(reverse("notifications:subscriptions")),
    }


# --- scheduling -------------------------------------------------------------------------------
def schedule_publication(demand):
    """Write the outbox row of ``demand``'s push, inside the publishing transaction, and run it
    once that commits. Idempotent: one push per demand, however often this is called."""
    push, _created = PublicationPush.objects.get_or_create(demand_id=demand.pk)
    transaction.on_commit(partial(kick, demand.pk), robust=True)
    return push


def _task():
    from .tasks import fan_out_publication

    return fan_out_publication


# The fan-out's claim is a heartbeat: renewed after every batch, it lasts PUSH_CLAIM_LEASE
# seconds, far less than a redelivery takes, so a job whose worker died is taken over by
# the redelivered task (which waits out the lease) instead of by the sweep minutes later.
OUTBOX = Outbox(
    model=PublicationPush, pending=PushState.PENDING, claimed=PushState.RUNNING,
    lease=lambda: settings.PUSH_CLAIM_LEASE,
    retry_base=lambda: settings.NOTIFICATIONS_RETRY_BASE,
    retry_cap=lambda: settings.NOTIFICATIONS_RETRY_MAX,
    max_attempts=lambda: settings.NOTIFICATIONS_MAX_ATTEMPTS,
    counter="runs", label="publication pushes",
)


def kick(demand_id, *, countdown=None):
    """Queue the fan-out task of ``demand_id``. Never raises: if the broker is unreachable
    the row waits for the beat sweep. Returns whether it published."""
    return publish(_task(), {"demand_id": demand_id}, countdown=countdown,
                   what=f"the push of demand {demand_id}")


# --- claiming ---------------------------------------------------------------------------------
class _LostClaim(Exception):
    """Another run took the job over (our claim expired); stop without touching it."""


def due(now):
    """Jobs a run may claim at ``now``: pending and due, or running under an expired claim."""
    return OUTBOX.due(now)


def claim(push_id, *, now, due_only=True, wait=False):
    """Claim one job for this run; returns the claim token, or None when another live run
    holds it, it is finished, or (with ``due_only``) it waits for its next attempt. With
    ``wait``, a claim held by another run is waited out for up to one lease: a dead run's is
    taken over, a live run (which renews it) keeps the job."""
    return OUTBOX.claim(push_id, now=now, due_only=due_only, wait=wait,
                        started_at=Coalesce(F("started_at"), now or timezone.now()))


def _owned(push_id, token):
    return OUTBOX.owned(push_id, token)


# --- running ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Run:
    """What one run did: ``notified`` is the job's total so far."""

    claimed: bool
    finished: bool
    notified: int
    state: str


def ensure_push(demand_id):
    push, _created = PublicationPush.objects.get_or_create(demand_id=demand_id)
    return push


def run(push_id, *, now=None, deadline=None, size=None, due_only=True, wait=False):
    """Run (or resume) one fan-out job until it is done, or until ``deadline`` (a
    ``time.monotonic()`` value), when it gives the job back with its checkpoint. An error is
    recorded on the job (backoff, finally failed) and raised again. ``wait``: see ``claim``."""
    token = claim(push_id, now=now, due_only=due_only, wait=wait)
    if token is None:
        push = PublicationPush.objects.get(pk=push_id)
        return Run(claimed=False, finished=push.state in (PushState.DONE, PushState.CANCELLED),
                   notified=push.notified, state=push.state)
    try:
        finished = _run_claimed(push_id, token, deadline=deadline, size=size or batch_size())
    except _LostClaim:
        logger.warning("Publication push %s was taken over by another run", push_id)
        finished = False
    except SoftTimeLimitExceeded as exc:
        _record_failure(push_id, token, exc)
        raise
    except Exception as exc:
        _record_failure(push_id, token, exc)
        raise
    push = PublicationPush.objects.get(pk=push_id)
    return Run(claimed=True, finished=finished, notified=push.notified, state=push.state)


def _run_claimed(push_id, token, *, deadline, size):
    push = PublicationPush.objects.get(pk=push_id)
    demand = for_projection(Demand.objects.filter(pk=push.demand_id)).first()
    if demand is None or demand.status != DemandStatus.PUBLISHED:
        # Withdrawn or closed before its push ran: nobody hears of it any more.
        _finish(push_id, token, PushState.CANCELLED)
        return True
    projection = project(demand)

    with transaction.atomic():
        deliveries = webhooks.queue_publication(demand, projection)
        if not _owned(push_id, token).update(webhooks=deliveries, updated_at=timezone.now()):
            raise _LostClaim

    ids = recipient_ids(demand, projection, after=push.last_user_id)
    matched = {"matched": len(ids)} if push.matched is None else {}
    if not OUTBOX.heartbeat(push_id, token, **matched):
        raise _LostClaim
    context, url = push_context(projection), projection.url
    for start in range(0, len(ids), size):
        if deadline is not None and time.monotonic() >= deadline:
            _give_back(push_id, token)
            return False
        chunk = ids[start:start + size]
        with transaction.atomic():
            written = notify_many(recipient_ids=chunk, kind=KIND, context=context,
                                  idempotency_key=event_key(demand.pk), url=url, obj=demand)
            moved = OUTBOX.heartbeat(push_id, token, last_user_id=chunk[-1],
                                     notified=F("notified") + written, failures=0)
            if not moved:
                raise _LostClaim
    _finish(push_id, token, PushState.DONE)
    return True


def _finish(push_id, token, state):
    assert can_push_transition(PushState.RUNNING, state)
    OUTBOX.release(push_id, token, state=state, last_error="", finished_at=timezone.now())


def _give_back(push_id, token):
    """Time is up: the job waits, due at once, with its checkpoint, for the next run."""
    OUTBOX.release(push_id, token, state=PushState.PENDING, next_attempt_at=timezone.now())


def _record_failure(push_id, token, exc):
    error = f"{type(exc).__name__}: {exc}"[:2000]
    push = PublicationPush.objects.filter(pk=push_id).first()
    if push is None:
        return
    failures = push.failures + 1
    changes, _outcome, delay = OUTBOX.after_failure(failures, failed=PushState.FAILED)
    OUTBOX.release(push_id, token, failures=failures, last_error=error, **changes)
    logger.warning("Publication push %s (demand %s) failed (%s in a row): %s", push_id,
                   push.demand_id, failures, error)
    if delay is not None and not is_eager(_task()):
        kick(push.demand_id, countdown=delay)


# --- entry points -----------------------------------------------------------------------------
def fan_out(demand_id, *, batch_size=None):
    """Run the push of ``demand_id``'s publication to the end (creating its job if the
    publishing hook has not) and return how many subscribers have been notified of it, each
    exactly once. A job that another run holds is left to it; a finished one is not run
    again. This is what the benchmark calls."""
    push = ensure_push(demand_id)
    result = run(push.pk, size=batch_size, due_only=False)
    return result.notified


def run_for_demand(demand_id, *, deadline=None):
    """The task's work: run the push of ``demand_id`` (if it is due) until ``deadline``. A
    job that another run holds is waited for up to one lease: a redelivered task takes over
    from its dead predecessor at once, rather than leaving it to the sweep."""
    push = ensure_push(demand_id)
    return run(push.pk, deadline=deadline, wait=True)


def sweep(*, time_budget=None):
    """Run due jobs (a kick lost to a broker outage, a dead run's, a backoff that has passed)
    for at most ``time_budget`` seconds; returns how many runs finished their job."""
    deadline = time.monotonic() + (settings.NOTIFICATIONS_SWEEP_SECONDS
                                   if time_budget is None else time_budget)

    def handle(pk, _now):
        try:
            result = run(pk, deadline=deadline)
        except Exception:  # recorded on the job; the next one still runs
            logger.exception("Publication push %s failed in the sweep", pk)
            return False
        return result.finished and result.claimed

    return OUTBOX.sweep(handle, batch_size=20, time_budget=time_budget).get(True, 0)


# --- staff ------------------------------------------------------------------------------------
def retry_pushes(push_ids, *, actor=None, request=None):
    """Run failed jobs again (staff action): back to pending from their checkpoint, each in the
    audit log, kicked after commit. Returns how many; other states are left alone."""
    assert can_push_transition(PushState.FAILED, PushState.PENDING)
    with transaction.atomic():
        pushes = list(PublicationPush.objects.select_for_update()
                      .filter(pk__in=list(push_ids), state=PushState.FAILED))
        ids = [push.pk for push in pushes]
        count = PublicationPush.objects.filter(pk__in=ids, state=PushState.FAILED).update(
            state=PushState.PENDING, failures=0, next_attempt_at=timezone.now(),
            claimed_until=None, updated_at=timezone.now())
        for push in pushes:
            log_action("portal.notifications.push_retry", actor=actor, request=request,
                       obj=push, from_state=PushState.FAILED, to_state=PushState.PENDING,
                       data={"demand": push.demand_id, "notified": push.notified,
                             "last_error": push.last_error})
            transaction.on_commit(partial(kick, push.demand_id), robust=True)
    return count
