"""The outbox relay: claims due e-mails, sends them, records the result.

Claiming is one conditional UPDATE (``state = pending AND next_attempt_at <= now``, or an
expired ``sending`` claim), which matches for one relay run only, so a duplicated, retried or
redelivered job sends a message once. A claim lasts NOTIFICATIONS_SENDING_LEASE seconds, longer
than a task may run (CELERY_TASK_TIME_LIMIT): when it expires the claimant is dead, and the
next run (the redelivered task or the beat sweep) claims the row again.

Transient failures go back to pending with an exponential backoff, capped below the broker's
visibility timeout; after NOTIFICATIONS_MAX_ATTEMPTS, or on a permanent refusal, the row is
failed and shows in the admin with its last error.

The one gap no outbox closes: a worker killed after the mail server accepted a message but
before the row was marked sent sends it again. The Message-ID is derived from the delivery key,
so such a copy carries the same Message-ID as the first.
"""

import hashlib
import logging
import smtplib
import time
import uuid
from datetime import timedelta
from email.utils import parseaddr
from functools import partial

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from .enums import EmailState
from .models import OutboundEmail

logger = logging.getLogger(__name__)

# Publishing the kick: one immediate reconnect, then give up. Not retry=False: kombu then
# opens the connection through ensure_connection with broker_connection_timeout and a 2 s
# retry interval, measured at 6 s against a refused port, while this policy fails in
# milliseconds. The beat sweep sends whatever a failed kick leaves behind.
KICK_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2,
                     "interval_max": 0.2}
# After a failed kick, later kicks in this process are skipped for this long, so a request
# that notifies many people pays for an unreachable broker once.
KICK_PAUSE_SECONDS = 30
KICK_CHUNK = 100
_kick_paused_until = 0.0


class Outcome:
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    SKIPPED = "skipped"


def due(now):
    """E-mails a relay run may claim at ``now``."""
    return OutboundEmail.objects.filter(
        Q(state=EmailState.PENDING, next_attempt_at__lte=now)
        | Q(state=EmailState.SENDING, claimed_until__lt=now)
    )


def retry_delay(attempts):
    """Seconds before attempt ``attempts + 1``: doubling from the base, capped."""
    delay = settings.NOTIFICATIONS_RETRY_BASE * 2 ** max(attempts - 1, 0)
    return min(delay, settings.NOTIFICATIONS_RETRY_MAX)


def message_id(key):
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def is_permanent(exc):
    """Whether sending the same message again cannot succeed."""
    if isinstance(exc, BadHeaderError):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def claim(email_id, *, now):
    """Claim one e-mail for this run; returns the claim token, or None if it is not due or
    another run holds it."""
    token = uuid.uuid4()
    claimed = due(now).filter(pk=email_id).update(
        state=EmailState.SENDING,
        claim_token=token,
        claimed_until=now + timedelta(seconds=settings.NOTIFICATIONS_SENDING_LEASE),
        attempts=F("attempts") + 1,
        updated_at=timezone.now(),
    )
    return token if claimed else None


def deliver(email_id, *, now=None, connection=None):
    """Send one e-mail if it is due and nobody else is sending it; record the result."""
    now = now or timezone.now()
    token = claim(email_id, now=now)
    if token is None:
        return Outcome.SKIPPED
    email = OutboundEmail.objects.filter(pk=email_id).first()
    if email is None:  # deleted with its recipient since the claim
        return Outcome.SKIPPED
    message = EmailMessage(
        subject=email.subject, body=email.body, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_address], headers={"Message-ID": message_id(email.idempotency_key)},
        connection=connection,
    )
    try:
        message.send()
    except SoftTimeLimitExceeded as exc:
        _record_failure(email, token, exc, now=now)
        raise
    except Exception as exc:  # any failure of the backend is recorded on the row
        if connection is not None:
            connection.close()  # a broken SMTP session must not fail the next message too
        return _record_failure(email, token, exc, now=now)
    owned = OutboundEmail.objects.filter(
        pk=email.pk, claim_token=token, state=EmailState.SENDING
    ).update(state=EmailState.SENT, sent_at=timezone.now(), claimed_until=None,
             last_error="", updated_at=timezone.now())
    if not owned:
        logger.warning("Outbound e-mail %s was sent after its claim expired", email.pk)
    return Outcome.SENT


