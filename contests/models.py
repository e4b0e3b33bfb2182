from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import region_code_validator


class Contest(models.Model):
    """One edition of the China Innovation Challenge."""

    edition = models.PositiveSmallIntegerField(_("edition"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    document_number = models.CharField(_("notice number"), max_length=50, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    is_current = models.BooleanField(_("current edition"), default=False)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["-edition"]

    def __str__(self):
        return self.name


class IndustryField(models.Model):
    """A thematic or industry field of an event (专题/产业领域)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("industry field")
        verbose_name_plural = _("industry fields")
        ordering = ["code"]

    def __str__(self):
        return self.name


class Event(models.Model):
    """One of the contest's events (赛事), numbered as in the Ministry's annex."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="events",
                                verbose_name=_("contest"))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    fields = models.ManyToManyField(IndustryField, related_name="events", blank=True,
                                    verbose_name=_("industry fields"))

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="unique_event_number"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contests:event_detail", kwargs={"number": self.number})


class HostUnit(models.Model):
    """A host unit (承办单位) running an event, or its share of one."""

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="host_units",
                              verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    region = models.CharField(_("region code"), max_length=6, validators=[region_code_validator])
    region_name = models.CharField(_("region"), max_length=50)
    fields = models.ManyToManyField(IndustryField, related_name="host_units",
                                    verbose_name=_("industry fields"))
    introduction = models.TextField(_("introduction"), blank=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, through="HostMembership",
                                     related_name="host_units")

    class Meta:
        verbose_name = _("host unit")
        verbose_name_plural = _("host units")
        ordering = ["event__number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="unique_host_unit_per_event"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("contests:host_detail", kwargs={"slug": self.slug})


class HostMembership(models.Model):
    """A member of a host unit's staff."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="host_memberships", verbose_name=_("user"))
    host_unit = models.ForeignKey(HostUnit, on_delete=models.CASCADE,
                                  related_name="memberships", verbose_name=_("host unit"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("host membership")
        verbose_name_plural = _("host memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "host_unit"], name="unique_host_membership"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.host_unit}"
