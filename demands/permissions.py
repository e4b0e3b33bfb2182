"""Who may see and do what with a demand (django-rules predicates).

The private side (full details, workflow, expert analysis) is open to the owner organisation's
active members, the staff of the host unit the demand is filed with, Torch Center staff and the
experts assigned to it. ``selectors.demands_visible_to`` answers the same question for lists;
both must agree.
"""

import rules

from accounts.permissions import is_expert, is_org_member, is_torch_staff
from contests.permissions import is_host_staff, is_host_staff_of

from . import hooks
from .enums import EDITABLE_STATES, DemandStatus


def _authenticated(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_owner_member(user, demand):
    """An active member of the organisation that owns the demand."""
    if demand is None:
        return False
    return is_org_member(user, demand.organisation_id)


@rules.predicate
def is_host_staff_of_demand(user, demand):
    """Staff of the host unit the demand is filed with."""
    return demand is not None and is_host_staff_of(user, demand.host_unit_id)


@rules.predicate
def has_reached_host(user, demand):
    """A company's draft is its own until submitted; one that host staff entered is theirs
    from the start."""
    return demand is not None and (demand.entered_by_host or demand.submitted_at is not None)


@rules.predicate
def is_assigned_expert(user, demand):
    """An expert assigned to analyse the demand (and who still holds the expert role), or
    someone assigned who acts as an expert on it without the role while a source of
    ``hooks.register_expert_source`` says so (a commissioned agency's member)."""
    if demand is None or not _authenticated(user):
        return False
    if is_expert(user):
        return demand.assignments.filter(expert=user).exists()
    return (hooks.has_expert_sources() and demand.assignments.filter(expert=user).exists()
            and hooks.acting_for(user, demand) is not None)


@rules.predicate
def was_entered_by_host(user, demand):
    return demand is not None and demand.entered_by_host


@rules.predicate
def is_editable(user, demand):
    return demand is not None and demand.status in EDITABLE_STATES


def _status_in(*states):
    names = "_".join(states)

    @rules.predicate(name=f"status_in_{names}")
    def predicate(user, demand):
        return demand is not None and demand.status in states

    return predicate


is_reviewer = is_host_staff_of_demand | is_torch_staff

# The private full view: everyone who may read every field, hidden or not. A company's draft is
# its own until submitted, for Torch staff too. Access grants for challengers are OR-ed in
# where ``demands.view_demand`` is declared below.
can_view_full_demand = (
    is_owner_member | ((is_host_staff_of_demand | is_torch_staff) & has_reached_host)
    | is_assigned_expert
)

# The company's own people write the demand; host staff who entered it on the company's behalf
# may keep working on it.
is_author = is_owner_member | (is_host_staff_of_demand & was_entered_by_host)

can_edit_demand = is_author & is_editable
can_assign_experts = is_reviewer & _status_in(DemandStatus.SUBMITTED, DemandStatus.IN_ANALYSIS)
can_write_analysis = is_assigned_expert & _status_in(DemandStatus.IN_ANALYSIS)
can_propose_wording = (is_reviewer | is_assigned_expert) & _status_in(
    DemandStatus.SUBMITTED, DemandStatus.IN_ANALYSIS, DemandStatus.RETURNED, DemandStatus.APPROVED
)
can_decide_proposal = is_owner_member


# May open the organiser list of demands (no object).
can_manage_demands = is_host_staff | is_torch_staff


# The owner withdraws a demand; host staff too, once it has reached them. The other edges'
# predicates are named in ``enums.DEMAND_EDGES``.
can_withdraw = is_owner_member | (is_host_staff_of_demand & has_reached_host)


@rules.predicate
def can_decide_proposal_of(user, proposal):
    """The owner answers a wording proposal (a predicate on the proposal)."""
    return can_decide_proposal.test(user, proposal.demand)


rules.add_perm("demands.view_demand", can_view_full_demand)
rules.add_perm("demands.change_demand", can_edit_demand)
rules.add_perm("demands.assign_experts", can_assign_experts)
rules.add_perm("demands.write_analysis", can_write_analysis)
rules.add_perm("demands.propose_wording", can_propose_wording)
rules.add_perm("demands.decide_proposal", can_decide_proposal)
rules.add_perm("demands.manage_demands", can_manage_demands)


# --- access to hidden details of published demands (demands.services.access) ------------------
@rules.predicate
def is_granted_challenger(user, demand):
    """A challenger whose request to see the demand's hidden details was granted."""
    from accounts.permissions import is_challenger

    from .enums import AccessState

    if demand is None or not _authenticated(user) or not is_challenger(user):
        return False
    return demand.access_requests.filter(user=user, state=AccessState.GRANTED).exists()


@rules.predicate
def is_owner_admin(user, demand):
    """An active administrator of the organisation that owns the demand."""
    from accounts.permissions import is_org_admin

    return demand is not None and is_org_admin(user, demand.organisation_id)


# Who answers access requests and sees who opened the hidden details.
can_manage_access = is_owner_admin | is_host_staff_of_demand
can_see_access_log = can_manage_access | is_torch_staff
# Everyone who may read a demand's hidden details (the private full view, or /full/).
can_view_hidden_details = can_view_full_demand | is_granted_challenger

rules.add_perm("demands.manage_access", can_manage_access)
rules.add_perm("demands.view_hidden_details", can_view_hidden_details)
# Attachments are downloaded under ``demands.view_demand`` (files.permissions): a granted
# challenger may download them too. The private pages check can_view_full_demand themselves.
rules.set_perm("demands.view_demand", can_view_hidden_details)


@rules.predicate
def can_manage_access_of(user, access_request):
    """Who decides on an access request (a predicate on the request)."""
    return can_manage_access.test(user, access_request.demand)


@rules.predicate
def is_requester(user, access_request):
    """The challenger who made the access request."""
    return _authenticated(user) and access_request.user_id == user.pk
