"""Docking sessions (需求对接), their participants and the personal calendar feeds."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..enums import DockingMode, DockingState, ParticipantAnswer


class DockingSession(models.Model):
    """A docking session (需求对接) of a host unit for one or more demands. Its calendar event
    keeps one UID for life; each change raises ``sequence`` (RFC 5545)."""

    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="docking_sessions", verbose_name=_("host unit"))
    demands = models.ManyToManyField("demands.Demand", related_name="docking_sessions",
                                     verbose_name=_("demands"))
    title = models.CharField(_("title"), max_length=120)
    mode = models.CharField(_("form"), max_length=10, choices=DockingMode.choices)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    link = models.URLField(_("meeting link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    agenda = models.TextField(_("agenda"), blank=True)
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, editable=False)
    state = models.CharField(_("state"), max_length=10, choices=DockingState.choices,
                             default=DockingState.SCHEDULED)
    minutes = models.TextField(_("minutes"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("scheduled by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("docking session")
        verbose_name_plural = _("docking sessions")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("matching:docking_detail", kwargs={"pk": self.pk})


class DockingParticipant(models.Model):
    session = models.ForeignKey(DockingSession, on_delete=models.CASCADE,
                                related_name="participants", verbose_name=_("docking session"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="docking_participations", verbose_name=_("participant"))
    answer = models.CharField(_("answer"), max_length=10, choices=ParticipantAnswer.choices,
                              default=ParticipantAnswer.PENDING)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["session", "user"],
                                               name="unique_docking_participant")]

    def __str__(self):
        return f"{self.user} @ {self.session_id}"


class CalendarFeed(models.Model):
    """A user's personal iCal feed of their docking sessions, under a secret URL; revoking it
    replaces the token (the old URL answers 404)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="docking_feed", verbose_name=_("user"))
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

