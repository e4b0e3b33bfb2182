import datetime

import pytest
from django.core.exceptions import PermissionDenied

from audit.models import ActivityLog
from contests import services
from contests.enums import WorkPlanState
from contests.exceptions import ContestsError, IllegalTransition
from contests.models import WorkPlan, WorkPlanStage
from contests.permissions import can_edit_work_plan, can_review_work_plan, can_submit_work_plan
from tests.factories.contests import WorkPlanFactory

pytestmark = pytest.mark.django_db

ALL_STATES = list(WorkPlanState)


@pytest.fixture
def complete_plan(host_unit):
    return WorkPlanFactory(host_unit=host_unit, with_stages=True)


def history(plan):
    return list(plan.transitions.values_list("from_state", "to_state", "actor_id", "reason"))


def test_submit_moves_a_complete_draft_to_submitted_and_records_it(complete_plan,
                                                                    host_organiser):
    services.submit_work_plan(complete_plan, actor=host_organiser)

    stored = WorkPlan.objects.get(pk=complete_plan.pk)
    assert stored.state == WorkPlanState.SUBMITTED
    assert stored.submitted_at is not None
    assert history(stored) == [("draft", "submitted", host_organiser.pk, "")]
    entry = ActivityLog.objects.get(action="portal.work_plan.submit")
    assert (entry.actor_id, entry.object_id, entry.from_state, entry.to_state) == (
        host_organiser.pk, str(stored.pk), "draft", "submitted")


def test_submit_an_incomplete_plan_is_refused_naming_what_is_missing(host_unit,
                                                                     host_organiser):
    plan = WorkPlanFactory(host_unit=host_unit, goals="", target_demands=None)

    with pytest.raises(ContestsError) as error:
        services.submit_work_plan(plan, actor=host_organiser)

    message = str(error.value)
    assert "goals" in message and "target number of demands" in message
    assert "Demand collection" in message and "Live round" not in message
    assert WorkPlan.objects.get(pk=plan.pk).state == WorkPlanState.DRAFT
    assert history(plan) == []


def test_submit_by_another_host_units_staff_is_denied(complete_plan, other_host_organiser):
    with pytest.raises(PermissionDenied):
        services.submit_work_plan(complete_plan, actor=other_host_organiser)
    assert WorkPlan.objects.get(pk=complete_plan.pk).state == WorkPlanState.DRAFT


def test_full_cycle_submit_return_resubmit_approve(complete_plan, host_organiser, torch_staff):
    services.submit_work_plan(complete_plan, actor=host_organiser)
    services.return_work_plan(complete_plan, actor=torch_staff, comment="请补充宣传方案")
    returned = WorkPlan.objects.get(pk=complete_plan.pk)
    assert (returned.state, returned.review_comment, returned.decided_by) == (
        WorkPlanState.RETURNED, "请补充宣传方案", torch_staff)

    services.submit_work_plan(returned, actor=host_organiser)
    assert WorkPlan.objects.get(pk=complete_plan.pk).state == WorkPlanState.RESUBMITTED

    services.approve_work_plan(returned, actor=torch_staff)
    assert WorkPlan.objects.get(pk=complete_plan.pk).state == WorkPlanState.APPROVED
    assert history(complete_plan) == [
        ("draft", "submitted", host_organiser.pk, ""),
        ("submitted", "returned", torch_staff.pk, "请补充宣传方案"),
        ("returned", "resubmitted", host_organiser.pk, ""),
        ("resubmitted", "approved", torch_staff.pk, ""),
    ]


def test_return_without_a_comment_is_refused(complete_plan, host_organiser, torch_staff):
    services.submit_work_plan(complete_plan, actor=host_organiser)

    with pytest.raises(ContestsError, match="change"):
        services.return_work_plan(complete_plan, actor=torch_staff, comment="   ")
    assert WorkPlan.objects.get(pk=complete_plan.pk).state == WorkPlanState.SUBMITTED


@pytest.mark.parametrize("state", [WorkPlanState.DRAFT, WorkPlanState.RETURNED,
                                   WorkPlanState.APPROVED])
def test_approve_outside_review_is_an_illegal_transition(host_unit, torch_staff, state):
    plan = WorkPlanFactory(host_unit=host_unit, state=state, with_stages=True)

    with pytest.raises(IllegalTransition) as error:
        services.approve_work_plan(plan, actor=torch_staff)

    assert "cannot be approved" in str(error.value)
    assert str(WorkPlanState(state).label) in str(error.value)
    assert WorkPlan.objects.get(pk=plan.pk).state == state
    assert history(plan) == []


@pytest.mark.parametrize("state", [WorkPlanState.SUBMITTED, WorkPlanState.RESUBMITTED,
                                   WorkPlanState.APPROVED])
