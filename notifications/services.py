"""Writes of the notifications app. Other apps call ``notify``; nothing here sends e-mail
(``notifications.relay`` does, after the caller's transaction has committed)."""

import json
import time
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from audit.services import log_action

from . import selectors
from .enums import DeliveryMode, EmailState, can_transition
from .kinds import KINDS, get_kind
from .models import (
    KEY_LENGTH,
    Notification,
    NotificationPreference,
    OutboundAttachment,
    OutboundEmail,
)
from .outbox import insert_new
from .relay import kick_after_commit
from .rendering import RESERVED_CONTEXT_NAMES, BatchRenderer, Recipient, render_digest

# Room left in the stored key for the kind and the recipient's id.
MAX_CALLER_KEY_LENGTH = 150
# What one e-mail may carry in attachments (they are stored with every recipient's row).
MAX_ATTACHMENT_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Attachment:
    """A file sent with the e-mail of a notification: ``filename``, the full content type
    (parameters included, ``"text/calendar; method=REQUEST"``) and the ``content`` (bytes,
    or text sent as UTF-8)."""

    filename: str
    mimetype: str
    content: bytes

    def data(self):
        return self.content.encode() if isinstance(self.content, str) else bytes(self.content)


class NotificationError(ValueError):
    """A call that can never succeed: unknown kind, bad context, bad link or key."""


def delivery_key(kind, recipient, idempotency_key):
    """The key stored on both rows: the caller's key, scoped to the kind and the recipient, so
    one event may notify many people with the same caller key, each of them once."""
    return f"{kind}:{recipient.pk}:{idempotency_key}"


def preference_mode(user, kind):
    """How ``user`` wants ``kind`` (a Kind) delivered."""
    if kind.security:
        return DeliveryMode.IMMEDIATE
    return _mode(kind, NotificationPreference.objects.filter(user=user, kind=kind.key)
                 .values_list("mode", flat=True).first())


def notify(*, recipient, kind, context, idempotency_key, url="", obj=None, attachments=()):
    """Notify ``recipient`` of an event of ``kind``, inside the caller's transaction: the
    one-recipient case of :func:`notify_many`.

    Writes an inbox line (Notification) and an outbound e-mail according to the recipient's
    preference for the kind: sent right after commit, held for the daily digest, or nothing
    when the kind is off (security kinds are always sent at once). Rendered now, in the
    recipient's language, from the kind's templates with ``context`` (JSON-serialisable
    values only: ids, strings, numbers). ``url`` is a path on this site (``/demands/12/``);
    ``obj`` is the model instance the notification is about, if any.

    ``idempotency_key`` names the event (e.g. ``f"demand:{pk}:status:{state}"``): calling
    again with the same key, kind and recipient writes nothing, even from a concurrent
    transaction. If the caller's transaction rolls back, nothing is written or sent.
    ``attachments`` (``Attachment``s) go with the e-mail. Returns None.
    """
    notify_many(recipient_ids=[recipient.pk], kind=kind, context=context,
                idempotency_key=idempotency_key, url=url, obj=obj, attachments=attachments)


