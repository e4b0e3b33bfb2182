"""The organisers' pages: their units' list, entering on behalf, experts, review, publish."""

import pytest
from django.urls import reverse

from demands.enums import DemandStatus
from demands.models import Demand, DemandTransition, ExpertAssignment, WordingProposal
from tests.demands.collection import *  # noqa: F403
from tests.factories.accounts import OrganisationFactory, UserFactory, sign_current_agreements
from tests.factories.demands import DemandFactory, WordingProposalFactory


def _status(client, demand, to_status, comment=""):
    return client.post(reverse("demands:change_status", kwargs={"ref": demand.ref}),
                       {"to_status": to_status, "comment": comment}, follow=True)


def test_manage_list_shows_only_the_units_demands_and_not_company_drafts(
        client, host_organiser, make_demand, other_host_unit):
    mine = make_demand(status=DemandStatus.SUBMITTED, title="本单位需求")
    draft = make_demand(status=DemandStatus.DRAFT, title="企业草稿")
    theirs = DemandFactory(host_unit=other_host_unit, status=DemandStatus.SUBMITTED,
                           title="外单位需求")
    client.force_login(host_organiser)

    response = client.get(reverse("demands:manage"))

    assert [d.pk for d in response.context["demands"]] == [mine.pk]
    html = response.content.decode()
    assert mine.ref in html and draft.title not in html and theirs.title not in html


def test_manage_list_filters_by_status(client, host_organiser, make_demand):
    submitted = make_demand(status=DemandStatus.SUBMITTED)
    make_demand(status=DemandStatus.PUBLISHED)
    client.force_login(host_organiser)
    response = client.get(reverse("demands:manage"), {"status": "submitted"})
    assert [d.pk for d in response.context["demands"]] == [submitted.pk]


def test_manage_list_with_a_bad_filter_is_not_an_error(client, host_organiser, make_demand):
    make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(host_organiser)
    response = client.get(reverse("demands:manage"), {"status": "bogus", "host_unit": "x",
                                                       "page": "999"})
    assert response.status_code == 200
    assert response.context["filter_form"].errors


@pytest.mark.parametrize("persona", ["demand_owner", "expert", "stranger", "challenger"])
def test_manage_list_is_404_for_others(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("demands:manage")).status_code == 404


def test_torch_staff_see_every_units_demands(client, torch_staff, make_demand,
                                             other_host_unit):
    mine = make_demand(status=DemandStatus.SUBMITTED)
    theirs = DemandFactory(host_unit=other_host_unit, status=DemandStatus.PUBLISHED)
    client.force_login(torch_staff)
    response = client.get(reverse("demands:manage"))
    assert {d.pk for d in response.context["demands"]} == {mine.pk, theirs.pk}


