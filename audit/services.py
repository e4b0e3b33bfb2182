"""Writes to the audit log: ``log_action`` and ``log_denied`` for every other app, the purge,
and the verification of the hash chain."""

import json
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address
from django.utils.translation import gettext as _

from .enums import ACTION_ACCESS_DENIED, ACTION_PURGE, GENESIS_HASH, MIN_RETENTION_DAYS, Result
from .masking import mask_data
from .models import ActivityLog, normalise_json

# Key of the PostgreSQL advisory lock that serialises appends to the chain ("AUDITLOG").
CHAIN_LOCK_KEY = 0x4155444954_4C4F47

ANONYMOUS_LABEL = "anonymous"
SYSTEM_LABEL = "system"


def actor_label_for(user):
    """How an actor is named in the log for good: a pseudonymous id, never the name or e-mail
    (PIPL: the log is kept after the account is erased, and must not identify the person then;
    while the account exists, its id leads to it)."""
    return pseudonym(user.pk)


def pseudonym(user_id):
    return f"user #{user_id}"


def _user_model():
    from django.contrib.auth import get_user_model

    return get_user_model()


def object_label(obj):
    """``str(obj)`` with every person it names replaced by their pseudonym: a user is
    ``user #<id>``, and a membership "陈静 @ 某公司" becomes "user #12 @ 某公司"."""
    user_model = _user_model()
    if isinstance(obj, user_model):
        return pseudonym(obj.pk)
    text = str(obj)
    for field in obj._meta.concrete_fields:
        if not (field.is_relation and field.related_model is user_model):
            continue
        user_id = getattr(obj, field.attname, None)
        if user_id is None:
            continue
        # A __str__ that names the user has loaded it (str() ran above); one that has not
        # loaded it does not name it, so no query is needed.
        user = field.get_cached_value(obj, None)
        if user is None:
            continue
        for value in (str(user), getattr(user, "full_name", ""), getattr(user, "email", "")):
            if value:
                text = text.replace(value, pseudonym(user_id))
    return text


def _client_ip(request):
    # ClientIPMiddleware already put the real client address in REMOTE_ADDR.
    return _clean_ip(request.META.get("REMOTE_ADDR"))


def _clean_ip(value):
    if not value:
        return None
    from django.core.validators import validate_ipv46_address

    try:
        validate_ipv46_address(value)
    except ValidationError:
        return None
    # Stored and hashed in the form GenericIPAddressField saves it.
    return clean_ipv6_address(value) if ":" in value else value


def _clean_text(value, max_length):
    return str(value or "").replace("\x00", "")[:max_length]


def log_action(action, *, actor=None, obj=None, from_state="", to_state="", data=None,
               request=None, result=Result.SUCCESS):
    """Append one entry to the audit log and return it.

    Call it inside the transaction that makes the change, so that the entry and the change are
    committed or rolled back together. ``action`` is namespaced (``portal.demand.publish``);
    ``data`` is any JSON-able mapping, its sensitive keys (passwords, tokens, e-mail, phone,
    ID numbers...) are masked before writing. With ``request`` the actor (unless given) and the
    client IP are taken from it.

    On PostgreSQL the append holds a transaction-scoped advisory lock until the caller's
    transaction ends, so concurrent writers queue behind each other and never fork the chain.
    """
    if request is not None and actor is None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if actor is not None:
        label = actor_label_for(actor)
    else:
        label = ANONYMOUS_LABEL if request is not None else SYSTEM_LABEL
    return _append(
        action=action,
        actor=actor,
        actor_label=label,
        obj=obj,
        from_state=from_state,
        to_state=to_state,
        data=data,
        ip_address=_client_ip(request) if request is not None else None,
        result=result,
    )


def log_denied(request, obj=None, action=ACTION_ACCESS_DENIED, data=None):
    """Record a refused access (the view answers 404 or 403 after calling this)."""
    data = dict(data or {})
    # The path without its query string, which may carry tokens.
    data.setdefault("path", request.path[:500])
    data.setdefault("method", request.method)
    entry = log_action(action, obj=obj, data=data, request=request, result=Result.DENIED)
    # audit.middleware.DenialAuditMiddleware logs every other refusal; not this one again.
    request._portal_denial_logged = True
    return entry


