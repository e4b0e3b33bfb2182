"""Reads of the private side: which demands a user may see, annotated for lists so that a list
page costs a fixed number of queries whatever its length."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from accounts.enums import MembershipState, RoleCode
from accounts.models import Membership, User
from accounts.permissions import is_expert, is_torch_staff
from contests.models import HostMembership, HostUnit
from contests.permissions import staffed_host_unit_ids
from contests.selectors import current_contest, of_host_units
from files.models import PrivateFile

from . import hooks
from .enums import ProposalState
from .models import Analysis, Demand, DemandTransition, ExpertAssignment, WordingProposal


def _owner_q(user):
    return Exists(Membership.objects.filter(
        user=user, organisation_id=OuterRef("organisation_id"), state=MembershipState.ACTIVE
    ))


def _host_q(user):
    return Exists(HostMembership.objects.filter(user=user, host_unit_id=OuterRef("host_unit_id")))


def _expert_q(user):
    return Exists(ExpertAssignment.objects.filter(expert=user, demand_id=OuterRef("pk")))


# Mirrors ``permissions.has_reached_host``.
_REACHED_HOST = Q(entered_by_host=True) | Q(submitted_at__isnull=False)


def demands_visible_to(user):
    """Every demand whose private full view the user may open: the owner organisation's active
    members, and once it reached its host (a company's draft is its own until submitted) the
    staff of its host unit, Torch staff and assigned experts. Mirrors
    ``permissions.can_view_full_demand``."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Demand.objects.none()
    if is_torch_staff(user):
        return Demand.objects.filter(Q(_owner_q(user)) | _REACHED_HOST)
    condition = Q(_owner_q(user)) | (Q(_host_q(user)) & _REACHED_HOST)
    expert = _assigned_condition(user)
    if expert is not None:
        condition |= expert
    return Demand.objects.filter(condition)


def _assigned_condition(user):
    """The demands the user may work on as an assigned expert (``permissions.
    is_assigned_expert``): with the expert role, every assignment; without it, the assignments
    on demands a source of ``hooks.register_expert_source`` lets the user act on. None: none."""
    if is_expert(user):
        return Q(_expert_q(user))
    acting = hooks.acting_demand_filter(user)
    if acting is None:
        return None
    return Q(_expert_q(user)) & acting


def acts_as_expert(user):
    """Whether the user has the expert pages: the role, or acting for a source."""
    return is_expert(user) or hooks.acting_demand_filter(user) is not None


def _for_list(queryset):
    return (
        queryset.select_related("host_unit__event", "organisation", "industry_field")
        .annotate(
            expert_count=Count("assignments", distinct=True),
            analysis_count=Count("analyses", distinct=True),
            pending_proposal_count=Count(
                "proposals", filter=Q(proposals__state=ProposalState.PROPOSED), distinct=True
            ),
        )
        .order_by("-updated_at", "-pk")
    )


def owner_demands(user):
    """The demands of the organisations the user is an active member of."""
    if not user.is_authenticated:
        return Demand.objects.none()
    return _for_list(Demand.objects.filter(_owner_q(user)))


def managed_scope(user):
    """The demands of the user's host units (all of them for Torch staff), not annotated. A
    company's drafts stay with it until submitted."""
    return of_host_units(Demand.objects.all(), user).filter(_REACHED_HOST)


def analyses_managed_by(user):
    """Expert analyses of the demands in :func:`managed_scope`."""
    return Analysis.objects.filter(demand__in=managed_scope(user))


def assignments_managed_by(user):
    """Expert assignments of the demands in :func:`managed_scope`."""
    return ExpertAssignment.objects.filter(demand__in=managed_scope(user))


def proposals_managed_by(user):
    """Wording proposals on the demands in :func:`managed_scope`."""
    return WordingProposal.objects.filter(demand__in=managed_scope(user))


def organisation_ids_with_managed_demands(user):
    """The organisations that filed a demand in :func:`managed_scope` (for the accounts
    admin's organisation scope)."""
    return managed_scope(user).values("organisation_id")


def status_counts(queryset):
    """``{status: number}`` in one query."""
    return dict(queryset.order_by().values("status").annotate(n=Count("pk"))
                .values_list("status", "n"))


def managed_demands(user, *, status="", host_unit=None):
    """The organiser list: :func:`managed_scope`, optionally of one status and one unit,
    annotated for the list."""
    queryset = managed_scope(user)
    if status:
        queryset = queryset.filter(status=status)
    if host_unit is not None:
        queryset = queryset.filter(host_unit=host_unit)
    return _for_list(queryset)


def assigned_demands(user):
    """The demands the expert is assigned to, with whether the expert has written an
    analysis."""
    condition = _assigned_condition(user)
    if condition is None:
        return Demand.objects.none()
    mine = Analysis.objects.filter(expert=user, demand_id=OuterRef("pk"))
    return _for_list(Demand.objects.filter(condition)).annotate(analysed=Exists(mine))


def managed_host_units(user):
    """The host units of the organiser's status filter and of demands entered on behalf."""
    if is_torch_staff(user):
        units = HostUnit.objects.all()
    else:
        units = HostUnit.objects.filter(pk__in=staffed_host_unit_ids(user))
    return units.select_related("event").order_by("event__number", "pk")


def current_host_units():
    """Host units of the current edition, for the filing choice."""
    contest = current_contest()
    if contest is None:
        return HostUnit.objects.none()
    return (HostUnit.objects.filter(event__contest=contest).select_related("event")
            .order_by("event__number", "pk"))


def demand_detail(user, ref):
    """The private full view of one demand, with everything the page shows, or
    ``Demand.DoesNotExist`` when the user may not see it (answered with 404)."""
    return (
        demands_visible_to(user)
        .select_related("host_unit__event__contest", "organisation", "industry_field",
                        "created_by")
        .prefetch_related(
            "indicators",
            Prefetch("attachments", queryset=PrivateFile.objects.order_by("created_at", "pk")),
            Prefetch("transitions",
                     queryset=DemandTransition.objects.select_related("actor")),
            Prefetch("assignments",
                     queryset=ExpertAssignment.objects.select_related("expert")
                     .order_by("assigned_at")),
            Prefetch("analyses", queryset=Analysis.objects.select_related("expert")
                     .order_by("submitted_at")),
            Prefetch("proposals", queryset=WordingProposal.objects.select_related("proposed_by")),
        )
        .get(ref=ref)
    )


def expert_candidates(demand=None):
    """Active users holding the expert role, for the assignment form; with ``demand``, also
    the people who may act as experts on it (``hooks.register_expert_source``)."""
    condition = Q(roles__code=RoleCode.EXPERT)
    if demand is not None:
        acting = hooks.acting_candidates(demand)
        if acting:
            condition |= Q(pk__in=acting)
    return (User.objects.filter(condition, is_active=True)
            .order_by("full_name", "email").distinct())