def test_host_staff_enter_a_demand_for_a_company(client, host_organiser, host_unit):
    company = OrganisationFactory(name="咸阳示例陶瓷有限公司")
    client.force_login(host_organiser)

    response = client.post(reverse("demands:host_create"), {
        "action": "draft", "organisation": company.pk, "host_unit": host_unit.pk,
        "title": "陶瓷基板激光切割工艺", "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "0"})

    demand = Demand.objects.get()
    assert response.status_code == 302
    assert (demand.organisation, demand.entered_by_host, demand.created_by) == (
        company, True, host_organiser)
    # It is the unit's from the start: listed and editable by its staff.
    assert client.get(reverse("demands:manage")).context["demands"][0] == demand
    assert client.get(reverse("demands:edit", kwargs={"ref": demand.ref})).status_code == 200


def test_host_create_offers_only_the_staffs_own_units(client, host_organiser, host_unit,
                                                      other_host_unit):
    client.force_login(host_organiser)
    response = client.get(reverse("demands:host_create"))
    assert list(response.context["form"].fields["host_unit"].queryset) == [host_unit]
    response = client.post(reverse("demands:host_create"), {
        "action": "draft", "organisation": OrganisationFactory().pk,
        "host_unit": other_host_unit.pk, "title": "x", "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert not Demand.objects.exists()


def test_host_create_is_404_for_non_staff(client, demand_owner):
    client.force_login(demand_owner)
    assert client.get(reverse("demands:host_create")).status_code == 404


def test_assigning_an_expert_without_the_nda_is_refused(client, host_organiser, make_demand,
                                                        expert):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(host_organiser)

    response = client.post(reverse("demands:assign_experts", kwargs={"ref": demand.ref}),
                           {"experts": [expert.pk]})

    assert response.status_code == 200
    assert response.context["form"].errors["experts"]
    assert not ExpertAssignment.objects.exists()
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED


def test_assigning_experts_all_or_nothing(client, host_organiser, make_demand, signed_expert,
                                          expert):
    other = UserFactory(roles=["expert"])  # has not signed
    demand = make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(host_organiser)
    client.post(reverse("demands:assign_experts", kwargs={"ref": demand.ref}),
                {"experts": [signed_expert.pk, other.pk]})
    assert not ExpertAssignment.objects.exists()


def test_assigning_a_signed_expert_starts_the_analysis(client, host_organiser, make_demand,
                                                       signed_expert):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(host_organiser)

    response = client.post(reverse("demands:assign_experts", kwargs={"ref": demand.ref}),
                           {"experts": [signed_expert.pk]})

    assert response.status_code == 302
    assert ExpertAssignment.objects.get().expert == signed_expert
    demand.refresh_from_db()
    assert demand.status == DemandStatus.IN_ANALYSIS
    step = DemandTransition.objects.get(demand=demand)
    assert (step.from_state, step.to_state, step.actor) == (
        DemandStatus.SUBMITTED, DemandStatus.IN_ANALYSIS, host_organiser)


def test_assignment_form_marks_experts_without_the_nda(client, host_organiser, make_demand,
                                                       signed_expert):
    unsigned = UserFactory(roles=["expert"])
    demand = make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(host_organiser)
    response = client.get(reverse("demands:assign_experts", kwargs={"ref": demand.ref}))
    field = response.context["form"].fields["experts"]
    assert field.signed_ids == {signed_expert.pk}
    assert set(field.queryset) == {signed_expert, unsigned}


@pytest.mark.parametrize(("target", "comment"), [
    (DemandStatus.APPROVED, ""), (DemandStatus.RETURNED, "请补充指标现状值"),
    (DemandStatus.REJECTED, "不属于本赛事领域"),
])
def test_host_reviews_a_demand_in_analysis(client, host_organiser, make_demand, target,
                                           comment):
    demand = make_demand(status=DemandStatus.IN_ANALYSIS)
    client.force_login(host_organiser)

    response = _status(client, demand, target, comment)

    assert Demand.objects.get(pk=demand.pk).status == target
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    step = DemandTransition.objects.get(demand=demand)
    assert (step.to_state, step.reason) == (target, comment)


def test_return_without_a_comment_shows_an_error(client, host_organiser, make_demand):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(host_organiser)
    response = _status(client, demand, DemandStatus.RETURNED)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED


def test_publish_refused_while_a_proposal_is_pending_shows_an_error(client, host_organiser,
                                                                    make_demand):
    demand = make_demand(status=DemandStatus.APPROVED)
    WordingProposalFactory(demand=demand, proposed_by=host_organiser)
    client.force_login(host_organiser)

    response = _status(client, demand, DemandStatus.PUBLISHED)

    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.APPROVED


def test_host_publishes_and_closes(client, host_organiser, make_demand):
    demand = make_demand(status=DemandStatus.APPROVED)
    client.force_login(host_organiser)
    _status(client, demand, DemandStatus.PUBLISHED)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.PUBLISHED
    _status(client, demand, DemandStatus.CLOSED)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.CLOSED


def test_host_proposes_a_wording(client, host_organiser, make_demand, demand_owner):
    demand = make_demand(status=DemandStatus.APPROVED)
    client.force_login(host_organiser)

    response = client.post(reverse("demands:propose_wording", kwargs={"ref": demand.ref}), {
        "title": "动力电池快充热管理技术攻关", "current_base": demand.current_base,
        "key_problem": demand.key_problem, "expected_outcome": demand.expected_outcome,
        "challenger_conditions": demand.challenger_conditions, "note": "标题更便于检索"})

    assert response.status_code == 302
    proposal = WordingProposal.objects.get()
    assert proposal.texts == {"title": "动力电池快充热管理技术攻关"}
    assert proposal.note == "标题更便于检索"
    from notifications.models import Notification
    assert Notification.objects.filter(kind="demand.wording_proposed",
                                       recipient=demand_owner).count() == 1


def test_proposal_without_a_change_keeps_the_form(client, host_organiser, make_demand):
    demand = make_demand(status=DemandStatus.APPROVED)
    client.force_login(host_organiser)
    response = client.post(reverse("demands:propose_wording", kwargs={"ref": demand.ref}),
                           {"title": demand.title, "note": "无"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not WordingProposal.objects.exists()


@pytest.mark.parametrize("name", ["manage_detail", "preview", "assign_experts",
                                  "propose_wording", "edit"])
def test_other_host_unit_gets_404(client, other_host_organiser, make_demand, name):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(other_host_organiser)
    assert client.get(reverse(f"demands:{name}", kwargs={"ref": demand.ref})).status_code == 404


def test_other_host_unit_cannot_change_the_status(client, other_host_organiser, make_demand):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(other_host_organiser)
    response = client.post(reverse("demands:change_status", kwargs={"ref": demand.ref}),
                           {"to_status": "approved"})
    assert response.status_code == 404
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED
    assert not DemandTransition.objects.exists()


def test_company_draft_is_404_for_host_staff(client, host_organiser, make_demand):
    demand = make_demand(status=DemandStatus.DRAFT)
    client.force_login(host_organiser)
    response = client.get(reverse("demands:manage_detail", kwargs={"ref": demand.ref}))
    assert response.status_code == 404


def test_detail_shows_hidden_values_to_host_staff(client, host_organiser, make_demand,
                                                  host_unit):
    demand = make_demand(status=DemandStatus.SUBMITTED, hidden_fields=["organisation", "phone"],
                         key_problem="为比亚迪配套", hidden_passages=["比亚迪"])
    sign_current_agreements(host_organiser, host_unit.event.contest)
    client.force_login(host_organiser)
    html = client.get(demand.get_private_url()).content.decode()
    assert demand.organisation.name in html
    assert "13800138000" in html
    assert "为比亚迪配套" in html
