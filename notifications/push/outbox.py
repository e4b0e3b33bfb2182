"""``notify_many``: the bulk variant of ``notifications.services.notify`` for one event that
reaches many people (a publication to its subscribers).

It writes the same rows as ``notify`` (an inbox line and an outbound e-mail per recipient,
held for the digest, sent at once, or nothing when the kind is off), under the same delivery
keys (``services.delivery_key``), so calling it again, or calling ``notify`` for one of the
same recipients with the same key, writes nothing more. It differs in cost only: a fixed
number of queries for any number of recipients (multi-row inserts that skip existing keys,
``INSERT … ON CONFLICT (idempotency_key) DO NOTHING``, what ``bulk_create(ignore_conflicts=
True)`` does, see ``insert_new``) and the kind's templates rendered once per language, each
recipient's own values put in afterwards.
"""

from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

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
        # The user model's own methods, on this row's values: building a model instance per
        # recipient would cost more than the rest of the row.
        User = get_user_model()
        return {MARKS["short_name"]: User.get_short_name(self),
                MARKS["full_name"]: User.get_full_name(self),
                MARKS["email"]: self.email,
                MARKS["str"]: User.__str__(self)}


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
    idempotency_key)``. A row whose key exists already is left as it is (a recipient who has
    both gets nothing); inactive users and those who turned the kind off are skipped. E-mails
    to be sent at once are relayed after commit. Returns how many recipients got a new inbox
    line.

    Costs three queries however many ids are given (callers pass batches of a few thousand;
    SQLite splits an insert at its parameter limit).
    """
    spec = get_kind(kind)
    _check_arguments(context, idempotency_key, url)
    recipients = _recipients(spec, recipient_ids)
    if not recipients:
        return 0
    target_type = ContentType.objects.get_for_model(obj).pk if obj is not None else None
    target_id = str(obj.pk) if obj is not None else ""
    renderer = _Renderer(spec, context, url)
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
        pending = [pk for pk, state in written if state == EmailState.PENDING]
        if pending:
            kick_after_commit(pending)
    return len(inserted)


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
    head = (f"INSERT INTO {quote(meta.db_table)} "
            f"({', '.join(quote(fields[name].column) for name in names)}) VALUES ")
    tail = (f" ON CONFLICT ({quote(fields[key].column)}) DO NOTHING RETURNING "
            + ", ".join(quote(fields[name].column) for name in returning))
    per_statement = max(1, _max_parameters() // len(names))
    returned = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
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
