"""The company's pages: create and edit with drafts, preview, submit, withdraw, proposals."""

import pytest
from django.urls import reverse

from demands.enums import DemandStatus, ProposalState
from demands.models import Demand
from tests.demands.collection import *  # noqa: F403
from tests.factories.accounts import sign_current_agreements
from tests.factories.demands import WordingProposalFactory


def _formset(rows=()):
    data = {"indicators-TOTAL_FORMS": str(max(len(rows), 1)), "indicators-INITIAL_FORMS": "0",
            "indicators-MIN_NUM_FORMS": "0", "indicators-MAX_NUM_FORMS": "1000"}
    for index, (name, target) in enumerate(rows):
        data[f"indicators-{index}-name"] = name
        data[f"indicators-{index}-target_value"] = target
    return data


def _complete(owner_org, host_unit, industry):
    return {
        "organisation": owner_org.pk, "host_unit": host_unit.pk,
        "title": "工业视觉检测芯片", "industry_field": industry.pk, "demand_type": "product",
        "keywords": "机器视觉，芯片、缺陷检测", "key_problem": "需要在产线上实时检测0.05mm划痕。",
        "expected_outcome": "完成检测芯片样片。", "outcome_forms": ["prototype"],
        "cooperation_modes": ["joint", "commissioned"], "ip_ownership": "shared",
        "region": "610100", "contact_person": "李工", "contact_mobile": "+86 13912345678",
        "contact_email": "li@example.cn", "hidden_fields": ["organisation"],
        **_formset([("检出率", "≥99.5%")]),
    }


