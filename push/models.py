"""The push of published demands: subscriptions, the fan-out of one publication (its outbox
row) and webhooks with their deliveries and attempts.

These tables were created by the notifications app and moved here with their rows
(``migrations/0001_initial``); nothing here sends anything.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.models import KEY_LENGTH

from .enums import DeliveryState, PushState


class Subscription(models.Model):
    """What newly published demands a user wants to hear about: any of the industry fields,
    any of the regions (a province code ``XX0000`` covers its cities, a city ``XXXX00`` its
    districts) or any of the keywords. How they are delivered is the user's preference for the
    ``demand.published`` kind. ``regions`` and ``keywords`` are what the user typed; the
    matching reads the index rows written beside them by ``push.subscriptions``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="demand_subscriptions", verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=80, blank=True)
    fields = models.ManyToManyField("contests.IndustryField", blank=True, related_name="+",
                                    verbose_name=_("industry fields"))
    regions = models.JSONField(_("regions"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("demand subscription")
        verbose_name_plural = _("demand subscriptions")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name or f"{self.user} #{self.pk}"


class SubscriptionRegion(models.Model):
    """One region code of a subscription, as stored in ``Subscription.regions``."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="region_index")
    code = models.CharField(max_length=6)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "code"],
                                               name="unique_subscription_region")]
        indexes = [models.Index(fields=["code", "subscription"], name="subscription_region_idx")]

    def __str__(self):
        return self.code


class SubscriptionKeyword(models.Model):
    """One keyword of a subscription, normalised, with its anchor: a term that the public
    search columns of any demand containing the keyword hold (a bigram of its longest Chinese
    run, or its first Latin word), so candidates are found through an index."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE,
                                     related_name="keyword_index")
    keyword = models.CharField(max_length=40)
    anchor = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscription", "keyword"],
                                               name="unique_subscription_keyword")]
        indexes = [models.Index(fields=["anchor", "keyword"], name="subscription_anchor_idx"),
                   models.Index(fields=["keyword", "subscription"],
                                name="subscription_keyword_idx")]

    def __str__(self):
        return self.keyword


class PublicationPush(models.Model):
    """The outbox row of one publication's fan-out, written in the publishing transaction.

    A run claims it (``claim_token``, ``claimed_until``), notifies the matching subscribers in
    batches in user-id order, and moves ``last_user_id`` forward in each batch's transaction:
    a crashed run is resumed from there, and the delivery keys make sure nobody is notified
    twice whatever happens."""

    demand = models.OneToOneField("demands.Demand", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("demand"))
    state = models.CharField(_("state"), max_length=10, choices=PushState.choices,
                             default=PushState.PENDING)
    matched = models.PositiveIntegerField(_("matching subscribers"), null=True, blank=True)
    notified = models.PositiveIntegerField(_("notified"), default=0)
    webhooks = models.PositiveIntegerField(_("webhook deliveries"), default=0)
    last_user_id = models.BigIntegerField(_("checkpoint (last user id)"), default=0)
    runs = models.PositiveIntegerField(_("runs"), default=0)
    failures = models.PositiveIntegerField(_("failures in a row"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("publication push")
        verbose_name_plural = _("publication pushes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="push_due_idx")]

    def __str__(self):
        return f"{self.demand_id}: {self.get_state_display()}"


def generate_webhook_secret():
    return secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A partner's endpoint (media, technology platform) that receives each newly published
    demand as signed JSON of its public projection. Registered by Torch Center staff."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500,
                          help_text=_("HTTPS address that receives a POST for each event."))
    secret = models.CharField(_("signing secret"), max_length=100,
                              default=generate_webhook_secret, editable=False)
    active = models.BooleanField(_("active"), default=True)
    fields = models.ManyToManyField(
        "contests.IndustryField", blank=True, related_name="+",
        verbose_name=_("only these industry fields"),
        help_text=_("Leave empty to receive demands of every field."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class WebhookDelivery(models.Model):
    """One event for one webhook, in the outbox: written once (unique key), sent by the
    webhook relay with retries, finally delivered or failed (and then retried by staff)."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries",
                                verbose_name=_("webhook"))
    event = models.CharField(_("event"), max_length=64)
    demand = models.ForeignKey("demands.Demand", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("demand"))
    uuid = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    idempotency_key = models.CharField(_("idempotency key"), max_length=KEY_LENGTH, unique=True)
    payload = models.JSONField(_("payload"))
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["state", "next_attempt_at"],
                                name="webhook_delivery_due_idx")]

    def __str__(self):
        return f"{self.webhook_id} · {self.event} · {self.uuid}"


class WebhookAttempt(models.Model):
    """One POST of a delivery and what came of it."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE,
                                 related_name="attempt_log", verbose_name=_("delivery"))
    number = models.PositiveIntegerField(_("attempt"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    status_code = models.PositiveIntegerField(_("HTTP status"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    succeeded = models.BooleanField(_("succeeded"), default=False)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "number", "pk"]

    def __str__(self):
        return f"{self.delivery_id} #{self.number}: {self.status_code or self.error[:40]}"