"""``notify_many``: the bulk variant of ``notifications.services.notify`` for one event that
reaches many people (a publication to its subscribers).

It writes the same rows as ``notify`` (an inbox line and an outbound e-mail per recipient,
held for the digest, sent at once, or nothing when the kind is off), under the same delivery
keys (``services.delivery_key``), so calling it again, or calling ``notify`` for one of the
same recipients with the same key, writes nothing more. It differs in cost only: a fixed
number of queries for any number of recipients (rows inserted with
``bulk_create(ignore_conflicts=True)`` on the unique keys) and the kind's templates rendered
once per language, each recipient's own values put in afterwards.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import OuterRef, Subquery

from ..enums import DeliveryMode, EmailState
from ..kinds import get_kind
from ..models import Notification, NotificationPreference, OutboundEmail
from ..relay import kick_after_commit
from ..rendering import language_of, one_line, render_kind
from ..services import _check_arguments, delivery_key

# Recipient values a kind's templates may use; anything else makes that language fall back to
# rendering for each recipient (correct, only slower).
_MARK = "\ue000{}\ue001"
MARKS = {
    "short_name": _MARK.format("S"),
    "full_name": _MARK.format("F"),
    "email": _MARK.format("E"),
    "str": _MARK.format("N"),
}
_PROBES = frozenset({"do_not_call_in_templates", "alters_data", "silent_variable_failure",
                     "resolve_expression", "__html__"})


class _NeedsRecipient(Exception):
    """A template asked the stand-in for something only a real recipient has."""


class _StandIn:
    """A recipient rendered as markers, replaced by each recipient's values afterwards."""

    email = MARKS["email"]
    full_name = MARKS["full_name"]

    def get_short_name(self):
        return MARKS["short_name"]

    def get_full_name(self):
        return MARKS["full_name"]

    def __str__(self):
        return MARKS["str"]

    def __getattr__(self, name):
        if name in _PROBES or name.startswith("_"):
            raise AttributeError(name)
        raise _NeedsRecipient(name)


@dataclass(frozen=True)
class _Recipient:
    pk: int
    email: str
    full_name: str
    language: str
    is_active: bool
    mode: str

    def user(self):
        User = get_user_model()
        return User(pk=self.pk, email=self.email, full_name=self.full_name,
                    language=self.language, is_active=self.is_active)

    def values(self):
        user = self.user()
        return {MARKS["short_name"]: user.get_short_name(),
                MARKS["full_name"]: user.get_full_name(),
                MARKS["email"]: user.email,
                MARKS["str"]: str(user)}


def _fill(text, values):
    for mark, value in values.items():
        text = text.replace(mark, value)
    return text


class _Renderer:
    """Renders a kind once per language; falls back to one render per recipient when the
    templates use more of the recipient than the stand-in offers."""

    def __init__(self, spec, context, url):
        self.spec, self.context, self.url = spec, context, url
        self._by_language = {}

    def render(self, recipient):
        language = language_of(recipient)
        if language not in self._by_language:
            self._by_language[language] = self._render_template(language)
        shared = self._by_language[language]
        if shared is None:
            return render_kind(self.spec, recipient=recipient.user(), context=self.context,
                               url=self.url)
        values = recipient.values()
        subject = one_line(_fill(shared.subject, values))
        body = _fill(shared.body, values)
        inapp = _fill(shared.inapp, values)
        if "\ue000" in subject + body + inapp:  # a filter changed a marker: render exactly
            return render_kind(self.spec, recipient=recipient.user(), context=self.context,
                               url=self.url)
        return SimpleNamespace(subject=subject, body=body, inapp=inapp, link=shared.link,
                               language=shared.language)

    def _render_template(self, language):
        stand_in = _StandIn()
        stand_in.language = language
        try:
            return render_kind(self.spec, recipient=stand_in, context=self.context,
                               url=self.url)
        except _NeedsRecipient:
            return None


def _recipients(kind, user_ids):
    """The recipients among ``user_ids`` with what the kind needs of each (one query)."""
    User = get_user_model()
    preference = NotificationPreference.objects.filter(user=OuterRef("pk"), kind=kind.key)
    rows = (User.objects.filter(pk__in=list(user_ids))
            .annotate(mode=Subquery(preference.values("mode")[:1]))
            .order_by("pk")
            .values_list("pk", "email", "full_name", "language", "is_active", "mode"))
    recipients = []
    for pk, email, full_name, language, is_active, mode in rows:
        if not is_active and not kind.security:
            continue
        if kind.security:
            mode = DeliveryMode.IMMEDIATE
        elif mode not in kind.modes:
            mode = kind.default
        if mode == DeliveryMode.OFF:
            continue
        recipients.append(_Recipient(pk=pk, email=email, full_name=full_name,
                                     language=language, is_active=is_active, mode=mode))
    return recipients


def notify_many(*, recipient_ids, kind, context, idempotency_key, url="", obj=None):
    """Notify each of ``recipient_ids`` (user ids) of one event of ``kind``, as ``notify``
    would for each of them, inside one transaction (the caller's, or its own).

    ``context``, ``idempotency_key``, ``url`` and ``obj`` mean what they mean for ``notify``;
    the delivery key of each recipient is ``services.delivery_key(kind, recipient,
    idempotency_key)``. A recipient who has the inbox line and the e-mail already gets
    nothing; inactive users and those who turned the kind off are skipped. E-mails to be sent
    at once are relayed after commit. Returns how many recipients got a new inbox line.

    Costs a fixed number of queries however many ids are given (callers pass batches of a
    few thousand).
    """
    spec = get_kind(kind)
    _check_arguments(context, idempotency_key, url)
    recipients = _recipients(spec, recipient_ids)
    if not recipients:
        return 0
    keys = {recipient.pk: delivery_key(kind, recipient, idempotency_key)
            for recipient in recipients}
    existing = set(Notification.objects.filter(idempotency_key__in=list(keys.values()))
                   .values_list("idempotency_key", flat=True))
    target = {}
    if obj is not None:
        target = {"target_content_type": ContentType.objects.get_for_model(obj),
                  "target_object_id": str(obj.pk)}
    renderer = _Renderer(spec, context, url)
    notifications, emails, immediate_keys = [], [], []
    for recipient in recipients:
        key = keys[recipient.pk]
        rendered = renderer.render(recipient)
        notifications.append(Notification(
            recipient_id=recipient.pk, kind=kind, text=rendered.inapp, url=url,
            idempotency_key=key, **target))
        immediate = recipient.mode == DeliveryMode.IMMEDIATE
        emails.append(OutboundEmail(
            recipient_id=recipient.pk, to_address=recipient.email, kind=kind,
            language=rendered.language, subject=rendered.subject, body=rendered.body,
            link=rendered.link, idempotency_key=key,
            state=EmailState.PENDING if immediate else EmailState.HELD))
        if immediate:
            immediate_keys.append(key)
    with transaction.atomic():
        Notification.objects.bulk_create(notifications, ignore_conflicts=True)
        OutboundEmail.objects.bulk_create(emails, ignore_conflicts=True)
        if immediate_keys:
            # ignore_conflicts returns no ids: read back the ones this call may send.
            pending = list(OutboundEmail.objects.filter(
                idempotency_key__in=immediate_keys, state=EmailState.PENDING,
            ).values_list("pk", flat=True))
            if pending:
                kick_after_commit(pending)
    return len(recipients) - len(existing & set(keys.values()))
