"""Publicity (赛事宣传): news and announcements by Torch staff (national) and host staff (their
unit's event), published now or at a set time."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .enums import NewsKind


class NewsItemQuerySet(models.QuerySet):
    def published(self, now=None):
        """Items whose publication time has come (scheduled ones appear by themselves)."""
        return self.filter(publish_at__isnull=False, publish_at__lte=now or timezone.now())


class NewsItem(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=NewsKind.choices,
                            default=NewsKind.NEWS)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    # Sanitised when saved (news.services.sanitise): only the tags and attributes it allows.
    body = models.TextField(_("text"))
    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="news", verbose_name=_("host unit"),
                                  help_text=_("Empty: national (Torch Center)."))
    publish_at = models.DateTimeField(_("published at"), null=True, blank=True,
                                      help_text=_("Empty: a draft. A future time: published "
                                                  "then, by itself."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("author"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NewsItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        ordering = ["-publish_at", "-pk"]
        indexes = [models.Index(fields=["-publish_at", "-id"], name="news_published")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", kwargs={"pk": self.pk})

    @property
    def is_published(self):
        return self.publish_at is not None and self.publish_at <= timezone.now()
