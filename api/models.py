"""API keys for partner platforms: optional (the API is open), they raise the client's rate
limit and make its use visible to Torch staff."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A key issued by Torch staff to one partner. Only the SHA-256 of the key is stored; the
    key itself is shown once, when issued. ``prefix`` (the key's first characters) names it in
    lists and logs."""

    partner = models.CharField(_("partner"), max_length=120)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    prefix = models.CharField(_("key prefix"), max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate_per_minute = models.PositiveIntegerField(_("requests per minute"), default=600)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("issued by"))
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True,
                                   verbose_name=_("revoked by"))
    request_count = models.PositiveBigIntegerField(_("requests"), default=0)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.partner} ({self.prefix}…)"

    @property
    def is_active(self):
        return self.revoked_at is None


class ApiKeyUsage(models.Model):
    """Requests made with one key on one day (Asia/Shanghai)."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField(_("day"))
    requests = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("API key usage")
        verbose_name_plural = _("API key usage")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="api_usage_key_day")]

    def __str__(self):
        return f"{self.key_id} {self.day}: {self.requests}"