def test_create_page_is_refused_without_an_organisation(client, stranger):
    client.force_login(stranger)
    response = client.get(reverse("demands:create"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:dashboard")


def test_save_draft_with_incomplete_data(client, demand_owner, owner_org, host_unit):
    client.force_login(demand_owner)

    response = client.post(reverse("demands:create"), {
        "action": "draft", "organisation": owner_org.pk, "host_unit": host_unit.pk,
        "title": "高强铝合金焊接工艺", "key_problem": "焊缝气孔", **_formset(),
    })

    demand = Demand.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("demands:edit", kwargs={"ref": demand.ref})
    assert (demand.status, demand.title, demand.key_problem) == (
        DemandStatus.DRAFT, "高强铝合金焊接工艺", "焊缝气孔")


def test_check_and_preview_keeps_everything_typed_on_error(client, demand_owner, owner_org,
                                                           host_unit):
    client.force_login(demand_owner)

    response = client.post(reverse("demands:create"), {
        "action": "preview", "organisation": owner_org.pk, "host_unit": host_unit.pk,
        "title": "高强铝合金焊接工艺", "key_problem": "7系铝合金焊缝强度系数低于0.7",
        "contact_mobile": "1381234", "keywords": "焊接、铝合金", "hidden_passages": "不存在的段落",
        **_formset([("焊缝强度系数", "≥0.85")]),
    })

    assert response.status_code == 200
    assert not Demand.objects.exists()
    html = response.content.decode()
    for typed in ("高强铝合金焊接工艺", "7系铝合金焊缝强度系数低于0.7", "1381234", "焊接、铝合金",
                  "焊缝强度系数", "≥0.85", "不存在的段落"):
        assert typed in html
    form = response.context["form"]
    assert {"contact_mobile", "hidden_passages", "industry_field"} <= set(form.errors)


def test_check_and_preview_saves_and_shows_the_public_projection(client, demand_owner,
                                                                 owner_org, host_unit):
    client.force_login(demand_owner)
    industry = host_unit.fields.first()

    response = client.post(reverse("demands:create"), {
        "action": "preview", **_complete(owner_org, host_unit, industry)}, follow=True)

    demand = Demand.objects.get()
    assert response.redirect_chain[-1][0] == reverse("demands:preview",
                                                     kwargs={"ref": demand.ref})
    assert demand.contact_mobile == "13912345678"
    assert demand.keywords == ["机器视觉", "芯片", "缺陷检测"]
    html = response.content.decode()
    assert "需要在产线上实时检测0.05mm划痕。" in html
    assert owner_org.name not in html  # hidden from the public
    assert "13912345678" not in html
    assert response.context["may_submit"] and response.context["problems"] == []


def test_preview_masks_marked_passages(client, demand_owner, make_demand):
    demand = make_demand(key_problem="为比亚迪配套的电池包温差过大", hidden_passages=["比亚迪"])
    client.force_login(demand_owner)
    html = client.get(reverse("demands:preview", kwargs={"ref": demand.ref})).content.decode()
    assert "电池包温差过大" in html
    assert "比亚迪" not in html.split("preview-frame", 1)[1].split("</section>", 1)[0]


def test_edit_keeps_everything_typed_on_error(client, demand_owner, make_demand):
    demand = make_demand()
    client.force_login(demand_owner)
    url = reverse("demands:edit", kwargs={"ref": demand.ref})

    response = client.post(url, {"action": "draft", "host_unit": demand.host_unit_id,
                                 "title": "改过的标题", "contact_email": "not-an-email",
                                 **_formset([("新指标", "≥1")])})

    assert response.status_code == 200
    assert "改过的标题" in response.content.decode()
    assert "not-an-email" in response.content.decode()
    assert Demand.objects.get(pk=demand.pk).title == demand.title


def test_submit_asks_to_sign_the_agreements_first(client, demand_owner, make_demand):
    demand = make_demand()
    client.force_login(demand_owner)
    url = reverse("demands:change_status", kwargs={"ref": demand.ref})

    response = client.post(url, {"to_status": "submitted"})

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:agreements_sign"))
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.DRAFT


def test_submit_after_signing(client, demand_owner, make_demand, host_unit):
    demand = make_demand()
    sign_current_agreements(demand_owner, host_unit.event.contest)
    client.force_login(demand_owner)

    response = client.post(reverse("demands:change_status", kwargs={"ref": demand.ref}),
                           {"to_status": "submitted"}, follow=True)

    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert response.context["demand"].transitions.count() == 1


def test_submit_incomplete_shows_what_is_missing(client, demand_owner, make_demand, host_unit):
    demand = make_demand(key_problem="")
    sign_current_agreements(demand_owner, host_unit.event.contest)
    client.force_login(demand_owner)

    response = client.post(reverse("demands:change_status", kwargs={"ref": demand.ref}),
                           {"to_status": "submitted"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("demands:preview",
                                                     kwargs={"ref": demand.ref})
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert [field for field, _message in response.context["problems"]] == ["key_problem"]
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.DRAFT


def test_edit_of_a_submitted_demand_is_refused_with_a_message(client, demand_owner,
                                                              make_demand):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(demand_owner)

    response = client.get(reverse("demands:edit", kwargs={"ref": demand.ref}), follow=True)

    assert response.redirect_chain[-1][0] == demand.get_private_url()
    assert len(list(response.context["messages"])) == 1


def test_owner_withdraws_a_published_demand(client, demand_owner, make_demand):
    demand = make_demand(status=DemandStatus.PUBLISHED)
    client.force_login(demand_owner)
    client.post(reverse("demands:change_status", kwargs={"ref": demand.ref}),
                {"to_status": "withdrawn"})
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.WITHDRAWN


def test_owner_cannot_approve_its_own_demand(client, demand_owner, make_demand):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    client.force_login(demand_owner)
    response = client.post(reverse("demands:change_status", kwargs={"ref": demand.ref}),
                           {"to_status": "approved"}, follow=True)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_unknown_status_in_the_form_is_a_message_not_an_error(client, demand_owner,
                                                              make_demand):
    demand = make_demand()
    client.force_login(demand_owner)
    response = client.post(reverse("demands:change_status", kwargs={"ref": demand.ref}),
                           {"to_status": "<script>"})
    assert response.status_code == 302
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.DRAFT


def test_proposal_shows_an_escaped_inline_diff(client, demand_owner, make_demand,
                                               host_organiser):
    demand = make_demand(status=DemandStatus.APPROVED, title="电池<热>管理")
    proposal = WordingProposalFactory(demand=demand, proposed_by=host_organiser,
                                      texts={"title": "动力电池<热>管理技术"})
    client.force_login(demand_owner)

    response = client.get(reverse("demands:proposal",
                                  kwargs={"ref": demand.ref, "pk": proposal.pk}))

    html = response.content.decode()
    assert "<ins>动力</ins>电池&lt;热&gt;管理<ins>技术</ins>" in html
    assert response.context["may_decide"]


def test_owner_accepts_a_proposal(client, demand_owner, make_demand, host_organiser):
    demand = make_demand(status=DemandStatus.APPROVED)
    proposal = WordingProposalFactory(demand=demand, proposed_by=host_organiser,
                                      texts={"key_problem": "快充时电芯温差需控制在3℃以内"})
    client.force_login(demand_owner)

    client.post(reverse("demands:proposal", kwargs={"ref": demand.ref, "pk": proposal.pk}),
                {"decision": "accept"})

    demand.refresh_from_db()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    assert demand.public_wording == {"key_problem": "快充时电芯温差需控制在3℃以内"}


def test_owner_declines_a_proposal(client, demand_owner, make_demand, host_organiser):
    demand = make_demand(status=DemandStatus.APPROVED)
    proposal = WordingProposalFactory(demand=demand, proposed_by=host_organiser)
    client.force_login(demand_owner)

    client.post(reverse("demands:proposal", kwargs={"ref": demand.ref, "pk": proposal.pk}),
                {"decision": "decline"})

    demand.refresh_from_db()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DECLINED and proposal.decided_at is not None
    assert demand.public_wording == {}


@pytest.mark.parametrize("persona", ["host_organiser", "expert"])
def test_only_the_owner_decides_a_proposal(client, persona, request, make_demand,
                                           host_organiser, assigned_expert):
    demand = make_demand(status=DemandStatus.IN_ANALYSIS)
    assigned_expert(demand)
    proposal = WordingProposalFactory(demand=demand, proposed_by=host_organiser)
    client.force_login(request.getfixturevalue(persona))

    client.post(reverse("demands:proposal", kwargs={"ref": demand.ref, "pk": proposal.pk}),
                {"decision": "accept"})

    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PROPOSED
    assert Demand.objects.get(pk=demand.pk).public_wording == {}