def notify_many(*, recipient_ids, kind, context, idempotency_key, url="", obj=None,
                attachments=()):
    """Notify each of ``recipient_ids`` (user ids) of one event of ``kind``, as ``notify``
    describes, inside one transaction (the caller's, or its own).

    The delivery key of each recipient is ``delivery_key(kind, recipient, idempotency_key)``,
    stored on both rows. A row whose key exists already is left as it is (a recipient who has
    both gets nothing); inactive users (except for security kinds) and those who turned the
    kind off are skipped. E-mails to be sent at once are relayed after commit. Returns how
    many recipients got a new inbox line.

    Costs three queries however many ids are given: multi-row inserts that skip existing keys
    (``outbox.insert_new``); callers pass batches of a few thousand. The kind's templates are
    rendered once per language, each recipient's values put in afterwards
    (``rendering.BatchRenderer``).

    ``attachments`` (``Attachment``s: filename, content type, content) are stored with every
    new e-mail row (one more multi-row insert) and sent with it; a digest that bundles the
    e-mail carries them too.
    """
    spec = get_kind(kind)
    _check_arguments(context, idempotency_key, url)
    attachments = _check_attachments(attachments)
    recipients = _recipients(spec, recipient_ids)
    if not recipients:
        return 0
    target_type = ContentType.objects.get_for_model(obj).pk if obj is not None else None
    target_id = str(obj.pk) if obj is not None else ""
    renderer = BatchRenderer(spec, context, url)
    notifications, emails = [], []
    for recipient in recipients:
        key = delivery_key(kind, recipient, idempotency_key)
        rendered = renderer.render(recipient)
        notifications.append((recipient.pk, kind, rendered.inapp, url, target_type, target_id,
                              key))
        emails.append((recipient.pk, recipient.email, kind, rendered.language,
                       rendered.subject, rendered.body, rendered.link, key,
                       EmailState.PENDING if recipient.mode == DeliveryMode.IMMEDIATE
                       else EmailState.HELD))
    with transaction.atomic():
        inserted = insert_new(
            Notification, ["recipient_id", "kind", "text", "url", "target_content_type_id",
                           "target_object_id", "idempotency_key"], notifications,
            returning=["id"])
        written = insert_new(
            OutboundEmail, ["recipient_id", "to_address", "kind", "language", "subject", "body",
                            "link", "idempotency_key", "state"], emails,
            returning=["id", "state"])
        if attachments:
            _store_attachments([pk for pk, _state in written], attachments)
        pending = [pk for pk, state in written if state == EmailState.PENDING]
        if pending:
            kick_after_commit(pending)
        if inserted:
            forget_unread_counts([recipient.pk for recipient in recipients])
    return len(inserted)


def _check_attachments(attachments):
    checked = []
    for attachment in attachments or ():
        if not isinstance(attachment, Attachment):
            raise NotificationError("attachments must be notifications.services.Attachment")
        if not attachment.filename or "/" not in attachment.mimetype:
            raise NotificationError("an attachment needs a file name and a content type")
        checked.append(Attachment(attachment.filename[:255], attachment.mimetype[:255],
                                  attachment.data()))
    if sum(len(attachment.content) for attachment in checked) > MAX_ATTACHMENT_BYTES:
        raise NotificationError(f"attachments are larger than {MAX_ATTACHMENT_BYTES} bytes")
    return checked


def _store_attachments(email_ids, attachments):
    OutboundAttachment.objects.bulk_create(
        [OutboundAttachment(email_id=email_id, filename=attachment.filename,
                            mimetype=attachment.mimetype, content=attachment.content)
         for email_id in email_ids for attachment in attachments],
        batch_size=500)


def _recipients(kind, user_ids):
    """The recipients among ``user_ids`` that the kind reaches, with what it needs of each,
    in id order (one query)."""
    preference = NotificationPreference.objects.filter(user=OuterRef("pk"), kind=kind.key)
    rows = (get_user_model().objects.filter(pk__in=list(user_ids))
            .annotate(notification_mode=Subquery(preference.values("mode")[:1]))
            .order_by("pk")
            .values_list("pk", "email", "full_name", "language", "is_active",
                         "notification_mode"))
    recipients = []
    for pk, email, full_name, language, is_active, stored in rows:
        if not is_active and not kind.security:
            continue
        mode = _mode(kind, stored)
        if mode != DeliveryMode.OFF:
            recipients.append(Recipient(pk=pk, email=email, full_name=full_name,
                                        language=language, is_active=is_active, mode=mode))
    return recipients


def _mode(kind, stored):
    if kind.security:
        return DeliveryMode.IMMEDIATE
    return DeliveryMode(stored) if stored in kind.modes else kind.default


