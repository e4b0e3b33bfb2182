"""Demands in admin: host organisers see their units' rows only; actions go through the
workflow service."""

from django.urls import reverse

from demands.enums import DemandStatus
from demands.models import Demand, DemandTransition
from tests.demands.collection import *  # noqa: F403
from tests.factories.demands import AnalysisFactory, DemandFactory, WordingProposalFactory


def _staff(user):
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def test_host_organiser_sees_only_its_units_demands(client, host_organiser, make_demand,
                                                    other_host_unit):
    mine = make_demand(status=DemandStatus.SUBMITTED, title="本单位的需求")
    theirs = DemandFactory(host_unit=other_host_unit, status=DemandStatus.SUBMITTED,
                           title="外单位的需求")
    client.force_login(_staff(host_organiser))

    response = client.get(reverse("admin:demands_demand_changelist"))

    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [mine]
    assert theirs.title not in response.content.decode()
    url = reverse("admin:demands_demand_change", args=[theirs.pk])
    assert client.get(url).status_code in (302, 404)


def test_related_admins_are_scoped_too(client, host_organiser, make_demand, other_host_unit):
    mine = make_demand(status=DemandStatus.IN_ANALYSIS)
    theirs = DemandFactory(host_unit=other_host_unit, status=DemandStatus.IN_ANALYSIS)
    AnalysisFactory(demand=mine), AnalysisFactory(demand=theirs)
    WordingProposalFactory(demand=mine), WordingProposalFactory(demand=theirs)
    client.force_login(_staff(host_organiser))

    for name in ("analysis", "wordingproposal"):
        response = client.get(reverse(f"admin:demands_{name}_changelist"))
        assert [row.demand for row in response.context["cl"].queryset] == [mine], name


def test_admin_publish_action_goes_through_the_workflow(client, host_organiser, make_demand):
    ready = make_demand(status=DemandStatus.APPROVED)
    pending = make_demand(status=DemandStatus.APPROVED)
    WordingProposalFactory(demand=pending)
    client.force_login(_staff(host_organiser))

    response = client.post(reverse("admin:demands_demand_changelist"), {
        "action": "publish", "_selected_action": [ready.pk, pending.pk]}, follow=True)

    assert response.status_code == 200
    statuses = dict(Demand.objects.values_list("pk", "status"))
    assert statuses == {ready.pk: DemandStatus.PUBLISHED, pending.pk: DemandStatus.APPROVED}
    step = DemandTransition.objects.get()
    assert (step.demand, step.actor) == (ready, host_organiser)
    assert sorted(m.level_tag for m in response.context["messages"]) == ["error", "success"]


def test_admin_never_changes_a_demand_directly(client, host_organiser, make_demand):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(_staff(host_organiser))
    url = reverse("admin:demands_demand_change", args=[demand.pk])
    client.post(url, {"title": "改过的标题", "status": "published"})
    demand.refresh_from_db()
    assert (demand.title, demand.status) != ("改过的标题", "published")
    assert demand.status == DemandStatus.SUBMITTED
    assert client.get(reverse("admin:demands_demand_add")).status_code == 403
