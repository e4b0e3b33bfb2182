"""The outbox: in-app notifications, outbound e-mail and each user's delivery preferences.

Rows are written by ``notifications.services.notify`` inside the caller's transaction and sent
by ``notifications.relay``; nothing here sends anything.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import DeliveryMode, EmailState
from .kinds import KINDS

KEY_LENGTH = 255


def kind_label(key):
    kind = KINDS.get(key)
    return kind.label if kind else key


class Notification(models.Model):
    """One line in a user's inbox."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=64)
    text = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    target_content_type = models.ForeignKey(ContentType, null=True, blank=True,
                                            on_delete=models.CASCADE, related_name="+")
    target_object_id = models.CharField(max_length=64, blank=True)
    target = GenericForeignKey("target_content_type", "target_object_id")
    idempotency_key = models.CharField(_("idempotency key"), max_length=KEY_LENGTH, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True),
                         name="notification_unread_idx"),
        ]

    def __str__(self):
        return self.text[:80]

    @property
    def is_unread(self):
        return self.read_at is None

    def get_kind_display(self):
        return kind_label(self.kind)


class NotificationPreference(models.Model):
    """How one user wants one kind delivered; without a row the kind's default applies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="notification_preferences", verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=64)
    mode = models.CharField(_("delivery"), max_length=10, choices=DeliveryMode.choices)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="unique_notification_preference"),
        ]

    def __str__(self):
        return f"{self.user} · {self.kind}: {self.mode}"


class OutboundEmail(models.Model):
    """One e-mail in the outbox, rendered when written, sent once by the relay."""

    DIGEST_KIND = "notifications.digest"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="outbound_emails",
                                  verbose_name=_("recipient"))
    to_address = models.EmailField(_("to"))
    kind = models.CharField(_("kind"), max_length=64)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=KEY_LENGTH, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=EmailState.choices,
                             default=EmailState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    # A relay run owns a "sending" row until claimed_until; the token guards its final update.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    digest = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="items", verbose_name=_("sent in digest"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound e-mail")
        verbose_name_plural = _("outbound e-mails")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbound_due_idx"),
            models.Index(fields=["recipient", "state"], name="outbound_recipient_state_idx"),
        ]

    def __str__(self):
        return f"{self.to_address}: {self.subject}"

    def get_kind_display(self):
        if self.kind == self.DIGEST_KIND:
            return _("Daily digest")
        return kind_label(self.kind)


class OutboundAttachment(models.Model):
    """A file sent with one outbound e-mail (an invitation's ``invite.ics``): stored with the
    row when it is written, so the message sent — however late — carries what was true when
    the event happened. A digest carries the attachments of the e-mails it bundles."""

    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE,
                              related_name="attachments", verbose_name=_("e-mail"))
    filename = models.CharField(_("file name"), max_length=255)
    # The full content type, parameters included: "text/calendar; method=REQUEST".
    mimetype = models.CharField(_("content type"), max_length=255)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("e-mail attachment")
        verbose_name_plural = _("e-mail attachments")
        ordering = ["email", "pk"]

    def __str__(self):
        return self.filename
