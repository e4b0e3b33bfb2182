"""Webhooks for partner media and technology platforms, registered by Torch Center staff.

Each publication writes one :class:`WebhookDelivery` per active webhook whose field filter
matches (``queue_publication``, from the fan-out), under the unique key
``webhook:<id>:demand.published:<demand id>``, with the public projection as its payload: the
outbox again, so a duplicated job writes nothing twice. The relay here claims a due delivery
with a conditional update, POSTs it and records the attempt (status, error, duration); a
failure is retried with an exponential backoff capped below the Celery visibility timeout,
and after WEBHOOK_MAX_ATTEMPTS the delivery is failed, shown to staff with a retry.

What a partner receives (``Content-Type: application/json``)::

    X-Portal-Event: demand.published
    X-Portal-Delivery: <delivery uuid, the same on every attempt>
    X-Portal-Timestamp: <unix seconds of this attempt, also "timestamp" in the body>
    X-Portal-Signature: sha256=<hex HMAC-SHA256 of the raw body with the webhook's secret>

    {"event": "demand.published", "delivery": "…", "timestamp": 1764000000,
     "data": {"demand": {…the public projection…, "link": "https://…/demands/6-01-0001/"}}}

A partner verifies with :func:`verify_signature` (or the same three lines in its language)
and should refuse a timestamp older than a few minutes.

Server-side request forgery: a URL must be HTTPS (plain HTTP only with WEBHOOK_ALLOW_HTTP,
for development) and every address its host resolves to must be public (not private,
loopback, link-local, shared or reserved) unless WEBHOOK_ALLOW_PRIVATE; the check runs when
the webhook is saved and again on every attempt, and the connection goes to the address that
was checked (no second lookup for DNS rebinding to exploit), without following redirects.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
import time
from urllib.parse import urlsplit

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import log_action
from notifications.outbox import Outbox, Outcome
from notifications.outbox import retry_delay as outbox_retry_delay
from notifications.rendering import absolute_url

from .enums import DeliveryState, can_delivery_transition
from .models import Webhook, WebhookAttempt, WebhookDelivery

logger = logging.getLogger(__name__)

EVENT_PUBLISHED = "demand.published"
USER_AGENT = "ChallengePortal-Webhooks/1.0"
SIGNATURE_HEADER = "X-Portal-Signature"
MAX_RESPONSE_BYTES = 4096


# --- addresses --------------------------------------------------------------------------------
class DestinationError(Exception):
    """The URL cannot be used now (its host does not resolve); worth trying again later."""


class UnsafeDestination(DestinationError):
    """The URL points into the portal's own networks, or is not allowed at all: refused."""

    def __init__(self, message, *, code="private"):
        super().__init__(message)
        self.code = code


def is_public_address(address):
    """Whether ``address`` (an IP as text) is a public unicast address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host, port):
    """The addresses of ``host``, every one of them public unless WEBHOOK_ALLOW_PRIVATE.
    Raises UnsafeDestination, or DestinationError when the name does not resolve."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DestinationError(f"{host} does not resolve: {exc}") from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise DestinationError(f"{host} does not resolve")
    if not settings.WEBHOOK_ALLOW_PRIVATE:
        refused = [address for address in addresses if not is_public_address(address)]
        if refused:
            raise UnsafeDestination(
                f"{host} resolves to a private, loopback or reserved address ({refused[0]})")
    return addresses


