"""The demands sections of the workspace dashboard (see ``accounts.workspace``)."""

from accounts.enums import MembershipState, RoleCode
from accounts.permissions import is_torch_staff
from accounts.workspace import register_section
from contests.permissions import staffed_host_unit_ids

from . import permissions, selectors
from .enums import DemandStatus

SHOWN = 5


def my_demands_context(request):
    """"My demands" for demand companies: the latest few, and how to post one."""
    user = request.user
    if RoleCode.DEMAND_COMPANY not in user.role_codes():
        return None
    demands = selectors.owner_demands(user)
    return {"demands": list(demands[:SHOWN]), "total": demands.count(),
            "may_create": user.memberships.filter(state=MembershipState.ACTIVE).exists()}


def assigned_demands_context(request):
    """"Assigned demands" for experts (and those acting as experts: an agency's members)."""
    user = request.user
    if not selectors.acts_as_expert(user):
        return None
    demands = selectors.assigned_demands(user)
    return {"demands": list(demands[:SHOWN]), "total": demands.count()}


def managed_demands_context(request):
    """Host organisers and Torch staff: counts per status and the way to the organiser list."""
    user = request.user
    if not permissions.can_manage_demands(user):
        return None
    counts = selectors.status_counts(selectors.managed_scope(user))
    return {
        "counts": [(status, counts.get(status.value, 0)) for status in DemandStatus
                   if status != DemandStatus.DRAFT or counts.get(status.value)],
        "may_enter": bool(staffed_host_unit_ids(user)),
        "is_torch": is_torch_staff(user),
    }


def register():
    register_section("demands_mine", "demands/workspace/my_demands.html", my_demands_context,
                     order=50)
    register_section("demands_assigned", "demands/workspace/assigned_demands.html",
                     assigned_demands_context, order=51)
    register_section("demands_managed", "demands/workspace/managed_demands.html",
                     managed_demands_context, order=52)
