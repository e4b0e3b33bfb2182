"""Who may see and do what with a complaint or a dispute (django-rules predicates).

A complaint is seen by its complainant, the staff of the host unit handling it and Torch
staff, nobody else; ``selectors.complaints_visible_to`` answers the same for lists. The party
complained about reads only the entries staff share (``can_view_as_party``). Staff of a host
unit that is itself complained about do not handle it: such complaints go to Torch staff.
"""

import rules

from accounts.permissions import is_torch_staff
from contests.permissions import is_host_staff_of

from .enums import OPEN_STATES, ComplaintCategory, ComplaintState, DisputeState


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def is_complainant(user, complaint):
    return complaint is not None and _active(user) and complaint.complainant_id == user.pk


@rules.predicate
def is_handling_host_staff(user, complaint):
    """Staff of the host unit the complaint went to (none when it went to Torch staff)."""
    return (complaint is not None and complaint.handling_unit_id is not None
            and is_host_staff_of(user, complaint.handling_unit_id))


@rules.predicate
def is_torch_handled(user, complaint):
    return complaint is not None and (complaint.handled_by_torch
                                      or complaint.handling_unit_id is None)


@rules.predicate
def is_open(user, complaint):
    return complaint is not None and complaint.state in OPEN_STATES


@rules.predicate
def is_party(user, complaint):
    """A user answering for what the complaint is about (not told who filed it when the
    complainant chose so)."""
    if complaint is None or not _active(user):
        return False
    return complaint.parties.filter(pk=user.pk).exists()


@rules.predicate
def is_recheck(user, complaint):
    return complaint is not None and complaint.category == ComplaintCategory.RECHECK


can_view_complaint = is_complainant | is_handling_host_staff | is_torch_staff
# The one who handles it now: the host unit's staff, or Torch staff once it is theirs.
can_handle = (is_handling_host_staff & ~is_torch_handled) | (is_torch_staff & is_torch_handled)
can_take_over = is_torch_staff & ~is_torch_handled & is_open
can_add_information = is_complainant & is_open
can_write_note = (is_handling_host_staff | is_torch_staff) & is_open
can_share = can_handle & is_open
can_view_as_party = is_party & ~can_view_complaint
can_respond_as_party = can_view_as_party & is_open
can_export_audit = is_handling_host_staff | is_torch_staff
can_assign_reviewer = can_handle & is_recheck & is_open


@rules.predicate
def may_give_feedback(user, complaint):
    return is_complainant(user, complaint) and complaint.state == ComplaintState.RESOLVED


rules.add_perm("complaints.view_complaint", can_view_complaint)
rules.add_perm("complaints.change_complaint", can_handle)


# --- disputes -----------------------------------------------------------------------------------
@rules.predicate
def is_side(user, dispute):
    return dispute is not None and _active(user) and user.pk in (dispute.side_a_id,
                                                                 dispute.side_b_id)


@rules.predicate
def is_dispute_host_staff(user, dispute):
    return dispute is not None and is_host_staff_of(user, dispute.host_unit_id)


@rules.predicate
def is_dispute_open(user, dispute):
    return dispute is not None and dispute.state in (DisputeState.OPEN, DisputeState.MEDIATION)


can_view_dispute = is_side | is_dispute_host_staff | is_torch_staff
can_mediate = is_dispute_host_staff | is_torch_staff
can_state_position = is_side & is_dispute_open
can_record_mediation = can_mediate & is_dispute_open

rules.add_perm("complaints.view_dispute", can_view_dispute)
rules.add_perm("complaints.change_dispute", can_mediate)
