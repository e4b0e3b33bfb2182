"""Reads of the awards app."""

from django.db.models import Exists, OuterRef, Q

from accounts.enums import MembershipState
from accounts.models import Membership
from accounts.permissions import is_torch_staff
from contests.permissions import staffed_host_unit_ids

from .models import Award


def _member_of(user, field):
    return Exists(Membership.objects.filter(user=user, organisation_id=OuterRef(field),
                                            state=MembershipState.ACTIVE))


def awards_visible_to(user):
    """The payer's and the recipient's members, the unit's staff; Torch: all."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Award.objects.none()
    if is_torch_staff(user):
        return Award.objects.all()
    return Award.objects.filter(Q(host_unit_id__in=staffed_host_unit_ids(user))
                                | Q(_member_of(user, "payer_id"))
                                | Q(_member_of(user, "recipient_id")))


def for_list(queryset):
    return queryset.select_related("recipient", "payer", "demand", "host_unit").order_by(
        "-created_at", "-pk")


def contracts_visible_to(user):
    """Both sides of the agreement, the unit's staff; Torch: all."""
    from .models import TechnologyContract

    if user is None or not user.is_authenticated or not user.is_active:
        return TechnologyContract.objects.none()
    if is_torch_staff(user):
        return TechnologyContract.objects.all()
    return TechnologyContract.objects.filter(
        Q(host_unit_id__in=staffed_host_unit_ids(user))
        | Q(_member_of(user, "agreement__partner_id"))
        | Q(_member_of(user, "agreement__demand__organisation_id")))


def services_visible_to(user):
    """The requester, the unit's staff, the provider's members; Torch: all."""
    from .models import ServiceRequest

    if user is None or not user.is_authenticated or not user.is_active:
        return ServiceRequest.objects.none()
    if is_torch_staff(user):
        return ServiceRequest.objects.all()
    return ServiceRequest.objects.filter(
        Q(requester=user) | Q(host_unit_id__in=staffed_host_unit_ids(user))
        | Q(_member_of(user, "provider_id")))


def follow_ups_visible_to(user):
    """The demand side, the unit's staff; Torch: all."""
    from .models import FollowUp

    if user is None or not user.is_authenticated or not user.is_active:
        return FollowUp.objects.none()
    if is_torch_staff(user):
        return FollowUp.objects.all()
    return FollowUp.objects.filter(Q(host_unit_id__in=staffed_host_unit_ids(user))
                                   | Q(_member_of(user, "agreement__demand__organisation_id")))
