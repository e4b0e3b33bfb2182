"""List pages cost the same number of queries for one demand as for three."""

import pytest
from django.urls import reverse

from demands.enums import DemandStatus
from tests.demands.collection import *  # noqa: F403
from tests.factories.demands import ExpertAssignmentFactory, WordingProposalFactory


def _fill(make_demand, count, expert=None, host_organiser=None):
    for _ in range(count):
        demand = make_demand(status=DemandStatus.IN_ANALYSIS)
        if expert is not None:
            ExpertAssignmentFactory(demand=demand, expert=expert)
        if host_organiser is not None:
            WordingProposalFactory(demand=demand, proposed_by=host_organiser)


def _get(client, url, expected_rows):
    response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["demands"]) == expected_rows
    return response


@pytest.mark.parametrize("count", [1, 3])
def test_my_demands_list_query_count(count, client, make_demand, demand_owner, host_organiser,
                                     django_assert_num_queries):
    _fill(make_demand, count, host_organiser=host_organiser)
    client.force_login(demand_owner)
    client.get(reverse("demands:mine"))  # warm the session cache
    # (the user, their roles and unread count come from the cache: accounts.identity)
    with django_assert_num_queries(3):
        _get(client, reverse("demands:mine"), count)


@pytest.mark.parametrize("count", [1, 3])
def test_manage_list_query_count(count, client, make_demand, host_organiser, signed_expert,
                                 django_assert_num_queries):
    _fill(make_demand, count, expert=signed_expert, host_organiser=host_organiser)
    client.force_login(host_organiser)
    client.get(reverse("demands:manage"))
    with django_assert_num_queries(5):
        _get(client, reverse("demands:manage"), count)


@pytest.mark.parametrize("count", [1, 3])
def test_assigned_list_query_count(count, client, make_demand, signed_expert,
                                   django_assert_num_queries):
    _fill(make_demand, count, expert=signed_expert)
    client.force_login(signed_expert)
    client.get(reverse("demands:assigned"))
    with django_assert_num_queries(3):
        _get(client, reverse("demands:assigned"), count)