def _split(url):
    """(scheme, host, port, path) of an acceptable URL, or UnsafeDestination."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeDestination(f"not a valid URL: {exc}", code="invalid") from exc
    scheme = parts.scheme.lower()
    if scheme != "https" and not (scheme == "http" and settings.WEBHOOK_ALLOW_HTTP):
        raise UnsafeDestination("only https:// addresses are allowed", code="scheme")
    if parts.username or parts.password:
        raise UnsafeDestination("addresses with a user name or password are not allowed",
                                code="credentials")
    if not parts.hostname:
        raise UnsafeDestination("the address has no host", code="invalid")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, parts.hostname, port or (443 if scheme == "https" else 80), path


URL_ERRORS = {
    "scheme": _("Use an https:// address."),
    "credentials": _("Leave the user name and password out of the address."),
    "invalid": _("Enter a valid address."),
    "private": _("This address leads to a private, loopback or reserved network, which the "
                 "portal does not call."),
    "unresolved": _("The host name of this address cannot be resolved."),
}


def check_url(url):
    """Raise ValidationError (for a form) unless ``url`` may receive webhooks."""
    try:
        _scheme, host, port, _path = _split(url)
        resolve(host, port)
    except UnsafeDestination as exc:
        raise ValidationError(URL_ERRORS[exc.code], code=exc.code) from exc
    except DestinationError as exc:
        raise ValidationError(URL_ERRORS["unresolved"], code="unresolved") from exc


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to an address checked beforehand, whatever the name resolves to now."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """TLS to a checked address; the certificate is verified for the URL's host name."""

    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url, body, headers, *, timeout):
    """POST ``body`` to ``url`` (checked again now) and return the HTTP status. Redirects are
    not followed. Raises UnsafeDestination, DestinationError or an OSError."""
    scheme, host, port, path = _split(url)
    address = resolve(host, port)[0]
    connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(host, port, address=address, timeout=timeout)
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_RESPONSE_BYTES)
        return response.status
    finally:
        connection.close()


# --- signing ----------------------------------------------------------------------------------
def sign(secret, body):
    """The X-Portal-Signature value of ``body`` (bytes)."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(secret, body, header):
    """Whether ``header`` is the signature of ``body`` with ``secret`` (constant time)."""
    return hmac.compare_digest(sign(secret, body), (header or "").strip())


def delivery_key(webhook_id, event, object_id):
    return f"webhook:{webhook_id}:{event}:{object_id}"


def encode_body(delivery, timestamp):
    """The raw JSON body of one attempt of ``delivery``."""
    document = {**delivery.payload, "delivery": str(delivery.uuid), "timestamp": timestamp}
    return json.dumps(document, ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def headers_for(delivery, body, timestamp):
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        "X-Portal-Event": delivery.event,
        "X-Portal-Delivery": str(delivery.uuid),
        "X-Portal-Timestamp": str(timestamp),
        SIGNATURE_HEADER: sign(delivery.webhook.secret, body),
    }


# --- registration (Torch staff) ---------------------------------------------------------------
def save_webhook(webhook, *, actor, fields=None, request=None, url_checked=False):
    """Create or change ``webhook`` (an instance, saved or not) after checking its URL (unless
    the caller's form has just done so); with ``fields``, set its field filter. Logged.
    Raises ValidationError for a refused URL."""
    if not url_checked:
        check_url(webhook.url)
    created = webhook.pk is None
    with transaction.atomic():
        if created:
            webhook.created_by = actor
        webhook.save()
        if fields is not None:
            webhook.fields.set(fields)
        log_action("portal.notifications.webhook_created" if created
                   else "portal.notifications.webhook_changed",
                   actor=actor, request=request, obj=webhook,
                   data={"name": webhook.name, "url": webhook.url, "active": webhook.active,
                         "fields": sorted(field.pk for field in fields) if fields is not None
                         else None})
    return webhook


def create_webhook(*, actor, name, url, fields=(), request=None):
    """Register a partner's endpoint; its signing secret is generated."""
    return save_webhook(Webhook(name=name, url=url), actor=actor, fields=list(fields),
                        request=request)


def set_active(webhook, active, *, actor, request=None):
    """Enable or disable a webhook. A disabled webhook gets no new deliveries, and waiting
    ones end as failed when the relay meets them (staff may retry them once it is on again)."""
    with transaction.atomic():
        locked = Webhook.objects.select_for_update().get(pk=webhook.pk)
        if locked.active == active:
            return locked
        locked.active = active
        locked.save(update_fields=["active", "updated_at"])
        log_action("portal.notifications.webhook_enabled" if active
                   else "portal.notifications.webhook_disabled",
                   actor=actor, request=request, obj=locked,
                   from_state="inactive" if active else "active",
                   to_state="active" if active else "inactive", data={"name": locked.name})
    webhook.active = active
    return locked


# --- queuing ----------------------------------------------------------------------------------
def publication_payload(projection):
    """The stored payload of a publication event: the public projection, nothing else."""
    demand = projection.to_dict()
    demand["link"] = absolute_url(projection.url)
    return {"event": EVENT_PUBLISHED, "data": {"demand": demand}}


def queue_publication(demand, projection):
    """Write a delivery of ``demand``'s publication for every active webhook whose filter
    takes its field, once per webhook whatever happens; relay them after commit. Returns how
    many webhooks it is for."""
    hooks = Webhook.objects.filter(active=True)
    if demand.industry_field_id:
        hooks = hooks.filter(Q(fields__isnull=True) | Q(fields=demand.industry_field_id))
    else:
        hooks = hooks.filter(fields__isnull=True)
    hook_ids = sorted(set(hooks.values_list("pk", flat=True)))
    if not hook_ids:
        return 0
    payload = publication_payload(projection)
    keys = [delivery_key(pk, EVENT_PUBLISHED, demand.pk) for pk in hook_ids]
    WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(webhook_id=pk, event=EVENT_PUBLISHED, demand_id=demand.pk,
                         idempotency_key=key, payload=payload)
         for pk, key in zip(hook_ids, keys, strict=True)],
        ignore_conflicts=True,
    )
    pending = list(WebhookDelivery.objects.filter(idempotency_key__in=keys,
                                                  state=DeliveryState.PENDING)
                   .values_list("pk", flat=True))
    if pending:
        kick_after_commit(pending)
    return len(hook_ids)


