"""The e-mail relay: claims due outbound e-mails, sends them, records the result, through the
one outbox helper (``notifications.outbox``).

A claim lasts NOTIFICATIONS_SENDING_LEASE seconds, longer than one send may take (it is not
renewed while the mail server answers): when it expires the sender is dead, and the next run
(the redelivered task or the beat sweep) claims the row again. Transient failures back off
from NOTIFICATIONS_RETRY_BASE; after NOTIFICATIONS_MAX_ATTEMPTS, or on a permanent refusal,
the row is failed and shows in the admin with its last error.

The one gap no outbox closes: a worker killed after the mail server accepted a message but
before the row was marked sent sends it again. The Message-ID is derived from the delivery key,
so such a copy carries the same Message-ID as the first.
"""

import hashlib
import logging
import smtplib
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from email.utils import parseaddr

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from .enums import EmailState
from .models import OutboundAttachment, OutboundEmail
from .outbox import KICK_RETRY_POLICY, Outbox, Outcome
from .outbox import retry_delay as _retry_delay

logger = logging.getLogger(__name__)

__all__ = ["KICK_RETRY_POLICY", "Outcome", "OUTBOX", "deliver", "deliver_many", "sweep",
           "kick", "kick_after_commit", "message_id", "retry_delay", "due"]


def _relay_task():
    from .tasks import relay

    return relay


OUTBOX = Outbox(
    model=OutboundEmail, pending=EmailState.PENDING, claimed=EmailState.SENDING,
    lease=lambda: settings.NOTIFICATIONS_SENDING_LEASE,
    retry_base=lambda: settings.NOTIFICATIONS_RETRY_BASE,
    retry_cap=lambda: settings.NOTIFICATIONS_RETRY_MAX,
    max_attempts=lambda: settings.NOTIFICATIONS_MAX_ATTEMPTS,
    task=_relay_task, ids_argument="email_ids", label="e-mails",
)


def due(now):
    """E-mails a relay run may claim at ``now``."""
    return OUTBOX.due(now)


def retry_delay(attempts):
    """Seconds before attempt ``attempts + 1``: doubling from the base, capped."""
    return _retry_delay(attempts, base=settings.NOTIFICATIONS_RETRY_BASE,
                 cap=settings.NOTIFICATIONS_RETRY_MAX)


def kick(email_ids=None, *, countdown=None):
    """Ask a worker to send ``email_ids``. Never raises: when the broker is down the rows wait
    and the beat sweep sends them once it is back. Returns whether it published."""
    return OUTBOX.kick(email_ids or [], countdown=countdown)


def kick_after_commit(email_ids):
    """Ask a worker to send these e-mails once the current transaction commits."""
    ids = list(email_ids)
    transaction.on_commit(lambda: kick(ids), robust=True)


def message_id(key):
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:40]}@{domain}>"


def mime_part(filename, mimetype, content):
    """One attachment as a MIME part, keeping the content type's parameters
    (``text/calendar; method=REQUEST``: calendar clients read the method from them)."""
    main, _sep, rest = mimetype.partition(";")
    maintype, _slash, subtype = main.strip().lower().partition("/")
    params = []
    for item in rest.split(";"):
        name, equals, value = item.strip().partition("=")
        if name and equals:
            params.append((name.strip(), value.strip().strip('"')))
    if maintype == "text":
        part = MIMEText(content.decode("utf-8", errors="replace"), subtype, "utf-8")
    else:
        from email import encoders

        part = MIMEBase(maintype, subtype)
        part.set_payload(content)
        encoders.encode_base64(part)
    for name, value in params:
        part.set_param(name, value)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


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


def deliver(email_id, *, now=None, connection=None):
    """Send one e-mail if it is due and nobody else is sending it; record the result."""
    now = now or timezone.now()
    token = OUTBOX.claim(email_id, now=now)
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
    for attachment in OutboundAttachment.objects.filter(email_id=email.pk).order_by("pk"):
        message.attach(mime_part(attachment.filename, attachment.mimetype,
                                 bytes(attachment.content)))
    try:
        message.send()
    except SoftTimeLimitExceeded as exc:
        _record_failure(email, token, exc, now=now)
        raise
    except Exception as exc:  # any failure of the backend is recorded on the row
        if connection is not None:
            connection.close()  # a broken SMTP session must not fail the next message too
        return _record_failure(email, token, exc, now=now)
    if not OUTBOX.release(email.pk, token, state=EmailState.SENT, sent_at=timezone.now(),
                          last_error=""):
        logger.warning("Outbound e-mail %s was sent after its claim expired", email.pk)
    return Outcome.SENT


def _record_failure(email, token, exc, *, now):
    error = f"{type(exc).__name__}: {exc}"[:2000]
    changes, outcome, delay = OUTBOX.after_failure(email.attempts, now=now,
                                                   permanent=is_permanent(exc),
                                                   failed=EmailState.FAILED)
    OUTBOX.release(email.pk, token, last_error=error, **changes)
    logger.warning("Outbound e-mail %s attempt %s failed (%s): %s", email.pk, email.attempts,
                   outcome, error)
    OUTBOX.retry_later([email.pk], delay)
    return outcome


def sweep(*, now=None, batch_size=100, time_budget=None):
    """Send every due e-mail, in batches, for at most ``time_budget`` seconds (the beat runs
    this every minute) over one mail connection; returns {outcome: count}."""
    connection = get_connection()
    try:
        return OUTBOX.sweep(lambda pk, current: deliver(pk, now=current, connection=connection),
                            now=now, batch_size=batch_size, time_budget=time_budget)
    finally:
        connection.close()


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
