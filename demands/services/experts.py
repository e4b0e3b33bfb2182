"""Expert analysis: assigning experts who signed the NDA, and their 梳理分析 and 综合建议."""

from django.db import transaction
from django.utils.translation import gettext

from accounts.agreements import has_signed_current
from accounts.enums import AgreementKind, RoleCode
from audit.services import log_action
from notifications.services import notify

from .. import hooks, permissions
from ..enums import AnalysisVerdict, DemandStatus
from ..models import Analysis, Demand, ExpertAssignment
from .base import DemandError, _title
from .workflow import transition


# --- experts ----------------------------------------------------------------------------------
def assign_experts(demand, experts, *, actor):
    """Assign experts to analyse the demand. Every expert must hold the expert role and have
    signed the contest's current non-disclosure agreement; otherwise nobody is assigned. A
    submitted demand moves to expert analysis."""
    experts = list(experts)
    if not experts:
        raise DemandError(gettext("Choose at least one expert."), field="experts")
    with transaction.atomic():
        locked = (Demand.objects.select_for_update(of=("self",))
                  .select_related("host_unit__event__contest").get(pk=demand.pk))
        if not permissions.can_assign_experts(actor, locked):
            raise DemandError(gettext("Experts can be assigned only to a submitted demand or one "
                                      "in analysis, by its host unit's staff."), field="experts")
        contest = locked.host_unit.event.contest
        acting = {}
        for expert in experts:
            if expert.is_active and RoleCode.EXPERT not in expert.role_codes():
                acting[expert.pk] = hooks.acting_for(expert, locked)
            if not expert.is_active or (RoleCode.EXPERT not in expert.role_codes()
                                        and acting.get(expert.pk) is None):
                raise DemandError(gettext("%(name)s is not an expert.") % {"name": expert},
                                  field="experts")
            if not _has_signed_nda(expert, contest):
                raise DemandError(
                    gettext("%(name)s has not signed the current non-disclosure agreement and "
                            "cannot be assigned.") % {"name": expert}, field="experts"
                )
        added = []
        for expert in experts:
            _assignment, created = ExpertAssignment.objects.get_or_create(
                demand=locked, expert=expert, defaults={"assigned_by": actor}
            )
            if created:
                added.append(expert)
                log_action("portal.demand.assign_expert", actor=actor, obj=locked,
                           data={"expert": expert.pk, **(acting.get(expert.pk) or {})})
                notify(recipient=expert, kind="demand.expert_assigned",
                       context={"title": _title(locked), "host_unit": locked.host_unit.name},
                       idempotency_key=f"demand:{locked.pk}:expert:{expert.pk}",
                       url=locked.get_private_url(), obj=locked)
        if locked.status == DemandStatus.SUBMITTED:
            transition(locked, DemandStatus.IN_ANALYSIS, actor=actor,
                       reason=gettext("Experts assigned: %(names)s")
                       % {"names": "、".join(str(e) for e in experts)})
    demand.status = locked.status
    return added


def save_analysis(demand, *, expert, analysis, recommendations, verdict):
    """Write or rewrite the assigned expert's 梳理分析 and 综合建议 with a verdict."""
    if verdict not in AnalysisVerdict.values:
        raise DemandError(gettext("Choose a verdict."))
    if not (analysis or "").strip() or not (recommendations or "").strip():
        raise DemandError(gettext("Write both the analysis and the recommendations."))
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        if not permissions.can_write_analysis(expert, locked):
            raise DemandError(gettext("Only an assigned expert can analyse this demand, while "
                                      "it is in expert analysis."))
        record, created = Analysis.objects.update_or_create(
            demand=locked, expert=expert,
            defaults={"analysis": analysis.strip(), "recommendations": recommendations.strip(),
                      "verdict": verdict},
        )
        log_action("portal.demand.analysis", actor=expert, obj=locked,
                   data={"verdict": verdict, "first": created, **acting_data(expert, locked)})
    return record


def acting_data(user, demand):
    """What an audit entry of ``user``'s action on ``demand`` adds when the user acts as an
    expert without the role (``{"agency": …, "commission": …}``), else nothing."""
    if RoleCode.EXPERT in user.role_codes():
        return {}
    return hooks.acting_for(user, demand) or {}


def record_acting_view(demand, *, user, request=None):
    """Log one opening of the private full view by someone acting as an expert without the
    role, under the one they act for (an agency: its members read hidden values too)."""
    data = acting_data(user, demand)
    if data:
        log_action("portal.demand.acting_view", actor=user, obj=demand, request=request,
                   data=data)


def _has_signed_nda(user, contest):
    return has_signed_current(user, contest, kinds=(AgreementKind.NDA,))


