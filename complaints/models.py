"""Complaints (投诉) and disputes (争议) about anything of the contest (seed 四(四)).

A complaint names its target through ``common.references`` (a key and the object's id, with a
label kept as it was when filed), goes to the host unit concerned or to Torch staff, and moves
through ``services.COMPLAINT_WORKFLOW`` only."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.models import TransitionRecord

from .enums import (
    ComplaintCategory,
    ComplaintState,
    DisputeSide,
    DisputeState,
    EntryKind,
)


class Complaint(models.Model):
    # Set right after the insert, from the primary key (NULL until then, so unique holds).
    number = models.CharField(_("case number"), max_length=20, unique=True, null=True,  # noqa: DJ001
                              editable=False)
    complainant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="complaints",
                                    verbose_name=_("complainant"))
    anonymous = models.BooleanField(
        _("anonymous to the other party"), default=False,
        help_text=_("The party complained about is never told who filed the complaint."),
    )
    target_key = models.CharField(_("about"), max_length=60)
    target_id = models.CharField(_("target id"), max_length=64)
    target_reference = models.CharField(_("reference"), max_length=100)
    target_label = models.CharField(_("target"), max_length=300)
    host_unit = models.ForeignKey("contests.HostUnit", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="complaints",
                                  verbose_name=_("host unit concerned"))
    handling_unit = models.ForeignKey(
        "contests.HostUnit", null=True, blank=True, on_delete=models.PROTECT,
        related_name="handled_complaints", verbose_name=_("handling host unit"),
        help_text=_("Empty: the complaint is handled by the Torch Center."),
    )
    handled_by_torch = models.BooleanField(_("handled by the Torch Center"), default=False)
    taken_over_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+",
                                      verbose_name=_("taken over by"))
    taken_over_at = models.DateTimeField(_("taken over at"), null=True, blank=True)
    parties = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                     related_name="complaints_against",
                                     verbose_name=_("party complained about"))
    category = models.CharField(_("category"), max_length=20, choices=ComplaintCategory.choices)
    description = models.TextField(_("description"))
    score_sheets = models.JSONField(_("score sheets"), default=list, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="complaints_to_review",
                                 verbose_name=_("re-check reviewer"))
    state = models.CharField(_("state"), max_length=20, choices=ComplaintState.choices,
                             default=ComplaintState.RECEIVED)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    accept_due = models.DateField(_("to be accepted or declined by"))
    decided_at = models.DateTimeField(_("accepted or declined at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    close_due = models.DateTimeField(_("closes automatically at"), null=True, blank=True)
    feedback = models.TextField(_("complainant's feedback"), blank=True)
    satisfied = models.BooleanField(_("satisfied with the outcome"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated to the Torch Center at"), null=True,
                                        blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "accept_due"], name="complaint_clock_idx"),
            models.Index(fields=["target_key", "target_id"], name="complaint_target_idx"),
        ]

    def __str__(self):
        return self.number or str(_("complaint"))

    def get_absolute_url(self):
        return reverse("complaints:detail", kwargs={"number": self.number})

    @property
    def is_open(self):
        from .enums import OPEN_STATES

        return self.state in OPEN_STATES


class ComplaintTransition(TransitionRecord):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE,
                                  related_name="transitions", verbose_name=_("complaint"))
    from_state = models.CharField(_("from"), max_length=20, choices=ComplaintState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=ComplaintState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("complaint transition")
        verbose_name_plural = _("complaint transitions")


class ComplaintEntry(models.Model):
    """A line of the case file: the complainant's additions, staff notes, what staff share
    with the party complained about, and that party's responses."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="entries",
                                  verbose_name=_("complaint"))
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("author"))
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case file entry")
        verbose_name_plural = _("case file entries")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.complaint} · {self.get_kind_display()}"


class Dispute(models.Model):
    """A dispute between two parties (over an intention agreement, for example), mediated
    by the host unit's staff."""

    # Set right after the insert, from the primary key (NULL until then, so unique holds).
    number = models.CharField(_("case number"), max_length=20, unique=True, null=True,  # noqa: DJ001
                              editable=False)
    host_unit = models.ForeignKey("contests.HostUnit", on_delete=models.PROTECT,
                                  related_name="disputes", verbose_name=_("host unit"))
    subject = models.CharField(_("subject"), max_length=200)
    side_a = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="disputes_filed", verbose_name=_("filing party"))
    side_b = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="disputes_answered", verbose_name=_("other party"))
    state = models.CharField(_("state"), max_length=20, choices=DisputeState.choices,
                             default=DisputeState.OPEN)
    outcome = models.TextField(_("outcome of the mediation"), blank=True)
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.number or self.subject

    def get_absolute_url(self):
        return reverse("complaints:dispute_detail", kwargs={"number": self.number})


class DisputePosition(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="positions",
                                verbose_name=_("dispute"))
    side = models.CharField(_("side"), max_length=1, choices=DisputeSide.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                               related_name="+", verbose_name=_("author"))
    text = models.TextField(_("position"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["side"]
        constraints = [models.UniqueConstraint(fields=["dispute", "side"],
                                               name="one_position_per_side")]

    def __str__(self):
        return f"{self.dispute} · {self.get_side_display()}"


class MediationRecord(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="mediations",
                                verbose_name=_("dispute"))
    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("mediator"))
    held_on = models.DateField(_("held on"))
    text = models.TextField(_("what was discussed and agreed"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("mediation record")
        verbose_name_plural = _("mediation records")
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.dispute} · {self.held_on}"


class DisputeTransition(TransitionRecord):
    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="transitions",
                                verbose_name=_("dispute"))
    from_state = models.CharField(_("from"), max_length=20, choices=DisputeState.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=DisputeState.choices)

    class Meta(TransitionRecord.Meta):
        verbose_name = _("dispute transition")
        verbose_name_plural = _("dispute transitions")
