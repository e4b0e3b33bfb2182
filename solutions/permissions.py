"""Who may see and do what with a solution (django-rules predicates).

A solution is seen by its challenger organisation's active members; once submitted also by the
demand owner's members, the staff of the demand's host unit, Torch staff and the experts
assigned to the demand. ``selectors.solutions_visible_to`` answers the same for lists.
"""

import rules

from accounts.permissions import is_challenger, is_org_member, is_torch_staff
from demands import permissions as demand_permissions

from .enums import SUBMITTED_STATES


@rules.predicate
def is_solution_member(user, solution):
    """An active member of the organisation that wrote the solution."""
    return solution is not None and is_org_member(user, solution.organisation_id)


@rules.predicate
def has_reached_owner(user, solution):
    return solution is not None and solution.submitted_at is not None


@rules.predicate
def is_demand_side(user, solution):
    """The owner's members, its host unit's staff, Torch staff and assigned experts."""
    if solution is None:
        return False
    demand = solution.demand
    return bool(
        demand_permissions.is_owner_member(user, demand)
        or demand_permissions.is_host_staff_of_demand(user, demand)
        or is_torch_staff(user)
        or demand_permissions.is_assigned_expert(user, demand)
    )


@rules.predicate
def is_deciding_side(user, solution):
    """The owner's members, or host staff acting on the owner's behalf."""
    if solution is None:
        return False
    demand = solution.demand
    return bool(demand_permissions.is_owner_member(user, demand)
                or demand_permissions.is_host_staff_of_demand(user, demand))


@rules.predicate
def is_submitted(user, solution):
    return solution is not None and solution.status in SUBMITTED_STATES


can_view_solution = is_solution_member | (is_demand_side & has_reached_owner)
# The challenger's own writes (drafting, submitting, revising, withdrawing); dates and demand
# state are checked by the services, with their own messages.
can_write_solution = is_solution_member & is_challenger
can_decide_solution = is_deciding_side & is_submitted


# --- per demand --------------------------------------------------------------------------------
@rules.predicate
def can_review_solutions_of(user, demand):
    """May open a demand's list of solutions and the comparison."""
    return bool(demand is not None and (
        demand_permissions.is_owner_member(user, demand)
        or demand_permissions.is_host_staff_of_demand(user, demand)
        or is_torch_staff(user)
        or demand_permissions.is_assigned_expert(user, demand)))


@rules.predicate
def can_decide_solutions_of(user, demand):
    return bool(demand is not None and (
        demand_permissions.is_owner_member(user, demand)
        or demand_permissions.is_host_staff_of_demand(user, demand)))


# The owner's side of a clarification thread: the owner's members and the host unit's staff.
can_answer_clarifications = can_decide_solutions_of


rules.add_perm("solutions.view_solution", can_view_solution)
rules.add_perm("solutions.change_solution", can_write_solution)
rules.add_perm("solutions.decide_solution", can_decide_solution)


# May open the organiser's unanswered board.
def _can_see_board(user):
    from contests.permissions import is_host_staff

    return bool(is_host_staff(user) or is_torch_staff(user))


can_see_board = rules.predicate(_can_see_board, name="can_see_board")
