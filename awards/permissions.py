"""Who may see and do what with awards (django-rules predicates); ``selectors`` answers the same
for lists."""

import rules

from accounts.permissions import is_org_member, is_torch_staff
from contests.permissions import is_host_staff_of

from .enums import AwardState, SubsidyState


@rules.predicate
def is_payer(user, award):
    return award is not None and is_org_member(user, award.payer_id)


@rules.predicate
def is_recipient(user, award):
    return award is not None and is_org_member(user, award.recipient_id)


@rules.predicate
def is_award_host(user, award):
    return award is not None and is_host_staff_of(user, award.host_unit_id)


@rules.predicate
def _acknowledged(user, award):
    return award is not None and award.state == AwardState.ACKNOWLEDGED


@rules.predicate
def _paid(user, award):
    return award is not None and award.state == AwardState.PAID


can_view_award = is_payer | is_recipient | is_award_host | is_torch_staff
can_record_payment = is_payer & _acknowledged
can_confirm_receipt = is_recipient & _paid

rules.add_perm("awards.view_award", can_view_award)
rules.add_perm("awards.change_award", is_payer | is_recipient | is_award_host)


# --- technology contracts ------------------------------------------------------------------------
@rules.predicate
def _contract_side(user, contract):
    return contract is not None and (
        is_org_member(user, contract.agreement.partner_id)
        or is_org_member(user, contract.agreement.demand.organisation_id))


@rules.predicate
def _contract_host(user, contract):
    return contract is not None and is_host_staff_of(user, contract.host_unit_id)


can_view_contract = _contract_side | _contract_host | is_torch_staff
can_flag_contract = _contract_host
rules.add_perm("awards.view_technologycontract", can_view_contract)


# --- service requests -----------------------------------------------------------------------------
@rules.predicate
def _service_requester(user, service):
    return service is not None and user.is_authenticated and service.requester_id == user.pk


@rules.predicate
def _service_host(user, service):
    return service is not None and is_host_staff_of(user, service.host_unit_id)


@rules.predicate
def _service_provider(user, service):
    return (service is not None and service.provider_id is not None
            and is_org_member(user, service.provider_id))


can_view_service = _service_requester | _service_host | _service_provider | is_torch_staff
can_assign_service = _service_host
can_complete_service = _service_provider | _service_host
rules.add_perm("awards.view_servicerequest", can_view_service)


# --- follow-ups ---------------------------------------------------------------------------------
@rules.predicate
def _follow_up_demand_side(user, follow_up):
    return follow_up is not None and is_org_member(user,
                                                   follow_up.agreement.demand.organisation_id)


@rules.predicate
def _follow_up_host(user, follow_up):
    return follow_up is not None and is_host_staff_of(user, follow_up.host_unit_id)


can_view_follow_up = _follow_up_demand_side | _follow_up_host | is_torch_staff
can_report_follow_up = _follow_up_demand_side
can_evaluate_follow_up = _follow_up_host
rules.add_perm("awards.view_followup", can_view_follow_up)


# --- subsidies ----------------------------------------------------------------------------------
@rules.predicate
def is_policy_host(user, policy):
    """Host staff of the policy's unit (who enter and change its policies)."""
    return policy is not None and is_host_staff_of(user, policy.host_unit_id)


@rules.predicate
def _subsidy_applicant(user, application):
    """An active member of the applying organisation (the matched demand's)."""
    return application is not None and is_org_member(user, application.organisation_id)


@rules.predicate
def _subsidy_host(user, application):
    return application is not None and is_host_staff_of(user, application.host_unit_id)


@rules.predicate
def _subsidy_submitted(user, application):
    return application is not None and application.state == SubsidyState.SUBMITTED


can_view_subsidy = _subsidy_applicant | _subsidy_host | is_torch_staff
can_decide_subsidy = _subsidy_host
can_withdraw_subsidy = _subsidy_applicant
rules.add_perm("awards.view_subsidyapplication", can_view_subsidy)
# Whoever may change it may remove its supporting files (files.permissions): the applicant,
# while it awaits decision.
rules.add_perm("awards.change_subsidyapplication", _subsidy_applicant & _subsidy_submitted)
rules.add_perm("awards.change_subsidypolicy", is_policy_host)
