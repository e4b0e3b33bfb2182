"""The one outbox helper: every table that something must be sent from (outbound e-mail,
webhook deliveries, the fan-out of a publication) is relayed through an :class:`Outbox`.

Such a table has ``state``, ``next_attempt_at``, ``claimed_until`` and ``claim_token``. Rows
are written in the caller's transaction (``insert_new`` writes many at once, each key once);
after commit a task is asked to relay them (``kick_after_commit``), and a beat sweep relays
whatever a broker outage or a dead worker left behind (``sweep``).

Claiming is one conditional UPDATE (``pending`` and due, or claimed under an expired lease),
which matches for one run only, so a duplicated, retried or redelivered job relays a row
once. The claim holds a fresh token; every later write of the run is guarded by it
(``owned``), so a run whose claim was taken over changes nothing. A run that works for long
renews its lease as it goes (``heartbeat``): a claim whose lease has run out is one whose
holder is gone, and a redelivered task that finds the claim still held waits for the lease
rather than giving up (``claim(..., wait=True)``).

Transient failures go back to pending with an exponential backoff capped below the broker's
visibility timeout (``after_failure``); after the last attempt the row is failed and shows in
admin with its last error.
"""

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# Publishing a kick: one immediate reconnect, then give up. Not retry=False: kombu then opens
# the connection through ensure_connection with broker_connection_timeout and a 2 s retry
# interval, measured at 6 s against a refused port, while this policy fails in milliseconds.
# The beat sweep relays whatever a failed kick leaves behind.
KICK_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# After a failed kick, later kicks in this process are skipped for this long, so a request
# that notifies many people pays for an unreachable broker once.
KICK_PAUSE_SECONDS = 30
_kick_paused_until = 0.0


class Outcome:
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"


def retry_delay(attempts, *, base, cap):
    """Seconds before attempt ``attempts + 1``: doubling from ``base``, at most ``cap``."""
    return min(base * 2 ** max(attempts - 1, 0), cap)


def publish(task, kwargs, *, countdown=None, what=""):
    """Queue ``task`` with ``kwargs``. Never raises: when the broker is down the rows wait for
    the beat sweep. Returns whether it published."""
    global _kick_paused_until

    if time.monotonic() < _kick_paused_until:
        logger.info("Broker was unreachable moments ago; %s waits for the sweep", what)
        return False
    try:
        task.apply_async(
            kwargs=kwargs, countdown=countdown, retry=True, retry_policy=KICK_RETRY_POLICY
        )
    except (BrokerError, OSError) as exc:
        _kick_paused_until = time.monotonic() + KICK_PAUSE_SECONDS
        logger.warning("Could not reach the broker (%s); %s waits for the sweep", exc, what)
        return False
    except Exception:  # whatever wrote the rows has committed; it must not fail now
        logger.exception("Queuing %s failed; it waits for the sweep", what)
        return False
    return True


def is_eager(task):
    return bool(task.app.conf.task_always_eager)