def test_submit_outside_draft_or_returned_is_an_illegal_transition(host_unit, host_organiser,
                                                                   state):
    plan = WorkPlanFactory(host_unit=host_unit, state=state, with_stages=True)

    with pytest.raises(IllegalTransition, match="cannot be submitted"):
        services.submit_work_plan(plan, actor=host_organiser)
    assert WorkPlan.objects.get(pk=plan.pk).state == state


def test_return_an_approved_plan_is_an_illegal_transition(host_unit, torch_staff):
    plan = WorkPlanFactory(host_unit=host_unit, state=WorkPlanState.APPROVED)

    with pytest.raises(IllegalTransition, match="cannot be returned"):
        services.return_work_plan(plan, actor=torch_staff, comment="再改改")
    assert WorkPlan.objects.get(pk=plan.pk).state == WorkPlanState.APPROVED


def test_only_torch_staff_approve_or_return(complete_plan, host_organiser):
    services.submit_work_plan(complete_plan, actor=host_organiser)

    with pytest.raises(PermissionDenied):
        services.approve_work_plan(complete_plan, actor=host_organiser)
    with pytest.raises(PermissionDenied):
        services.return_work_plan(complete_plan, actor=host_organiser, comment="自己退回")
    assert WorkPlan.objects.get(pk=complete_plan.pk).state == WorkPlanState.SUBMITTED


def test_save_replaces_stage_rows(host_unit, host_organiser):
    plan = services.start_work_plan(host_unit, actor=host_organiser)
    services.save_work_plan(plan, actor=host_organiser, stages=[
        {"stage": "demand_collection", "starts_on": datetime.date(2021, 6, 1),
         "ends_on": datetime.date(2021, 7, 1)},
        {"stage": "docking", "starts_on": datetime.date(2021, 9, 1),
         "ends_on": datetime.date(2021, 9, 30)},
    ])
    first = WorkPlanStage.objects.get(work_plan=plan, stage="demand_collection")

    services.save_work_plan(plan, actor=host_organiser, stages=[
        {"stage": "demand_collection", "starts_on": datetime.date(2021, 6, 1),
         "ends_on": datetime.date(2021, 7, 15), "note": "延长"},
    ])

    rows = list(plan.stages.values_list("pk", "stage", "ends_on", "note"))
    assert rows == [(first.pk, "demand_collection", datetime.date(2021, 7, 15), "延长")]


@pytest.mark.parametrize("state", [WorkPlanState.SUBMITTED, WorkPlanState.RESUBMITTED,
                                   WorkPlanState.APPROVED])
def test_host_staff_cannot_change_a_plan_out_of_their_hands(host_unit, host_organiser, state):
    plan = WorkPlanFactory(host_unit=host_unit, state=state, goals="原目标")
    plan.goals = "偷偷修改"

    with pytest.raises(ContestsError, match="cannot be changed"):
        services.save_work_plan(plan, actor=host_organiser)
    assert WorkPlan.objects.get(pk=plan.pk).goals == "原目标"


def test_save_never_changes_the_state(host_unit, host_organiser):
    plan = WorkPlanFactory(host_unit=host_unit)
    plan.state = WorkPlanState.APPROVED

    services.save_work_plan(plan, actor=host_organiser)

    assert WorkPlan.objects.get(pk=plan.pk).state == WorkPlanState.DRAFT


def test_other_host_cannot_start_or_save_a_units_plan(host_unit, other_host_organiser):
    with pytest.raises(PermissionDenied):
        services.start_work_plan(host_unit, actor=other_host_organiser)
    plan = WorkPlanFactory(host_unit=host_unit, goals="原目标")
    plan.goals = "别人改的"
    with pytest.raises(PermissionDenied):
        services.save_work_plan(plan, actor=other_host_organiser)
    assert WorkPlan.objects.get(pk=plan.pk).goals == "原目标"


# --- predicates over every state ---------------------------------------------------------------
@pytest.mark.parametrize("state", ALL_STATES)
def test_work_plan_predicates_in_every_state(host_unit, host_organiser, other_host_organiser,
                                             torch_staff, stranger, state):
    plan = WorkPlanFactory(host_unit=host_unit, state=state)
    editable = state in (WorkPlanState.DRAFT, WorkPlanState.RETURNED)
    in_review = state in (WorkPlanState.SUBMITTED, WorkPlanState.RESUBMITTED)

    assert can_edit_work_plan(host_organiser, plan) is editable
    assert can_submit_work_plan(host_organiser, plan) is editable
    assert can_review_work_plan(host_organiser, plan) is False
    for outsider in (other_host_organiser, stranger):
        assert can_edit_work_plan(outsider, plan) is False
        assert can_review_work_plan(outsider, plan) is False
    assert can_edit_work_plan(torch_staff, plan) is False
    assert can_review_work_plan(torch_staff, plan) is in_review
