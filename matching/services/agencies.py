"""Service agencies (服务机构): a host unit commissions an agency for a scope, a period and some
of its demands; the commission can be ended. Every action of the agency's members on the host's
behalf is logged under the agency (``data["agency"]``)."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.enums import MembershipState, OrganisationKind
from accounts.models import Membership
from audit.services import log_action
from common.workflow import Workflow
from contests.permissions import is_host_staff_of
from notifications.services import notify_many

from .. import permissions
from ..enums import COMMISSION_EDGES, CommissionScope, CommissionState
from ..models import Commission, CommissionTransition
from .base import MatchingError


class CommissionError(MatchingError):
    default_code = "commission_refused"


def _agency_members(commission):
    return list(Membership.objects.filter(organisation_id=commission.agency_id,
                                          state=MembershipState.ACTIVE, user__is_active=True)
                .values_list("user_id", flat=True))


def _notify(commission, key):
    notify_many(recipient_ids=_agency_members(commission), kind="matching.commissioned",
                context={"host": commission.host_unit.name,
                         "starts_on": commission.starts_on.isoformat(),
                         "ends_on": commission.ends_on.isoformat(),
                         "state": str(commission.get_state_display())},
                idempotency_key=f"commission:{commission.pk}:{key}",
                url=commission.get_absolute_url(), obj=commission)


def _after_end(step):
    _notify(step.obj, "ended")


COMMISSION_WORKFLOW = Workflow(
    model=Commission, states=CommissionState, edges=COMMISSION_EDGES, permissions=permissions,
    history=CommissionTransition, audit="portal.matching.commission",
    select_related=("host_unit",),
    messages={"illegal": gettext_lazy("This commission has ended already."),
              "denied": gettext_lazy("You may not end this commission.")},
    error=CommissionError, after=_after_end,
)


def commission_agency(*, host_unit, agency, scopes, starts_on, ends_on, demands=(), actor,
                      request=None):
    """Commission ``agency`` for ``host_unit`` (the actor must be its staff)."""
    if not is_host_staff_of(actor, host_unit):
        raise CommissionError(_("Only the host unit's staff may commission an agency."),
                              code="permission_denied")
    if agency.kind != OrganisationKind.SERVICE_AGENCY:
        raise CommissionError(_("Only an organisation of the kind “service agency” can be "
                                "commissioned."), field="agency")
    scopes = [CommissionScope(scope).value for scope in scopes]
    if not scopes:
        raise CommissionError(_("Choose at least one scope."), field="scopes")
    if ends_on < starts_on:
        raise CommissionError(_("The period ends before it starts."), field="ends_on")
    demands = list(demands)
    if any(demand.host_unit_id != host_unit.pk for demand in demands):
        raise CommissionError(_("Only the host unit's own demands can be assigned."),
                              field="demands")
    with transaction.atomic():
        commission = Commission.objects.create(
            host_unit=host_unit, agency=agency, scopes=scopes, starts_on=starts_on,
            ends_on=ends_on, created_by=actor)
        commission.demands.set(demands)
        log_action("portal.matching.commission.create", actor=actor, obj=commission,
                   data={"agency": agency.pk, "scopes": scopes,
                         "demands": [demand.pk for demand in demands]}, request=request)
        _notify(commission, "created")
    return commission


def assign_demands(commission, demands, *, actor, request=None):
    """Set the demands the agency works on."""
    if not permissions.can_end_commission.test(actor, commission):
        raise CommissionError(_("You may not change this commission."), code="permission_denied")
    demands = list(demands)
    if any(demand.host_unit_id != commission.host_unit_id for demand in demands):
        raise CommissionError(_("Only the host unit's own demands can be assigned."),
                              field="demands")
    with transaction.atomic():
        commission.demands.set(demands)
        log_action("portal.matching.commission.assign", actor=actor, obj=commission,
                   data={"agency": commission.agency_id,
                         "demands": [demand.pk for demand in demands]}, request=request)
    return commission


def end_commission(commission, *, actor, reason="", request=None):
    """End the commission: its members lose what it gave them at once."""
    return COMMISSION_WORKFLOW.transition(commission, CommissionState.ENDED, actor=actor,
                                          reason=reason, request=request)


def log_agency_action(action, *, commission, actor, obj, data=None, request=None):
    """An action of an agency member on the host's behalf, logged under the agency."""
    log_action(action, actor=actor, obj=obj, request=request,
               data={**(data or {}), "agency": commission.agency_id,
                     "commission": commission.pk})
