"""Reads: the complaints and disputes a user may see, as ``permissions`` decides for one."""

from django.db.models import Q

from accounts.permissions import is_torch_staff
from contests.permissions import staffed_host_unit_ids

from .enums import ComplaintState
from .models import Complaint, Dispute


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def complaints_visible_to(user):
    """The complainant's own, those handled by the user's host units, all for Torch staff.
    Mirrors ``permissions.can_view_complaint``."""
    if not _active(user):
        return Complaint.objects.none()
    if is_torch_staff(user):
        return Complaint.objects.all()
    condition = Q(complainant=user)
    units = staffed_host_unit_ids(user)
    if units:
        condition |= Q(handling_unit_id__in=units)
    return Complaint.objects.filter(condition)


def complaints_handled_by(user):
    """What a host organiser or Torch staff member works on (not their own complaints)."""
    if not _active(user):
        return Complaint.objects.none()
    if is_torch_staff(user):
        return Complaint.objects.all()
    return Complaint.objects.filter(handling_unit_id__in=staffed_host_unit_ids(user))


def complaints_against(user):
    """Complaints about something the user answers for, that the user does not see whole."""
    if not _active(user):
        return Complaint.objects.none()
    return (Complaint.objects.filter(parties=user)
            .exclude(pk__in=complaints_visible_to(user).values("pk")))


def for_list(queryset):
    return queryset.select_related("host_unit", "handling_unit", "complainant").order_by(
        "-received_at", "-pk")


def overdue(queryset, *, today):
    """Received and not yet accepted or declined past their day."""
    return queryset.filter(state=ComplaintState.RECEIVED, accept_due__lt=today)


def disputes_visible_to(user):
    """Both sides, the host unit's staff and Torch staff (``permissions.can_view_dispute``)."""
    if not _active(user):
        return Dispute.objects.none()
    if is_torch_staff(user):
        return Dispute.objects.all()
    condition = Q(side_a=user) | Q(side_b=user)
    units = staffed_host_unit_ids(user)
    if units:
        condition |= Q(host_unit_id__in=units)
    return Dispute.objects.filter(condition)


def disputes_managed_by(user):
    if not _active(user):
        return Dispute.objects.none()
    if is_torch_staff(user):
        return Dispute.objects.all()
    return Dispute.objects.filter(host_unit_id__in=staffed_host_unit_ids(user))
