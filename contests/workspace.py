"""The host-registration section of the workspace (see ``accounts.workspace``): Torch staff
see the applications waiting, a unit's administrator the way to its colleagues, anyone else
invitations to accept and the way to apply."""

from accounts.permissions import is_torch_staff

from . import registration
from .enums import HostApplicationState
from .models import HostMembership, HostUnit
from .selectors import summary_reports_pending


def host_registration_context(request):
    user = request.user
    if is_torch_staff(user):
        waiting = registration.applications_visible_to(user).filter(
            state=HostApplicationState.PENDING).count()
        return {"is_torch": True, "waiting": waiting}
    return {
        "is_torch": False,
        "admin_units": [membership.host_unit for membership in HostMembership.objects.filter(
            user=user, is_admin=True).select_related("host_unit")],
        "invitations": list(registration.open_invitations_for(user)),
        "is_host_staff": HostMembership.objects.filter(user=user).exists(),
    }


def summary_reports_context(request):
    """Torch staff: how many reports wait for their review; host staff: each of their units'
    report and its state. Nobody else sees the section."""
    user = request.user
    if not user.is_authenticated:
        return None
    if is_torch_staff(user):
        return {"is_torch": True, "waiting": summary_reports_pending(None)}
    units = list(HostUnit.objects.filter(memberships__user=user)
                 .select_related("summary_report").order_by("event__number", "pk"))
    if not units:
        return None
    return {"is_torch": False, "units": units}
