"""Every write of the API app: issuing and revoking partner keys, counting their use."""

import hashlib
import secrets

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts.enums import RoleCode
from accounts.permissions import is_torch_staff
from common.errors import DomainError

from .models import ApiKey, ApiKeyUsage

KEY_PREFIX = "cp_"


class ApiKeyError(DomainError):
    """A refused change of an API key; ``message`` is shown to the user as is."""


def hash_key(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def _torch_staff_ids():
    return list(get_user_model().objects.filter(roles__code=RoleCode.TORCH_STAFF, is_active=True)
                .values_list("pk", flat=True).distinct())


def _notify(key, *, verb, actor):
    from notifications.services import notify_many

    notify_many(recipient_ids=_torch_staff_ids(), kind="api.key_changed",
                context={"partner": key.partner, "prefix": key.prefix, "verb": verb,
                         "actor": actor.get_full_name() or actor.email},
                idempotency_key=f"api-key-{key.pk}-{verb}", obj=key, url=reverse("api:keys"))


def issue_key(*, actor, partner, contact_email="", rate_per_minute=600, note="", request=None):
    """Issue a key to a partner: Torch staff only. Returns ``(key, raw)``; ``raw`` is shown
    once and never stored."""
    from audit.services import log_action

    if not is_torch_staff(actor):
        raise ApiKeyError(gettext("Only Torch Center staff issue API keys."))
    for _attempt in range(3):
        prefix = secrets.token_hex(4)
        raw = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                key = ApiKey.objects.create(
                    partner=partner, contact_email=contact_email, prefix=prefix,
                    key_hash=hash_key(raw), rate_per_minute=rate_per_minute, note=note,
                    created_by=actor)
                log_action("portal.api.key_issued", actor=actor, obj=key,
                           data={"partner": partner, "prefix": prefix,
                                 "rate_per_minute": rate_per_minute}, request=request)
                _notify(key, verb="issued", actor=actor)
        except IntegrityError:  # a prefix drawn twice: draw again
            continue
        return key, raw
    raise ApiKeyError(gettext("The key could not be issued; try again."))


def revoke_key(key, *, actor, request=None):
    """Revoke a key at once: its next request is refused. Torch staff only; idempotent."""
    from audit.services import log_action

    if not is_torch_staff(actor):
        raise ApiKeyError(gettext("Only Torch Center staff revoke API keys."))
    with transaction.atomic():
        locked = ApiKey.objects.select_for_update().get(pk=key.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.save(update_fields=["revoked_at", "revoked_by"])
        log_action("portal.api.key_revoked", actor=actor, obj=locked,
                   data={"partner": locked.partner, "prefix": locked.prefix}, request=request)
        _notify(locked, verb="revoked", actor=actor)
    return locked


def record_use(key):
    """Count one request made with ``key``: its total, last use and today's row (two or three
    single-row writes, no lock held)."""
    now = timezone.now()
    today = timezone.localdate(now)
    ApiKey.objects.filter(pk=key.pk).update(request_count=F("request_count") + 1,
                                            last_used_at=now)
    if not ApiKeyUsage.objects.filter(key_id=key.pk, day=today).update(
            requests=F("requests") + 1):
        try:
            with transaction.atomic():
                ApiKeyUsage.objects.create(key_id=key.pk, day=today, requests=1)
        except IntegrityError:  # another request created today's row first
            ApiKeyUsage.objects.filter(key_id=key.pk, day=today).update(
                requests=F("requests") + 1)
