import hashlib
import hmac
import json
import math
from datetime import UTC

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import Result


def canonical_json(value):
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class ActivityLog(models.Model):
    """One entry of the single audit log, chained to the previous one by ``prev_hash``.

    Rows are written only by ``audit.services.log_action`` and never changed: a trigger (on
    PostgreSQL and SQLite) refuses UPDATE and DELETE (except nulling ``actor`` when a user is
    deleted, and the purge of entries older than 180 days through
    ``audit.services.purge_entries``), and TRUNCATE on PostgreSQL. In production the table
    belongs to the owner role; the application's role may only SELECT and INSERT (``audit.grants``).
    Each entry's hash is an HMAC under a key kept outside the database (``AUDIT_HMAC_KEY``).
    """

    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    timestamp = models.DateTimeField(_("time"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("actor"),
    )
    # Kept as written even when the user is later deleted or anonymised: a pseudonymous id
    # ("user #12"), never the name or e-mail (audit.services.actor_label_for).
    actor_label = models.CharField(_("actor"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("object type"),
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    from_state = models.CharField(_("from state"), max_length=50, blank=True)
    to_state = models.CharField(_("to state"), max_length=50, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices,
                              default=Result.SUCCESS)
    prev_hash = models.CharField(_("previous hash"), max_length=64)
    entry_hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        verbose_name = _("activity log entry")
        verbose_name_plural = _("activity log")
        ordering = ["-sequence"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["action"], name="audit_action_idx"),
            models.Index(fields=["timestamp"], name="audit_timestamp_idx"),
        ]

    def __str__(self):
        return f"#{self.sequence} {self.action} {self.object_repr}".strip()

    def hash_payload(self):
        """The fields the hash covers. ``actor_id`` is left out on purpose: deleting a user sets
        it to NULL, while ``actor_label`` (the user's pseudonymous id) stays."""
        if self.content_type_id:
            content_type = ContentType.objects.get_for_id(self.content_type_id)
            type_key = f"{content_type.app_label}.{content_type.model}"
        else:
            type_key = ""
        return {
            "sequence": self.sequence,
            "timestamp": self.timestamp.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_label": self.actor_label,
            "action": self.action,
            "content_type": type_key,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "data": normalise_json(self.data),
            "ip_address": self.ip_address or "",
            "result": self.result,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self, key=None):
        """HMAC-SHA256 of the payload under ``AUDIT_HMAC_KEY``, a key kept outside the database:
        someone who can rewrite rows (and recompute a plain hash chain) cannot forge these."""
        key = key if key is not None else settings.AUDIT_HMAC_KEY
        return hmac.new(str(key).encode("utf-8"),
                        canonical_json(self.hash_payload()).encode("utf-8"),
                        hashlib.sha256).hexdigest()


def normalise_json(value):
    """The JSON value as it reads back from any database: integral floats become integers
    (PostgreSQL's jsonb keeps 1e20 as a number without a fraction), NUL characters, which jsonb
    and text columns refuse, are removed."""
    if isinstance(value, dict):
        return {_strip_nul(str(key)): normalise_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [normalise_json(item) for item in value]
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return _strip_nul(value)
    return value


def _strip_nul(text):
    return text.replace("\x00", "")