def _check_arguments(context, idempotency_key, url):
    if not isinstance(context, dict):
        raise NotificationError("context must be a dict")
    try:
        json.dumps(context)
    except (TypeError, ValueError) as exc:
        raise NotificationError(f"context must be JSON-serialisable: {exc}") from exc
    clash = RESERVED_CONTEXT_NAMES & context.keys()
    if clash:
        raise NotificationError(f"context may not use the reserved names {sorted(clash)}")
    if not isinstance(idempotency_key, str) or not idempotency_key.strip():
        raise NotificationError("an idempotency_key is required")
    if len(idempotency_key) > MAX_CALLER_KEY_LENGTH:
        raise NotificationError(f"idempotency_key is longer than {MAX_CALLER_KEY_LENGTH}")
    if url and (not url.startswith("/") or url.startswith("//")):
        raise NotificationError("url must be a path on this site, starting with one '/'")


def _create_once(model, **fields):
    """Insert a row whose idempotency_key is new, or return None if it already exists.

    The insert runs in a savepoint: a concurrent duplicate raises IntegrityError, which must
    roll back only the savepoint, never the caller's transaction."""
    key = fields["idempotency_key"]
    assert len(key) <= KEY_LENGTH
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        if model.objects.filter(idempotency_key=key).exists():
            return None
        raise


# --- the inbox --------------------------------------------------------------------------------
def mark_read(user, notification_id):
    """Mark one of ``user``'s notifications read and return it, or None if ``user`` has no
    notification with that id."""
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        return None
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        _forget_unread(user)
    return notification


def mark_all_read(user):
    """Mark every unread notification of ``user`` read; returns how many."""
    _forget_unread(user)
    return (Notification.objects.filter(recipient=user, read_at__isnull=True)
            .update(read_at=timezone.now()))


def _forget_unread(user):
    """The unread count read with the user's roles earlier in this request, or kept in the
    cache, is stale now."""
    try:
        del user._unread_notifications  # through request.user's lazy wrapper too
    except AttributeError:
        pass
    forget_unread_counts([user.pk])


def forget_unread_counts(user_ids):
    """Drop the badges' cached counts of ``user_ids`` now and once the transaction commits (a
    request counting in between must not keep the old count)."""
    keys = [selectors.unread_key(pk) for pk in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


# --- preferences ------------------------------------------------------------------------------
def set_preferences(user, modes):
    """Save ``modes`` ({kind key: DeliveryMode}) for ``user``. Security kinds keep being sent
    at once whatever is asked; unknown kinds and modes a kind does not allow are refused."""
    with transaction.atomic():
        for key, mode in modes.items():
            kind = get_kind(key)
            if kind.security:
                continue
            if mode not in kind.modes:
                raise NotificationError(f"{mode!r} is not a delivery mode of {key!r}")
            NotificationPreference.objects.update_or_create(
                user=user, kind=key, defaults={"mode": mode}
            )


def preferences_of(user):
    """{kind key: mode} for every registered kind, defaults filled in."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    modes = {}
    for key, kind in KINDS.items():
        mode = stored.get(key, kind.default)
        modes[key] = DeliveryMode.IMMEDIATE if kind.security else (
            mode if mode in kind.modes else kind.default)
    return modes


# --- the daily digest -----------------------------------------------------------------------
@dataclass(frozen=True)
class DigestRun:
    day: object
    built: int
    finished: bool


def digest_key(user_id, day):
    return f"{OutboundEmail.DIGEST_KIND}:{user_id}:{day.isoformat()}"


def build_digests(*, day=None, now=None, deadline=None):
    """Bundle every user's held e-mails into one digest e-mail for ``day`` (default: today in
    the portal's time zone) and relay them after commit. One digest per user and day, however
    often this runs; a user whose digest for the day exists keeps newer held e-mails for the
    next day's. Stops at ``deadline`` (a time.monotonic() value) with ``finished=False``."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    user_ids = (OutboundEmail.objects.filter(state=EmailState.HELD, recipient__isnull=False,
                                             created_at__lte=now)
                .order_by("recipient_id").values_list("recipient_id", flat=True).distinct())
    built = 0
    for user_id in list(user_ids):
        if deadline is not None and time.monotonic() >= deadline:
            return DigestRun(day=day, built=built, finished=False)
        if build_digest_for(user_id, day=day, now=now) is not None:
            built += 1
    return DigestRun(day=day, built=built, finished=True)


