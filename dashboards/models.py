"""What the dashboards keep besides reading the other apps: Torch staff's evaluation of each
host unit (the scorecard's rating and comments), and the training Torch staff give host staff,
with who read and who attended."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class HostEvaluation(models.Model):
    """Torch staff's rating of a host unit (监督和评价), beside the figures of its scorecard."""

    host_unit = models.OneToOneField("contests.HostUnit", on_delete=models.CASCADE,
                                     related_name="evaluation", verbose_name=_("host unit"))
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("From 1 (poor) to 5 (excellent)."))
    comments = models.TextField(_("comments"), blank=True)
    evaluated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("evaluated by"))
    updated_at = models.DateTimeField(_("evaluated at"), auto_now=True)

    class Meta:
        verbose_name = _("host evaluation")
        verbose_name_plural = _("host evaluations")

    def __str__(self):
        return f"{self.host_unit} · {self.rating}"


class TrainingMaterial(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training material")
        verbose_name_plural = _("training materials")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title


class TrainingSession(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place or link"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.title


class MaterialRead(models.Model):
    material = models.ForeignKey(TrainingMaterial, on_delete=models.CASCADE,
                                 related_name="reads", verbose_name=_("material"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("reader"))
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("material read")
        verbose_name_plural = _("materials read")
        constraints = [models.UniqueConstraint(fields=["material", "user"],
                                               name="one_read_per_user")]

    def __str__(self):
        return f"{self.user} · {self.material}"


class SessionAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE,
                                related_name="attendances", verbose_name=_("session"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("participant"))
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    attended = models.BooleanField(_("attended"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [models.UniqueConstraint(fields=["session", "user"],
                                               name="one_attendance_per_user")]

    def __str__(self):
        return f"{self.user} · {self.session}"


class FunnelSnapshot(models.Model):
    """The national dashboard's figures for one breakdown, computed by the refresh job
    (``portal.dashboards.refresh_snapshots``: Celery beat every 10 minutes, or on demand by
    Torch staff) so that the page reads one row instead of aggregating millions. Host
    organisers' dashboards (a few units) are counted live. ``figures`` holds the funnel, the
    breakdown of every stage, the per-host table and the response figures (amounts as
    strings, exact)."""

    dimension = models.CharField(_("breakdown"), max_length=20, unique=True)
    figures = models.JSONField(_("figures"))
    computed_at = models.DateTimeField(_("computed at"))
    seconds = models.FloatField(_("seconds to compute"))

    class Meta:
        verbose_name = _("dashboard snapshot")
        verbose_name_plural = _("dashboard snapshots")

    def __str__(self):
        return f"{self.dimension} @ {self.computed_at:%Y-%m-%d %H:%M}"
