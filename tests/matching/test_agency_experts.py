"""A commissioned service agency's members act as experts on the commissioning unit's demands
(``matching.experts`` fills ``demands.hooks.register_expert_source``): assigned by host staff
like experts, they open the expert pages while the commission (active, in its period, with
demand analysis in its scope) lasts, and every action there is logged under the agency."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.enums import OrganisationKind
from audit.models import ActivityLog
from demands import services as demand_services
from demands.enums import AnalysisVerdict, DemandStatus
from demands.models import ExpertAssignment
from demands.services import DemandError
from matching.enums import CommissionScope
from matching.services.agencies import commission_agency, end_commission
from tests.factories.accounts import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    sign_current_agreements,
)
from tests.factories.demands import DemandFactory


@pytest.fixture
def submitted_demand(host_unit, demand_owner):
    return DemandFactory(host_unit=host_unit, status=DemandStatus.SUBMITTED,
                         submitted_at=timezone.now(),
                         organisation=demand_owner.organisations.first(), created_by=demand_owner,
                         title="储能电池簇主动均衡", key_problem="电池簇一致性差，被动均衡效率低。")


@pytest.fixture
def agency_member(submitted_demand):
    agency = OrganisationFactory(kind=OrganisationKind.SERVICE_AGENCY, name="科创服务中心")
    user = MembershipFactory(user=UserFactory(roles=["service_agency"]),
                             organisation=agency).user
    sign_current_agreements(user, submitted_demand.host_unit.event.contest, kinds=("nda",))
    return user


def _commission(host_unit, organiser, member, *, scopes=(CommissionScope.ANALYSIS,),
                days=(0, 30)):
    today = timezone.localdate()
    return commission_agency(host_unit=host_unit, agency=member.organisations.first(),
                             scopes=list(scopes), starts_on=today + timedelta(days=days[0]),
                             ends_on=today + timedelta(days=days[1]), actor=organiser)


def _fresh(user):
    """The user as the next request loads it (the commissions are cached per request)."""
    user.__dict__.pop("_matching_commissions", None)
    return user


def _pages(demand):
    return (demand.get_private_url(), reverse("demands:analysis", kwargs={"ref": demand.ref}))


def test_host_staff_assign_an_agency_member_who_then_analyses_logged_under_the_agency(
        client, submitted_demand, host_organiser, agency_member):
    commission = _commission(submitted_demand.host_unit, host_organiser, agency_member)
    client.force_login(host_organiser)
    page = client.get(reverse("demands:assign_experts", kwargs={"ref": submitted_demand.ref}))
    assert agency_member in page.context["form"].fields["experts"].queryset

    demand_services.assign_experts(submitted_demand, [agency_member], actor=host_organiser)
    submitted_demand.refresh_from_db()
    assert submitted_demand.status == DemandStatus.IN_ANALYSIS
    named = {"agency": commission.agency_id, "commission": commission.pk}
    assigned = ActivityLog.objects.get(action="portal.demand.assign_expert")
    assert assigned.data == {"expert": agency_member.pk, **named}

    client.force_login(agency_member)
    private, analysis = _pages(submitted_demand)
    assert client.get(private).status_code == 200
    viewed = ActivityLog.objects.get(action="portal.demand.acting_view")
    assert (viewed.actor_id, viewed.data) == (agency_member.pk, named)
    assert client.get(reverse("demands:assigned")).status_code == 200
    response = client.post(analysis, {"analysis": "均衡拓扑与估算算法是关键。",
                                      "recommendations": "征集主动均衡方案。",
                                      "verdict": AnalysisVerdict.PUBLISH})
    assert response.status_code == 302
    written = ActivityLog.objects.get(action="portal.demand.analysis")
    assert written.actor_id == agency_member.pk
    assert {key: written.data[key] for key in named} == named


def test_the_pages_are_404_once_the_commission_ends(client, submitted_demand, host_organiser,
                                                    agency_member):
    commission = _commission(submitted_demand.host_unit, host_organiser, agency_member)
    demand_services.assign_experts(submitted_demand, [agency_member], actor=host_organiser)
    client.force_login(agency_member)
    private, analysis = _pages(submitted_demand)
    assert client.get(private).status_code == 200
    end_commission(commission, actor=host_organiser)
    assert client.get(private).status_code == 404
    assert client.get(analysis).status_code == 404
    assert client.get(reverse("demands:assigned")).status_code == 404


@pytest.mark.parametrize("days", [(-10, -1), (1, 10)], ids=["over", "not-yet"])
def test_the_pages_are_404_outside_the_commissions_period(client, submitted_demand,
                                                          host_organiser, agency_member, days):
    _commission(submitted_demand.host_unit, host_organiser, agency_member, days=days)
    with pytest.raises(DemandError):
        demand_services.assign_experts(submitted_demand, [_fresh(agency_member)],
                                       actor=host_organiser)
    # Even an assignment made while it lasted opens nothing outside the period.
    ExpertAssignment.objects.create(demand=submitted_demand, expert=agency_member,
                                    assigned_by=host_organiser)
    client.force_login(agency_member)
    for url in _pages(submitted_demand):
        assert client.get(url).status_code == 404


def test_another_units_demand_is_404_and_cannot_be_assigned(
        client, submitted_demand, host_organiser, agency_member, other_host_unit,
        other_host_organiser, demand_owner):
    _commission(submitted_demand.host_unit, host_organiser, agency_member)
    elsewhere = DemandFactory(host_unit=other_host_unit, status=DemandStatus.SUBMITTED,
                              submitted_at=timezone.now(),
                              organisation=demand_owner.organisations.first(),
                              created_by=demand_owner)
    with pytest.raises(DemandError):
        demand_services.assign_experts(elsewhere, [_fresh(agency_member)],
                                       actor=other_host_organiser)
    ExpertAssignment.objects.create(demand=elsewhere, expert=agency_member,
                                    assigned_by=other_host_organiser)
    client.force_login(agency_member)
    for url in _pages(elsewhere):
        assert client.get(url).status_code == 404
    assert not ActivityLog.objects.filter(action="portal.demand.acting_view").exists()


def test_a_commission_without_demand_analysis_makes_no_expert(
        client, submitted_demand, host_organiser, agency_member):
    _commission(submitted_demand.host_unit, host_organiser, agency_member,
                scopes=[CommissionScope.HOLDER_SEARCH])
    with pytest.raises(DemandError):
        demand_services.assign_experts(submitted_demand, [_fresh(agency_member)],
                                       actor=host_organiser)
    ExpertAssignment.objects.create(demand=submitted_demand, expert=agency_member,
                                    assigned_by=host_organiser)
    client.force_login(agency_member)
    assert client.get(submitted_demand.get_private_url()).status_code == 404


def test_a_member_who_has_not_signed_the_nda_acts_for_nobody(
        client, submitted_demand, host_organiser):
    agency = OrganisationFactory(kind=OrganisationKind.SERVICE_AGENCY, name="未签署服务中心")
    unsigned = MembershipFactory(user=UserFactory(roles=["service_agency"]),
                                 organisation=agency).user
    _commission(submitted_demand.host_unit, host_organiser, unsigned)
    with pytest.raises(DemandError):
        demand_services.assign_experts(submitted_demand, [unsigned], actor=host_organiser)
