"""Who sees the private full view of a demand, in every state; the predicate, the selector and
the page agree, and everyone else gets a 404."""

import pytest
from django.contrib.auth.models import AnonymousUser

from demands import permissions, selectors
from demands.enums import DemandStatus
from tests.demands.collection import *  # noqa: F403

SEES = {"demand_owner", "host_organiser", "torch_staff", "assigned"}


def _expected(persona, status):
    if persona in ("host_organiser", "torch_staff") and status == DemandStatus.DRAFT:
        return False  # a company's draft is its own until submitted, for Torch staff too
    return persona in SEES


@pytest.mark.parametrize("status", list(DemandStatus))
def test_full_view_predicate_and_selector_agree_for_every_persona(status, make_demand,
                                                                  persona_users):
    demand = make_demand(status=status, hidden_fields=["organisation"])
    users = persona_users(demand)

    for persona, user in users.items():
        expected = _expected(persona, status)
        assert permissions.can_view_full_demand(user, demand) is expected, persona
        assert user.has_perm("demands.view_demand", demand) is expected, persona
        visible = selectors.demands_visible_to(user).filter(pk=demand.pk).exists()
        assert visible is expected, persona
    assert not permissions.can_view_full_demand(AnonymousUser(), demand)
    assert not selectors.demands_visible_to(AnonymousUser()).exists()


@pytest.mark.parametrize("status", [DemandStatus.SUBMITTED, DemandStatus.PUBLISHED])
def test_private_detail_is_404_for_everyone_else(status, client, make_demand, persona_users):
    demand = make_demand(status=status, hidden_fields=["organisation", "phone"])
    users = persona_users(demand)

    for persona, user in users.items():
        client.force_login(user)
        response = client.get(demand.get_private_url())
        if persona in SEES:
            assert response.status_code == 200, persona
            assert demand.organisation.name in response.content.decode()
        else:
            assert response.status_code == 404, persona
    client.logout()
    response = client.get(demand.get_private_url())
    assert response.status_code == 302  # to the sign-in page


@pytest.mark.parametrize("status", list(DemandStatus))
def test_edit_permission_in_every_state(status, make_demand, demand_owner, host_organiser,
                                        torch_staff):
    demand = make_demand(status=status)
    editable = status in (DemandStatus.DRAFT, DemandStatus.RETURNED)
    assert demand_owner.has_perm("demands.change_demand", demand) is editable
    assert not host_organiser.has_perm("demands.change_demand", demand)
    assert not torch_staff.has_perm("demands.change_demand", demand)


@pytest.mark.parametrize("status", list(DemandStatus))
def test_host_staff_edit_what_they_entered(status, make_demand, host_organiser,
                                           other_host_organiser):
    demand = make_demand(status=status, entered_by_host=True)
    editable = status in (DemandStatus.DRAFT, DemandStatus.RETURNED)
    assert host_organiser.has_perm("demands.change_demand", demand) is editable
    assert not other_host_organiser.has_perm("demands.change_demand", demand)


@pytest.mark.parametrize("status", list(DemandStatus))
def test_assign_analyse_and_propose_permissions_in_every_state(status, make_demand,
                                                               persona_users):
    demand = make_demand(status=status)
    users = persona_users(demand)
    reviewing = status in (DemandStatus.SUBMITTED, DemandStatus.IN_ANALYSIS)
    proposing = status in (DemandStatus.SUBMITTED, DemandStatus.IN_ANALYSIS,
                           DemandStatus.RETURNED, DemandStatus.APPROVED)

    for persona, user in users.items():
        reviewer = persona in ("host_organiser", "torch_staff")
        assert user.has_perm("demands.assign_experts", demand) is (reviewer and reviewing)
        assert user.has_perm("demands.write_analysis", demand) is (
            persona == "assigned" and status == DemandStatus.IN_ANALYSIS), persona
        assert user.has_perm("demands.propose_wording", demand) is (
            (reviewer or persona == "assigned") and proposing), persona
        assert user.has_perm("demands.decide_proposal", demand) is (persona == "demand_owner")


def test_manage_permission_without_object(host_organiser, torch_staff, demand_owner, expert,
                                          stranger):
    assert host_organiser.has_perm("demands.manage_demands")
    assert torch_staff.has_perm("demands.manage_demands")
    for user in (demand_owner, expert, stranger):
        assert not user.has_perm("demands.manage_demands")


def test_inactive_member_loses_the_view(make_demand, demand_owner):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    membership = demand_owner.memberships.get()
    membership.state = "declined"
    membership.save()
    demand_owner.__dict__.pop("_active_org_roles", None)
    assert not permissions.can_view_full_demand(demand_owner, demand)
    assert not selectors.demands_visible_to(demand_owner).exists()


def test_expert_who_lost_the_role_loses_the_view(make_demand, assigned_expert):
    demand = make_demand(status=DemandStatus.IN_ANALYSIS)
    expert = assigned_expert(demand)
    expert.roles.clear()
    expert.__dict__.pop("_role_codes", None)
    assert not permissions.can_view_full_demand(expert, demand)
    assert not selectors.demands_visible_to(expert).exists()
