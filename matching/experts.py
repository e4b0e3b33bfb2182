"""A commissioned service agency's members act as experts on the commissioning unit's demands
(``demands.hooks.register_expert_source``, filled from ``MatchingConfig.ready``): while the
commission is active, within its period and its scope includes demand analysis, and the member
is active and signed the NDA (``permissions.current_commissions``), host staff may assign them
to the unit's demands like experts; they then use the expert pages, and every action there is
logged under the agency (the audit data names the agency and the commission). The day the
commission ends or its period is over, the same pages answer 404."""

from django.db.models import Q
from django.utils import timezone

from accounts.enums import MembershipState
from accounts.models import User

from .enums import CommissionScope, CommissionState
from .models import Commission
from .permissions import current_commissions


def _analysis_commissions(user):
    return [commission for commission in current_commissions(user)
            if CommissionScope.ANALYSIS in commission.scopes]


class AgencyExperts:
    """The source of people acting as experts for ``demands`` (see the module's text)."""

    def acting_for(self, user, demand):
        if demand is None:
            return None
        for commission in _analysis_commissions(user):
            if commission.host_unit_id == demand.host_unit_id:
                return {"agency": commission.agency_id, "commission": commission.pk}
        return None

    def demand_filter(self, user):
        units = sorted({commission.host_unit_id for commission in _analysis_commissions(user)})
        return Q(host_unit_id__in=units) if units else None

    def candidates(self, demand):
        today = timezone.localdate()
        # The scope list is JSON, which SQLite cannot search: read the unit's few current
        # commissions and keep those of demand analysis here.
        agencies = {
            agency_id for agency_id, scopes in Commission.objects.filter(
                host_unit_id=demand.host_unit_id, state=CommissionState.ACTIVE,
                starts_on__lte=today, ends_on__gte=today,
            ).values_list("agency_id", "scopes")
            if CommissionScope.ANALYSIS in (scopes or ())
        }
        return User.objects.filter(
            is_active=True, memberships__organisation_id__in=agencies,
            memberships__state=MembershipState.ACTIVE,
        ).distinct()


SOURCE = AgencyExperts()
