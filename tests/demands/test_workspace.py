"""The workspace shows each persona the way to its demands."""

from django.urls import reverse

from demands.enums import DemandStatus
from tests.demands.collection import *  # noqa: F403


def _dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("accounts:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_owner_sees_my_demands_with_a_link_to_post_one(client, demand_owner, make_demand):
    demand = make_demand(title="工业视觉检测芯片国产化")
    html = _dashboard(client, demand_owner)
    assert 'id="my-demands"' in html
    assert demand.ref in html and demand.get_private_url() in html
    assert reverse("demands:create") in html and reverse("demands:mine") in html
    assert 'id="assigned-demands"' not in html and 'id="managed-demands"' not in html


def test_expert_sees_only_assigned_demands(client, make_demand, assigned_expert):
    assigned = make_demand(status=DemandStatus.IN_ANALYSIS, title="已分配的需求")
    make_demand(status=DemandStatus.IN_ANALYSIS, title="未分配的需求")
    expert = assigned_expert(assigned)
    html = _dashboard(client, expert)
    assert 'id="assigned-demands"' in html
    assert "已分配的需求" in html and "未分配的需求" not in html
    assert 'id="my-demands"' not in html


def test_host_organiser_sees_counts_and_the_organiser_list(client, host_organiser,
                                                           make_demand):
    make_demand(status=DemandStatus.SUBMITTED)
    make_demand(status=DemandStatus.SUBMITTED)
    html = _dashboard(client, host_organiser)
    assert 'id="managed-demands"' in html
    assert reverse("demands:manage") + "?status=submitted" in html
    assert '<span class="badge">2</span>' in html
    assert reverse("demands:host_create") in html


def test_stranger_sees_no_demand_section(client, stranger):
    html = _dashboard(client, stranger)
    for section in ("my-demands", "assigned-demands", "managed-demands"):
        assert f'id="{section}"' not in html
