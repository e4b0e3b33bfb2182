"""Who may see and do what in matching (django-rules predicates). The selectors answer the same
questions for lists; both must agree."""

import rules
from django.utils import timezone

from accounts.permissions import is_org_member, is_torch_staff
from contests.permissions import is_host_staff, is_host_staff_of

from .enums import AgreementState, CommissionScope, CommissionState, InvitationState


def _authenticated(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


# --- achievements -------------------------------------------------------------------------------
@rules.predicate
def is_holder_member(user, achievement):
    return achievement is not None and is_org_member(user, achievement.owner_id)


@rules.predicate
def is_public_achievement(user, achievement):
    return achievement is not None and achievement.is_public


can_view_achievement = (is_public_achievement | is_holder_member | is_host_staff
                        | is_torch_staff)
can_edit_achievement = is_holder_member | is_torch_staff
can_import_achievements = is_host_staff | is_torch_staff


# --- agencies ------------------------------------------------------------------------------------
def current_commissions(user):
    """The current commissions (active, within their period) of the agencies the user is an
    active member of, who signed the NDA; cached on the user for one request."""
    if not _authenticated(user):
        return []
    if not hasattr(user, "_matching_commissions"):
        from accounts.agreements import current_scope, has_signed_current
        from accounts.enums import MembershipState

        from .models import Commission

        today = timezone.localdate()
        commissions = []
        if has_signed_current(user, current_scope(), kinds=("nda",)):
            commissions = list(
                Commission.objects.filter(
                    state=CommissionState.ACTIVE, starts_on__lte=today, ends_on__gte=today,
                    agency__memberships__user=user,
                    agency__memberships__state=MembershipState.ACTIVE,
                ).prefetch_related("demands")
            )
        user._matching_commissions = commissions
    return user._matching_commissions


def commission_for(user, demand, scope=None):
    """The user's current commission covering ``demand`` (and ``scope``), or None."""
    if demand is None:
        return None
    for commission in current_commissions(user):
        if scope is not None and scope not in commission.scopes:
            continue
        if commission.host_unit_id == demand.host_unit_id and any(
            assigned.pk == demand.pk for assigned in commission.demands.all()
        ):
            return commission
    return None


@rules.predicate
def is_commissioned_for(user, demand):
    return commission_for(user, demand) is not None


@rules.predicate
def searches_for(user, demand):
    """A commissioned agency member whose commission includes holder search on the demand."""
    return commission_for(user, demand, CommissionScope.HOLDER_SEARCH) is not None


@rules.predicate
def is_host_staff_of_demand(user, demand):
    return demand is not None and is_host_staff_of(user, demand.host_unit_id)


@rules.predicate
def is_demand_owner(user, demand):
    return demand is not None and is_org_member(user, demand.organisation_id)


@rules.predicate
def is_published(user, demand):
    from demands.enums import DemandStatus

    return demand is not None and demand.status == DemandStatus.PUBLISHED


# Who reads a demand's recommendations (public achievements only, unless staff).
can_view_recommendations = (is_host_staff_of_demand | is_torch_staff | is_commissioned_for
                            | is_demand_owner)
# Who sees staff-only achievements among them.
sees_staff_achievements = is_host_staff | is_torch_staff
# One click: host staff, or an agency commissioned for holder search, on a published demand.
can_invite = (is_host_staff_of_demand | searches_for) & is_published


@rules.predicate
def _commission_host_staff(user, commission):
    return commission is not None and is_host_staff_of(user, commission.host_unit_id)


@rules.predicate
def _commission_active(user, commission):
    return commission is not None and commission.state == CommissionState.ACTIVE


@rules.predicate
def is_agency_member(user, commission):
    return commission is not None and is_org_member(user, commission.agency_id)


can_manage_commissions = is_host_staff | is_torch_staff
can_view_commission = _commission_host_staff | is_torch_staff | is_agency_member
can_end_commission = (_commission_host_staff | is_torch_staff) & _commission_active


# --- invitations ---------------------------------------------------------------------------------
@rules.predicate
def is_invited_member(user, invitation):
    return invitation is not None and is_org_member(user, invitation.holder_id)


@rules.predicate
def _invitation_open(user, invitation):
    return invitation is not None and invitation.state == InvitationState.SENT


@rules.predicate
def _invitation_host_side(user, invitation):
    if invitation is None:
        return False
    return (is_host_staff_of(user, invitation.demand.host_unit_id)
            or (invitation.commission_id is not None
                and is_org_member(user, invitation.commission.agency_id)))


can_view_invitation = is_invited_member | _invitation_host_side | is_torch_staff
can_answer_invitation = is_invited_member & _invitation_open


# --- intention agreements ------------------------------------------------------------------------
@rules.predicate
def _agreement_owner(user, agreement):
    return agreement is not None and is_org_member(user, agreement.demand.organisation_id)


@rules.predicate
def _agreement_partner(user, agreement):
    return agreement is not None and is_org_member(user, agreement.partner_id)


@rules.predicate
def _agreement_host(user, agreement):
    return agreement is not None and is_host_staff_of(user, agreement.demand.host_unit_id)


@rules.predicate
def _agreement_open(user, agreement):
    return agreement is not None and agreement.state == AgreementState.DRAFT


can_record_agreement = is_demand_owner | is_host_staff_of_demand
can_view_agreement = _agreement_owner | _agreement_partner | _agreement_host | is_torch_staff
# The last missing side confirms; the workflow step is taken by the second confirmation.
can_confirm_agreement = (_agreement_owner | _agreement_partner) & _agreement_open

rules.add_perm("matching.view_achievement", can_view_achievement)
rules.add_perm("matching.change_achievement", can_edit_achievement)
rules.add_perm("matching.view_recommendations", can_view_recommendations)
rules.add_perm("matching.invite", can_invite)
rules.add_perm("matching.view_invitation", can_view_invitation)
rules.add_perm("matching.view_commission", can_view_commission)
rules.add_perm("matching.view_intentionagreement", can_view_agreement)
rules.add_perm("matching.change_intentionagreement", can_confirm_agreement)


# --- docking ----------------------------------------------------------------------------------
@rules.predicate
def _session_host(user, session):
    return session is not None and is_host_staff_of(user, session.host_unit_id)


@rules.predicate
def _session_participant(user, session):
    return (session is not None and _authenticated(user)
            and session.participants.filter(user=user).exists())


can_view_session = _session_host | _session_participant | is_torch_staff
can_manage_session = _session_host
rules.add_perm("matching.view_dockingsession", can_view_session)
rules.add_perm("matching.change_dockingsession", can_manage_session)


# --- live rounds --------------------------------------------------------------------------------
def round_organisation_ids(live_round):
    """The demand's organisation and every challenger's, cached on the round."""
    if not hasattr(live_round, "_organisation_ids"):
        live_round._organisation_ids = (
            {live_round.demand.organisation_id}
            | set(live_round.entries.values_list("organisation_id", flat=True)))
    return live_round._organisation_ids


def round_is_public(live_round):
    """Every side (the demand's organisation and each challenger) consents, as last answered."""
    if not hasattr(live_round, "_is_public"):
        given = set(live_round.consents.filter(given=True)
                    .values_list("organisation_id", flat=True))
        live_round._is_public = round_organisation_ids(live_round) <= given
    return live_round._is_public


@rules.predicate
def _round_host(user, live_round):
    return live_round is not None and is_host_staff_of(user, live_round.host_unit_id)


@rules.predicate
def _round_party(user, live_round):
    return live_round is not None and any(
        is_org_member(user, pk) for pk in round_organisation_ids(live_round))


@rules.predicate
def _round_judge(user, live_round):
    return (live_round is not None and _authenticated(user)
            and live_round.judges.filter(user=user).exists())


@rules.predicate
def _round_public(user, live_round):
    return live_round is not None and round_is_public(live_round)


@rules.predicate
def _round_demand_side(user, live_round):
    return live_round is not None and is_org_member(user, live_round.demand.organisation_id)


@rules.predicate
def _round_finished(user, live_round):
    from .enums import RoundState

    return live_round is not None and live_round.state == RoundState.FINISHED


can_manage_round = _round_host
# Participants (both sides, judges), the unit's staff and Torch staff; everyone when public.
can_view_round = _round_host | is_torch_staff | _round_party | _round_judge | _round_public
# The results: participants and staff always, the audience once a public round is finished.
can_see_results = (_round_host | is_torch_staff | _round_party | _round_judge
                   | (_round_public & _round_finished))
can_select_partner = _round_demand_side & _round_finished
rules.add_perm("matching.view_liveround", can_view_round)
rules.add_perm("matching.change_liveround", can_manage_round)