# --- the relay ---------------------------------------------------------------------------------
def _relay_task():
    from .tasks import deliver_webhooks

    return deliver_webhooks


OUTBOX = Outbox(
    model=WebhookDelivery, pending=DeliveryState.PENDING, claimed=DeliveryState.SENDING,
    lease=lambda: settings.NOTIFICATIONS_SENDING_LEASE,
    retry_base=lambda: settings.WEBHOOK_RETRY_BASE,
    retry_cap=lambda: settings.WEBHOOK_RETRY_MAX,
    max_attempts=lambda: settings.WEBHOOK_MAX_ATTEMPTS,
    task=_relay_task, ids_argument="delivery_ids", kick_chunk=50, label="webhook deliveries",
)


def retry_delay(attempts):
    """Seconds before attempt ``attempts + 1``: doubling from the base, capped."""
    return outbox_retry_delay(attempts, base=settings.WEBHOOK_RETRY_BASE,
                              cap=settings.WEBHOOK_RETRY_MAX)


def due(now):
    return OUTBOX.due(now)


def deliver(delivery_id, *, now=None):
    """Make one attempt at a due delivery nobody else is making; record it. Returns an
    ``Outcome``."""
    now = now or timezone.now()
    token = OUTBOX.claim(delivery_id, now=now)
    if token is None:
        return Outcome.SKIPPED
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    if not delivery.webhook.active:
        return _record(delivery, token, now=now, status=None, duration_ms=0, permanent=True,
                       error="The webhook is disabled.")
    timestamp = int(time.time())
    body = encode_body(delivery, timestamp)
    started = time.monotonic()
    status, error, permanent = None, "", False
    try:
        status = post(delivery.webhook.url, body, headers_for(delivery, body, timestamp),
                      timeout=settings.WEBHOOK_TIMEOUT)
    except SoftTimeLimitExceeded as exc:
        _record(delivery, token, now=now, status=None, permanent=False,
                duration_ms=_since(started), error=f"{type(exc).__name__}: {exc}")
        raise
    except UnsafeDestination as exc:
        error, permanent = f"Refused: {exc}", True
    except Exception as exc:  # any network failure is recorded on the attempt
        error = f"{type(exc).__name__}: {exc}"
    if status is not None and not 200 <= status < 300:
        error = f"HTTP {status}" + (" (redirects are not followed)"
                                    if 300 <= status < 400 else "")
    return _record(delivery, token, now=now, status=status, duration_ms=_since(started),
                   error=error, permanent=permanent)


def _since(started):
    return int((time.monotonic() - started) * 1000)


