"""Experts see only the demands assigned to them, write their analysis, propose wordings."""

from django.urls import reverse

from demands.enums import AnalysisVerdict, DemandStatus
from demands.models import Analysis, WordingProposal
from tests.demands.collection import *  # noqa: F403
from tests.factories.accounts import UserFactory, sign_current_agreements
from tests.factories.demands import DemandFactory, ExpertAssignmentFactory


def test_assigned_list_shows_only_assigned_demands(client, make_demand, assigned_expert):
    assigned = make_demand(status=DemandStatus.IN_ANALYSIS, title="工业视觉检测芯片")
    other = make_demand(status=DemandStatus.IN_ANALYSIS, title="高强铝合金焊接工艺")
    expert = assigned_expert(assigned)
    ExpertAssignmentFactory(demand=other, expert=UserFactory(roles=["expert"]))
    client.force_login(expert)

    response = client.get(reverse("demands:assigned"))

    assert [d.pk for d in response.context["demands"]] == [assigned.pk]
    html = response.content.decode()
    assert assigned.title in html and other.title not in html


def test_assigned_list_is_404_for_non_experts(client, demand_owner):
    client.force_login(demand_owner)
    assert client.get(reverse("demands:assigned")).status_code == 404


def test_expert_gets_404_on_a_demand_not_assigned(client, make_demand, signed_expert):
    demand = make_demand(status=DemandStatus.IN_ANALYSIS)
    client.force_login(signed_expert)
    for name in ("manage_detail", "analysis", "propose_wording", "preview"):
        url = reverse(f"demands:{name}", kwargs={"ref": demand.ref})
        assert client.get(url).status_code == 404, name


def test_expert_writes_and_rewrites_the_analysis(client, make_demand, assigned_expert):
    demand = make_demand(status=DemandStatus.IN_ANALYSIS)
    expert = assigned_expert(demand)
    client.force_login(expert)
    url = reverse("demands:analysis", kwargs={"ref": demand.ref})

    client.post(url, {"analysis": "指标量化充分", "recommendations": "建议补充快充倍率",
                      "verdict": AnalysisVerdict.REVISE})
    response = client.get(url)
    assert response.context["form"].initial["analysis"] == "指标量化充分"
    client.post(url, {"analysis": "指标量化充分，边界清晰", "recommendations": "可发布",
                      "verdict": AnalysisVerdict.PUBLISH})

    record = Analysis.objects.get()
    assert (record.expert, record.analysis, record.verdict) == (
        expert, "指标量化充分，边界清晰", AnalysisVerdict.PUBLISH)


def test_analysis_form_keeps_input_on_error(client, make_demand, assigned_expert):
    demand = make_demand(status=DemandStatus.IN_ANALYSIS)
    client.force_login(assigned_expert(demand))
    response = client.post(reverse("demands:analysis", kwargs={"ref": demand.ref}),
                           {"analysis": "只写了分析", "verdict": ""})
    assert response.status_code == 200
    assert "只写了分析" in response.content.decode()
    assert not Analysis.objects.exists()


def test_analysis_needs_the_current_nda(client, make_demand, host_unit):
    demand = make_demand(status=DemandStatus.IN_ANALYSIS)
    expert = UserFactory(roles=["expert"])
    ExpertAssignmentFactory(demand=demand, expert=expert)  # assigned before a new NDA version
    client.force_login(expert)

    response = client.get(reverse("demands:analysis", kwargs={"ref": demand.ref}))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:agreements_sign"))


def test_analysis_after_the_review_is_refused_with_a_message(client, make_demand,
                                                             assigned_expert):
    demand = make_demand(status=DemandStatus.APPROVED)
    client.force_login(assigned_expert(demand))
    response = client.post(reverse("demands:analysis", kwargs={"ref": demand.ref}),
                           {"analysis": "a", "recommendations": "b", "verdict": "publish"},
                           follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Analysis.objects.exists()


def test_expert_proposes_a_wording(client, make_demand, assigned_expert):
    demand = make_demand(status=DemandStatus.IN_ANALYSIS)
    client.force_login(assigned_expert(demand))
    client.post(reverse("demands:propose_wording", kwargs={"ref": demand.ref}),
                {"key_problem": "快充工况下电芯温差控制在3℃以内"})
    assert WordingProposal.objects.get().texts == {"key_problem": "快充工况下电芯温差控制在3℃以内"}


def test_expert_sees_only_its_own_analysis_and_host_sees_all(client, make_demand,
                                                             assigned_expert, host_organiser):
    from tests.factories.demands import AnalysisFactory

    demand = make_demand(status=DemandStatus.IN_ANALYSIS)
    expert = assigned_expert(demand)
    colleague = UserFactory(roles=["expert"])
    sign_current_agreements(colleague, demand.host_unit.event.contest)
    ExpertAssignmentFactory(demand=demand, expert=colleague)
    AnalysisFactory(demand=demand, expert=expert, analysis="我的分析意见")
    AnalysisFactory(demand=demand, expert=colleague, analysis="同行的分析意见")

    client.force_login(expert)
    html = client.get(demand.get_private_url()).content.decode()
    assert "我的分析意见" in html and "同行的分析意见" not in html

    client.force_login(host_organiser)
    html = client.get(demand.get_private_url()).content.decode()
    assert "我的分析意见" in html and "同行的分析意见" in html


def test_owner_does_not_see_the_expert_analysis(client, make_demand, demand_owner):
    from tests.factories.demands import AnalysisFactory

    demand = make_demand(status=DemandStatus.IN_ANALYSIS)
    AnalysisFactory(demand=demand, analysis="专家内部意见")
    client.force_login(demand_owner)
    assert "专家内部意见" not in client.get(demand.get_private_url()).content.decode()


def test_expert_sees_other_units_demand_when_assigned(client, other_host_unit, signed_expert):
    demand = DemandFactory(host_unit=other_host_unit, status=DemandStatus.IN_ANALYSIS)
    ExpertAssignmentFactory(demand=demand, expert=signed_expert)
    client.force_login(signed_expert)
    assert client.get(demand.get_private_url()).status_code == 200