def build_digest_for(user_id, *, day, now):
    """The digest e-mail of one user for ``day``, or None if there is nothing to bundle or it
    exists already."""
    key = digest_key(user_id, day)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    with transaction.atomic():
        if OutboundEmail.objects.filter(idempotency_key=key).exists():
            return None
        # Row locks keep a concurrent run (for another day) from bundling the same items.
        items = list(OutboundEmail.objects.select_for_update(skip_locked=True)
                     .filter(recipient_id=user_id, state=EmailState.HELD, created_at__lte=now)
                     .order_by("created_at", "pk"))
        if not items:
            return None
        subject, body, language = render_digest(recipient=user, items=items, day=day)
        digest = _create_once(
            OutboundEmail, recipient=user, to_address=user.email,
            kind=OutboundEmail.DIGEST_KIND, language=language, subject=subject, body=body,
            idempotency_key=key, state=EmailState.PENDING,
        )
        if digest is None:
            return None
        OutboundEmail.objects.filter(pk__in=[item.pk for item in items],
                                     state=EmailState.HELD).update(
            state=EmailState.BUNDLED, digest=digest, updated_at=timezone.now())
        # The digest carries what its items would have carried (an invitation's .ics).
        OutboundAttachment.objects.bulk_create([
            OutboundAttachment(email=digest, filename=attachment.filename,
                               mimetype=attachment.mimetype, content=attachment.content)
            for attachment in OutboundAttachment.objects.filter(
                email_id__in=[item.pk for item in items]).order_by("email__created_at", "pk")
        ])
        kick_after_commit([digest.pk])
    return digest


def send_to_address(*, to_address, kind, subject, body, idempotency_key, language=""):
    """Queue one e-mail to an address that is not (or not yet) an account: a demand's contact
    person asked to confirm their consent. Sent after commit by the relay like every other
    e-mail; the same ``idempotency_key`` twice queues it once. Returns the row, or None."""
    email = _create_once(
        OutboundEmail, recipient=None, to_address=to_address, kind=kind,
        language=language or "zh-hans", subject=subject[:255], body=body,
        idempotency_key=idempotency_key, state=EmailState.PENDING,
    )
    if email is not None:
        kick_after_commit([email.pk])
    return email


# --- staff ------------------------------------------------------------------------------------
def retry_emails(email_ids, *, actor=None, request=None):
    """Send failed e-mails again (staff action): back to pending with fresh attempts, relayed
    after commit, each change in the audit log. Returns how many were requeued; rows in any
    other state are left alone."""
    assert can_transition(EmailState.FAILED, EmailState.PENDING)
    with transaction.atomic():
        emails = list(OutboundEmail.objects.select_for_update()
                      .filter(pk__in=list(email_ids), state=EmailState.FAILED))
        ids = [email.pk for email in emails]
        count = OutboundEmail.objects.filter(pk__in=ids, state=EmailState.FAILED).update(
            state=EmailState.PENDING, attempts=0, next_attempt_at=timezone.now(),
            claimed_until=None, updated_at=timezone.now(),
        )
        for email in emails:
            log_action("portal.notifications.email_retry", actor=actor, request=request,
                       obj=email, from_state=EmailState.FAILED, to_state=EmailState.PENDING,
                       data={"attempts": email.attempts, "last_error": email.last_error})
        if ids:
            kick_after_commit(ids)
    return count


__all__ = ["Attachment", "notify", "notify_many", "mark_read", "mark_all_read", "set_preferences",
           "preferences_of",
           "preference_mode", "retry_emails", "delivery_key", "build_digests",
           "NotificationError"]