def _record(delivery, token, *, now, status, duration_ms, error, permanent):
    error = error[:2000]
    succeeded = not error
    delay = None
    if succeeded:
        changes = {"state": DeliveryState.DELIVERED, "delivered_at": timezone.now(),
                   "last_error": ""}
        outcome = Outcome.SENT
    else:
        changes, outcome, delay = OUTBOX.after_failure(delivery.attempts, now=now,
                                                       permanent=permanent,
                                                       failed=DeliveryState.FAILED)
        changes["last_error"] = error
    assert can_delivery_transition(DeliveryState.SENDING, changes["state"])
    with transaction.atomic():
        WebhookAttempt.objects.create(delivery=delivery, number=delivery.attempts,
                                      duration_ms=duration_ms, status_code=status,
                                      error=error, succeeded=succeeded)
        owned = OUTBOX.release(delivery.pk, token, last_status_code=status, **changes)
    if not owned:
        logger.warning("Webhook delivery %s finished after its claim expired", delivery.pk)
    if not succeeded:
        logger.warning("Webhook delivery %s attempt %s to %s failed (%s): %s", delivery.pk,
                       delivery.attempts, delivery.webhook.url, outcome, error)
    OUTBOX.retry_later([delivery.pk], delay)
    return outcome


def deliver_many(delivery_ids, *, now=None):
    counts = {}
    for pk in delivery_ids:
        outcome = deliver(pk, now=now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def sweep(*, now=None, time_budget=None, batch_size=50):
    """Attempt every due delivery for at most ``time_budget`` seconds (the beat runs this every
    minute); returns {outcome: count}."""
    return OUTBOX.sweep(lambda pk, current: deliver(pk, now=current), now=now,
                        batch_size=batch_size, time_budget=time_budget)


def kick_after_commit(delivery_ids):
    OUTBOX.kick_after_commit(delivery_ids)


def kick(delivery_ids, *, countdown=None):
    """Ask a worker to attempt ``delivery_ids``. Never raises: the beat sweep sends what a
    broker outage leaves behind. Returns whether it published."""
    return OUTBOX.kick(delivery_ids, countdown=countdown)


# --- staff ------------------------------------------------------------------------------------
def retry_deliveries(delivery_ids, *, actor=None, request=None):
    """Send failed deliveries again: back to pending with fresh attempts, relayed after commit,
    each in the audit log. Returns how many; other states are left alone."""
    assert can_delivery_transition(DeliveryState.FAILED, DeliveryState.PENDING)
    with transaction.atomic():
        deliveries = list(WebhookDelivery.objects.select_for_update()
                          .filter(pk__in=list(delivery_ids), state=DeliveryState.FAILED))
        ids = [delivery.pk for delivery in deliveries]
        count = WebhookDelivery.objects.filter(pk__in=ids, state=DeliveryState.FAILED).update(
            state=DeliveryState.PENDING, attempts=0, next_attempt_at=timezone.now(),
            claimed_until=None, updated_at=timezone.now())
        for delivery in deliveries:
            log_action("portal.notifications.webhook_retry", actor=actor, request=request,
                       obj=delivery, from_state=DeliveryState.FAILED,
                       to_state=DeliveryState.PENDING,
                       data={"webhook": delivery.webhook_id, "attempts": delivery.attempts,
                             "last_error": delivery.last_error})
        if ids:
            kick_after_commit(ids)
    return count


# --- reads ------------------------------------------------------------------------------------
def webhooks_for_list():
    """Every webhook with its delivery counts by state, in one query."""
    return Webhook.objects.annotate(
        delivered_count=Count("deliveries", filter=Q(deliveries__state=DeliveryState.DELIVERED)),
        waiting_count=Count("deliveries", filter=Q(deliveries__state__in=[
            DeliveryState.PENDING, DeliveryState.SENDING])),
        failed_count=Count("deliveries", filter=Q(deliveries__state=DeliveryState.FAILED)),
    ).order_by("name", "pk")


def deliveries_of(webhook):
    """The webhook's deliveries, newest first, with their attempts (two queries a page)."""
    return (WebhookDelivery.objects.filter(webhook=webhook).prefetch_related("attempt_log")
            .order_by("-created_at", "-pk"))
