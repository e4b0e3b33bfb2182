"""Technology contracts: registered against a confirmed intention agreement, flagged by the
unit's staff for priority in local S&T programmes."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_org_member
from audit.services import log_action
from contests.permissions import is_host_staff_of

from .. import permissions
from .base import AwardError, _amount


def register_contract(agreement, *, number, kind, amount, signed_on, actor, request=None):
    """Either side of a confirmed intention agreement (or the unit's staff) registers the
    signed technology contract."""
    from matching.enums import AgreementState

    from ..enums import ContractKind
    from ..models import TechnologyContract

    demand = agreement.demand
    if not (is_org_member(actor, agreement.partner_id)
            or is_org_member(actor, demand.organisation_id)
            or is_host_staff_of(actor, demand.host_unit_id)):
        raise AwardError(_("Only the two sides or the unit's staff register its contracts."),
                         code="permission_denied")
    if agreement.state != AgreementState.CONFIRMED:
        raise AwardError(_("Only a confirmed intention agreement takes contracts."),
                         code="state")
    number = (number or "").strip()
    if not number:
        raise AwardError(_("Give the contract number."), field="number")
    if kind not in ContractKind.values:
        raise AwardError(_("Choose the contract type."), field="kind")
    if signed_on > timezone.localdate():
        raise AwardError(_("The signing date cannot be in the future."), field="signed_on")
    amount = _amount(amount, "amount")
    with transaction.atomic():
        if TechnologyContract.objects.filter(number=number).exists():
            raise AwardError(_("A contract with this number is registered already."),
                             field="number")
        contract = TechnologyContract.objects.create(
            agreement=agreement, host_unit_id=demand.host_unit_id, number=number, kind=kind,
            amount=amount, signed_on=signed_on, registered_by=actor)
        log_action("portal.awards.contract.register", actor=actor, obj=contract,
                   data={"agreement": agreement.pk, "number": number, "kind": kind,
                         "amount": str(amount)}, request=request)
    return contract


def flag_contract(contract, *, priority, note, actor, request=None):
    """Host staff flag (or unflag) a contract for priority in local S&T programmes."""
    if not permissions.can_flag_contract.test(actor, contract):
        raise AwardError(_("Only the unit's staff flag contracts."), code="permission_denied")
    with transaction.atomic():
        contract.priority, contract.priority_note = bool(priority), (note or "").strip()
        contract.save(update_fields=["priority", "priority_note"])
        log_action("portal.awards.contract.flag", actor=actor, obj=contract,
                   data={"priority": contract.priority, "note": contract.priority_note},
                   request=request)
    return contract