@dataclass(frozen=True)
class Outbox:
    """One outbox table and how it is relayed.

    ``lease`` returns the seconds a claim lasts unless renewed; ``retry_base``, ``retry_cap``
    and ``max_attempts`` return settings; ``counter`` names the column a claim increments
    (attempts, runs). ``task`` returns the Celery task that relays a list of row ids passed
    as ``ids_argument`` (imported late: tasks import the module that defines the outbox);
    an outbox whose task takes something else queues it with ``publish`` itself."""

    model: type
    pending: str
    claimed: str
    lease: object
    retry_base: object
    retry_cap: object
    max_attempts: object
    task: object = None
    ids_argument: str = ""
    counter: str = "attempts"
    kick_chunk: int = 100
    label: str = "rows"

    # --- claiming -----------------------------------------------------------------------------
    def due(self, now):
        """Rows a run may claim at ``now``: pending and due, or claimed under an expired lease
        (its holder is gone)."""
        return self.model.objects.filter(
            Q(state=self.pending, next_attempt_at__lte=now)
            | Q(state=self.claimed, claimed_until__lt=now)
        )

    def claimable(self, now, *, due_only=True):
        if due_only:
            return self.due(now)
        return self.model.objects.filter(
            Q(state=self.pending) | Q(state=self.claimed, claimed_until__lt=now)
        )

    def claim(self, pk, *, now=None, due_only=True, wait=False, **changes):
        """Claim row ``pk`` for this run and return the claim's token, or None when it is not
        due, finished, or held by a live run. With ``wait``, a claim held by another run is
        waited for until its lease ends (at most one lease): a holder that is alive renews it
        meanwhile and keeps the row; one that is gone leaves it to this run."""
        token = self._claim(pk, now=now, due_only=due_only, changes=changes)
        if token is not None or not wait:
            return token
        held_until = (
            self.model.objects.filter(pk=pk, state=self.claimed)
            .values_list("claimed_until", flat=True)
            .first()
        )
        if held_until is None:
            return None
        seconds = (held_until - timezone.now()).total_seconds()
        if seconds > self.lease():  # not a lease this outbox grants: leave it alone
            return None
        time.sleep(max(seconds, 0) + 0.05)
        return self._claim(pk, now=None, due_only=due_only, changes=changes)

    def _claim(self, pk, *, now, due_only, changes):
        now = now or timezone.now()
        token = uuid.uuid4()
        claimed = (
            self.claimable(now, due_only=due_only)
            .filter(pk=pk)
            .update(
                state=self.claimed,
                claim_token=token,
                claimed_until=now + timedelta(seconds=self.lease()),
                updated_at=timezone.now(),
                **{self.counter: F(self.counter) + 1},
                **changes,
            )
        )
        return token if claimed else None

    def owned(self, pk, token):
        """Row ``pk`` while this run's claim holds it (for every write of the run)."""
        return self.model.objects.filter(pk=pk, claim_token=token, state=self.claimed)

    def heartbeat(self, pk, token, **changes):
        """Renew this run's lease (and write ``changes``); False when the claim was lost."""
        return bool(
            self.owned(pk, token).update(
                claimed_until=timezone.now() + timedelta(seconds=self.lease()),
                updated_at=timezone.now(),
                **changes,
            )
        )

    def release(self, pk, token, **changes):
        """End this run's claim, writing ``changes`` (the new state); False when it was lost."""
        return bool(
            self.owned(pk, token).update(claimed_until=None, updated_at=timezone.now(), **changes)
        )

    # --- failures -----------------------------------------------------------------------------
    def after_failure(self, attempts, *, permanent=False, now=None, failed):
        """The changes and outcome of a failed attempt number ``attempts``: back to pending
        after a backoff, or ``failed`` when it is permanent or the attempts are used up.
        Returns (changes, outcome, delay in seconds or None)."""
        if permanent or attempts >= self.max_attempts():
            return {"state": failed}, Outcome.FAILED, None
        delay = retry_delay(attempts, base=self.retry_base(), cap=self.retry_cap())
        now = now or timezone.now()
        return (
            {"state": self.pending, "next_attempt_at": now + timedelta(seconds=delay)},
            Outcome.RETRY,
            delay,
        )

    def retry_later(self, pks, delay):
        """Kick again once the backoff has passed (the sweep does it if this is lost)."""
        if delay is not None and not is_eager(self.task()):
            self.kick(pks, countdown=delay)

    # --- relaying -----------------------------------------------------------------------------
    def sweep(self, handle, *, now=None, batch_size=100, time_budget=None):
        """Call ``handle(pk, now)`` for every due row, oldest first, for at most
        ``time_budget`` seconds (default NOTIFICATIONS_SWEEP_SECONDS; the beat runs a sweep
        every minute). Returns {outcome: count}."""
        budget = settings.NOTIFICATIONS_SWEEP_SECONDS if time_budget is None else time_budget
        deadline = time.monotonic() + budget
        counts, seen = {}, set()
        while time.monotonic() < deadline:
            current = now or timezone.now()
            ids = [
                pk
                for pk in self.due(current)
                .order_by("next_attempt_at", "pk")
                .values_list("pk", flat=True)[:batch_size]
                if pk not in seen
            ]
            if not ids:
                break
            for pk in ids:
                seen.add(pk)
                outcome = handle(pk, current)
                counts[outcome] = counts.get(outcome, 0) + 1
                if time.monotonic() >= deadline:
                    break
        return counts

    def kick(self, pks, *, countdown=None):
        """Ask a worker to relay rows ``pks``; never raises (see ``publish``)."""
        ids = list(pks)
        published = True
        for start in range(0, len(ids), self.kick_chunk):
            chunk = ids[start : start + self.kick_chunk]
            published = (
                publish(
                    self.task(),
                    {self.ids_argument: chunk},
                    countdown=countdown,
                    what=f"{self.label} {chunk}",
                )
                and published
            )
        return published

    def kick_after_commit(self, pks):
        """Kick once the current transaction commits (nothing is queued if it rolls back)."""
        transaction.on_commit(partial(self.kick, list(pks)), robust=True)


# --- writing many rows at once ------------------------------------------------------------------
def insert_new(model, columns, rows, *, returning, key="idempotency_key"):
    """Insert ``rows`` (tuples of values for ``columns``, attribute names) into ``model``'s
    table, each unless a row with the same ``key`` exists (``ON CONFLICT DO NOTHING``, so a
    concurrent writer of the same key waits for the other's commit and then skips); every
    other column gets its field's default, computed once. Returns the ``returning`` values
    of the rows written by this call.

    The same rows ``bulk_create(ignore_conflicts=True)`` writes, without building a model
    instance and preparing every value of every row: at a hundred thousand rows that was
    most of the fan-out's time. Only str, int and None go in ``rows``."""
    if not rows:
        return []
    meta = model._meta
    now = timezone.now()
    fields = {field.attname: field for field in meta.concrete_fields}
    constant_names, constant_values = [], []
    for name, field in fields.items():
        if name in columns or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        constant_names.append(name)
        constant_values.append(field.get_db_prep_save(value, connection))
    names = [*columns, *constant_names]
    quote = connection.ops.quote_name
    row_sql = "(" + ", ".join(["%s"] * len(names)) + ")"
    head = (
        f"INSERT INTO {quote(meta.db_table)} "
        f"({', '.join(quote(fields[name].column) for name in names)}) VALUES "
    )
    tail = f" ON CONFLICT ({quote(fields[key].column)}) DO NOTHING RETURNING " + ", ".join(
        quote(fields[name].column) for name in returning
    )
    per_statement = max(1, _max_parameters() // len(names))
    returned = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params = []
            for row in chunk:
                params.extend(row)
                params.extend(constant_values)
            cursor.execute(head + ", ".join([row_sql] * len(chunk)) + tail, params)
            returned.extend(cursor.fetchall())
    return returned


def _max_parameters():
    """Bind parameters one statement may hold: PostgreSQL's protocol limit, or what this
    SQLite library was built with (Django assumes the old default of 999)."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535
