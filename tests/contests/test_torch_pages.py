import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contests.enums import WorkPlanState
from contests.models import WorkPlan
from tests.contests.conftest import sign_in
from tests.factories.contests import HostUnitFactory, WorkPlanFactory

pytestmark = pytest.mark.django_db


def detail_url(plan):
    return reverse("contests:torch_work_plan", kwargs={"pk": plan.pk})


def test_torch_list_shows_plans_waiting_for_a_decision(client, torch_staff):
    waiting = WorkPlanFactory(state=WorkPlanState.SUBMITTED)
    again = WorkPlanFactory(state=WorkPlanState.RESUBMITTED)
    draft = WorkPlanFactory(state=WorkPlanState.DRAFT)

    text = sign_in(client, torch_staff).get(reverse("contests:torch_work_plans")).content.decode()

    assert waiting.host_unit.name in text and again.host_unit.name in text
    assert draft.host_unit.name not in text


def test_torch_list_filters_by_state(client, torch_staff):
    approved = WorkPlanFactory(state=WorkPlanState.APPROVED)
    waiting = WorkPlanFactory(state=WorkPlanState.SUBMITTED)

    text = sign_in(client, torch_staff).get(reverse("contests:torch_work_plans"),
                                            {"state": "approved"}).content.decode()

    assert approved.host_unit.name in text and waiting.host_unit.name not in text


def test_torch_list_ignores_an_unknown_state(client, torch_staff):
    response = sign_in(client, torch_staff).get(reverse("contests:torch_work_plans"),
                                                {"state": "<script>"})
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["host_organiser", "stranger", "expert"])
def test_torch_pages_are_404_for_everyone_else(client, persona, request):
    plan = WorkPlanFactory(state=WorkPlanState.SUBMITTED)
    client = sign_in(client, request.getfixturevalue(persona))

    assert client.get(reverse("contests:torch_work_plans")).status_code == 404
    assert client.get(detail_url(plan)).status_code == 404
    assert client.post(detail_url(plan), {"action": "approve"}).status_code == 404
    assert WorkPlan.objects.get(pk=plan.pk).state == WorkPlanState.SUBMITTED


def test_torch_approves_a_submitted_plan(client, torch_staff):
    plan = WorkPlanFactory(state=WorkPlanState.SUBMITTED)

    response = sign_in(client, torch_staff).post(
        detail_url(plan), {"action": "approve", "approve-comment": "同意"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.state, plan.decided_by, plan.review_comment) == (
        WorkPlanState.APPROVED, torch_staff, "同意")
    assert list(plan.transitions.values_list("from_state", "to_state", "actor")) == [
        ("submitted", "approved", torch_staff.pk)]


def test_torch_returns_a_plan_with_comments(client, torch_staff):
    plan = WorkPlanFactory(state=WorkPlanState.RESUBMITTED)

    sign_in(client, torch_staff).post(detail_url(plan),
                                      {"action": "return", "return-comment": "目标数量偏低"})

    plan.refresh_from_db()
    assert (plan.state, plan.review_comment) == (WorkPlanState.RETURNED, "目标数量偏低")


def test_torch_return_without_comment_is_refused_next_to_the_field(client, torch_staff):
    plan = WorkPlanFactory(state=WorkPlanState.SUBMITTED)

    response = sign_in(client, torch_staff).post(detail_url(plan),
                                                 {"action": "return", "return-comment": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert WorkPlan.objects.get(pk=plan.pk).state == WorkPlanState.SUBMITTED


def test_torch_approving_an_approved_plan_says_why_not(client, torch_staff):
    plan = WorkPlanFactory(state=WorkPlanState.APPROVED)

    response = sign_in(client, torch_staff).post(detail_url(plan), {"action": "approve"})

    assert response.status_code == 200
    assert "cannot be approved" in response.content.decode()
    assert plan.transitions.count() == 0


def test_torch_detail_of_unknown_plan_is_404(client, torch_staff):
    response = sign_in(client, torch_staff).get(reverse("contests:torch_work_plan",
                                                        kwargs={"pk": 999999}))
    assert response.status_code == 404


def test_torch_list_query_count_does_not_grow_with_rows(client, torch_staff):
    client = sign_in(client, torch_staff)
    WorkPlanFactory(state=WorkPlanState.SUBMITTED)
    client.get(reverse("contests:torch_work_plans"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("contests:torch_work_plans"))
    for _ in range(2):
        WorkPlanFactory(host_unit=HostUnitFactory(), state=WorkPlanState.SUBMITTED)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("contests:torch_work_plans"))

    assert len(three) == len(one)