def _append(*, action, actor, actor_label, obj, from_state, to_state, data, ip_address, result,
            timestamp=None):
    """Lock the chain head, read it and write the next entry (``timestamp`` is for tests and
    fixtures that need old entries; everything else writes the current time)."""
    result = Result(result)
    if not action or len(action) > 100:
        raise ValueError("action must be a namespaced name of at most 100 characters")
    payload = normalise_json(
        json.loads(json.dumps(mask_data(data or {}), cls=DjangoJSONEncoder))
    )
    content_type, object_id, object_repr = None, "", ""
    if obj is not None:
        if obj.pk is None:
            raise ValueError("log_action needs a saved object (call it after saving)")
        content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        object_id = _clean_text(obj.pk, 64)
        object_repr = _clean_text(object_label(obj), 200)

    with transaction.atomic():
        _lock_chain()
        last = ActivityLog.objects.order_by("-sequence").values("sequence", "entry_hash").first()
        entry = ActivityLog(
            sequence=(last["sequence"] + 1) if last else 1,
            timestamp=timestamp or timezone.now(),
            actor=actor,
            actor_label=_clean_text(actor_label, 300),
            action=action,
            content_type=content_type,
            object_id=object_id,
            object_repr=object_repr,
            from_state=_clean_text(from_state, 50),
            to_state=_clean_text(to_state, 50),
            data=payload,
            ip_address=ip_address,
            result=result.value,
            prev_hash=last["entry_hash"] if last else GENESIS_HASH,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save(force_insert=True)
    return entry


def _lock_chain():
    # SQLite serialises writers on its own (one RESERVED lock per database); the unique
    # sequence is the last guard everywhere.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


# --- purge -----------------------------------------------------------------------------------
class PurgeRefused(ValueError):
    pass


def purge_entries(older_than_days):
    """Delete the oldest entries, all older than ``older_than_days`` (at least 180), and log the
    purge. Returns the number of entries deleted.

    Only a prefix of the chain is removed (up to the first entry that is still too young), and
    the purge entry records the sequence and hash of the last deleted entry, which is where the
    verifier anchors the remaining chain. On PostgreSQL the trigger lets these DELETEs through
    only inside this transaction (``audit.allow_purge``) and checks the age itself.
    """
    if older_than_days < MIN_RETENTION_DAYS:
        raise PurgeRefused(
            _("Audit entries must be kept at least %(days)d days; refusing to purge entries "
              "younger than that.") % {"days": MIN_RETENTION_DAYS}
        )
    cutoff = timezone.now() - timedelta(days=older_than_days)
    with transaction.atomic():
        _lock_chain()
        first_young = (
            ActivityLog.objects.filter(timestamp__gte=cutoff).order_by("sequence")
            .values_list("sequence", flat=True).first()
        )
        old = ActivityLog.objects.filter(timestamp__lt=cutoff)
        if first_young is not None:
            old = old.filter(sequence__lt=first_young)
        last = old.order_by("-sequence").values("sequence", "entry_hash").first()
        deleted = 0
        if last is not None:
            _purge_permit(True)
            # Nothing points at log entries, so this is one fast DELETE statement.
            deleted, _counts = ActivityLog.objects.filter(
                sequence__lte=last["sequence"]
            ).delete()
            _purge_permit(False)
        data = {"older_than_days": older_than_days, "deleted": deleted}
        if last is not None:
            data.update(through_sequence=last["sequence"], through_hash=last["entry_hash"])
        _append(action=ACTION_PURGE, actor=None, actor_label=SYSTEM_LABEL, obj=None,
                from_state="", to_state="", data=data, ip_address=None, result=Result.SUCCESS)
    return deleted


def _purge_permit(on):
    """Open or close the triggers' purge window inside the current transaction: a transaction-
    local setting on PostgreSQL, a row of ``audit_purge_permit`` on SQLite (migration 0003)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL audit.allow_purge = '{'on' if on else 'off'}'")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            if on:
                cursor.execute("INSERT INTO audit_purge_permit DEFAULT VALUES")
            else:
                cursor.execute("DELETE FROM audit_purge_permit")


# --- verification ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Verification:
    ok: bool
    count: int
    first_sequence: int | None = None
    last_sequence: int | None = None
    head_hash: str = ""
    broken_id: int | None = None
    broken_sequence: int | None = None
    reason: str = ""


def verify_chain(chunk_size=2000):
    """Walk the chain in sequence order and stop at the first entry that does not fit.

    An entry is broken when its content no longer matches its hash (it was changed), when its
    sequence skips (entries before it were deleted) or when its ``prev_hash`` is not the hash
    of the entry before it. The first remaining entry is anchored by the genesis hash, or after
    a purge by the purge entry that recorded the last deleted sequence and hash.
    """
    count = 0
    previous = None
    first = None
    for entry in ActivityLog.objects.order_by("sequence").iterator(chunk_size=chunk_size):
        if previous is None:
            first = entry
            reason = _anchor_problem(entry)
        elif entry.sequence != previous.sequence + 1:
            reason = (f"sequence jumps from {previous.sequence} to {entry.sequence}: "
                      f"entries in between are missing")
        elif entry.prev_hash != previous.entry_hash:
            reason = f"prev_hash does not match the hash of entry sequence={previous.sequence}"
        else:
            reason = ""
        if not reason and entry.compute_hash() != entry.entry_hash:
            reason = "content does not match its hash (the entry was changed)"
        if reason:
            return Verification(ok=False, count=count, broken_id=entry.pk,
                                broken_sequence=entry.sequence, reason=reason)
        count += 1
        previous = entry
    return Verification(
        ok=True, count=count,
        first_sequence=first.sequence if first else None,
        last_sequence=previous.sequence if previous else None,
        head_hash=previous.entry_hash if previous else "",
    )


def _anchor_problem(entry):
    if entry.sequence == 1:
        return "" if entry.prev_hash == GENESIS_HASH else "the first entry does not start the chain"
    purge = (
        ActivityLog.objects.filter(action=ACTION_PURGE,
                                   data__through_sequence=entry.sequence - 1)
        .order_by("-sequence").first()
    )
    if purge is None:
        return (f"the chain starts at sequence {entry.sequence} but no purge entry accounts for "
                f"the entries before it")
    if purge.data.get("through_hash") != entry.prev_hash:
        return (f"prev_hash does not match the last purged hash recorded by the purge entry "
                f"sequence={purge.sequence}")
    return ""