def _record_failure(email, token, exc, *, now):
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if is_permanent(exc) or email.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        changes = {"state": EmailState.FAILED, "claimed_until": None}
        outcome = Outcome.FAILED
        delay = None
    else:
        delay = retry_delay(email.attempts)
        changes = {"state": EmailState.PENDING, "claimed_until": None,
                   "next_attempt_at": now + timedelta(seconds=delay)}
        outcome = Outcome.RETRY
    OutboundEmail.objects.filter(
        pk=email.pk, claim_token=token, state=EmailState.SENDING
    ).update(last_error=error, updated_at=timezone.now(), **changes)
    logger.warning("Outbound e-mail %s attempt %s failed (%s): %s", email.pk, email.attempts,
                   outcome, error)
    if delay is not None and not _eager():
        kick([email.pk], countdown=delay)
    return outcome


def sweep(*, now=None, batch_size=100, time_budget=None):
    """Send every due e-mail, in batches, for at most ``time_budget`` seconds (the beat runs
    this every minute); returns {outcome: count}."""
    budget = settings.NOTIFICATIONS_SWEEP_SECONDS if time_budget is None else time_budget
    deadline = time.monotonic() + budget
    counts = {}
    seen = set()
    connection = get_connection()
    try:
        while time.monotonic() < deadline:
            current = now or timezone.now()
            ids = [pk for pk in due(current).order_by("next_attempt_at", "pk")
                   .values_list("pk", flat=True)[:batch_size] if pk not in seen]
            if not ids:
                break
            for pk in ids:
                seen.add(pk)
                outcome = deliver(pk, now=current, connection=connection)
                counts[outcome] = counts.get(outcome, 0) + 1
                if time.monotonic() >= deadline:
                    break
    finally:
        connection.close()
    return counts


def deliver_many(email_ids, *, now=None):
    """Send the given e-mails (those still due); returns {outcome: count}."""
    counts = {}
    connection = get_connection()
    try:
        for pk in email_ids:
            outcome = deliver(pk, now=now, connection=connection)
            counts[outcome] = counts.get(outcome, 0) + 1
    finally:
        connection.close()
    return counts


# --- kicking the relay ------------------------------------------------------------------------
def kick_after_commit(email_ids):
    """Ask a worker to send these e-mails once the current transaction commits."""
    transaction.on_commit(partial(kick, list(email_ids)), robust=True)


def kick(email_ids=None, *, countdown=None):
    """Publish the relay task for ``email_ids``. Never raises: when the broker is down the
    rows wait and the beat sweep sends them once it is back. Returns whether it published."""
    global _kick_paused_until
    from .tasks import relay as relay_task

    if time.monotonic() < _kick_paused_until:
        logger.info("Broker was unreachable moments ago; e-mails %s wait for the sweep",
                    email_ids)
        return False
    ids = list(email_ids or [])
    try:
        for start in range(0, len(ids), KICK_CHUNK):
            relay_task.apply_async(
                kwargs={"email_ids": ids[start:start + KICK_CHUNK]}, countdown=countdown,
                retry=True, retry_policy=KICK_RETRY_POLICY,
            )
    except (BrokerError, OSError) as exc:
        _kick_paused_until = time.monotonic() + KICK_PAUSE_SECONDS
        logger.warning("Could not reach the broker (%s); e-mails %s wait for the sweep", exc, ids)
        return False
    except Exception:  # the request that wrote the rows has committed; it must not fail now
        logger.exception("Relaying e-mails %s failed; they wait for the sweep", ids)
        return False
    return True


def _eager():
    from .tasks import relay as relay_task

    return bool(relay_task.app.conf.task_always_eager)
