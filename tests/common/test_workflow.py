"""The workflow step itself (common.workflow), on a workflow built here over the work plan model
(not registered, so the contests app's own workflow stays the one ``transition`` finds)."""

import threading
import time

import pytest
from django.db import connection, transaction

from audit.models import ActivityLog
from common.errors import DomainError
from common.workflow import (
    DENIED,
    ILLEGAL,
    STALE,
    Edge,
    Workflow,
    successors,
    transition,
    workflow_of,
)
from contests.enums import WorkPlanState
from contests.models import WorkPlan, WorkPlanTransition
from tests.factories.contests import WorkPlanFactory

S = WorkPlanState


def is_torch(user, plan):
    return user.roles.filter(code="torch_staff").exists()


def is_host_staff(user, plan):
    return user.host_memberships.filter(host_unit_id=plan.host_unit_id).exists()


class StepError(DomainError):
    pass


def build(**options):
    calls = options.pop("calls", [])
    defaults = dict(
        model=WorkPlan, states=WorkPlanState, permissions=None,
        edges=(
            Edge(S.DRAFT, S.SUBMITTED, is_host_staff, action="submit"),
            Edge(S.SUBMITTED, S.APPROVED, is_torch, action="approve"),
            Edge(S.SUBMITTED, S.RETURNED, is_torch, action="return"),
            Edge(S.RETURNED, S.RESUBMITTED, is_host_staff, action="submit"),
            Edge(S.RESUBMITTED, S.APPROVED, None, system=True),
        ),
        history=WorkPlanTransition, audit="portal.test_plan", error=StepError,
        after=lambda step: calls.append(("after", step.source, step.target,
                                         step.record.pk if step.record else None)),
        on_commit=lambda step: calls.append(("commit", step.target)),
        register=False,
    )
    defaults.update(options)
    return Workflow(**defaults)


@pytest.fixture
def plan(host_unit):
    return WorkPlanFactory(host_unit=host_unit)


def test_successors_lists_every_state_with_its_targets():
    flow = build()

    assert successors(flow.edges, WorkPlanState) == {
        S.DRAFT: {S.SUBMITTED}, S.SUBMITTED: {S.APPROVED, S.RETURNED},
        S.RETURNED: {S.RESUBMITTED}, S.RESUBMITTED: {S.APPROVED}, S.APPROVED: set(),
    }


def test_legal_step_saves_state_records_history_audits_and_runs_hooks(
        plan, host_organiser, django_capture_on_commit_callbacks):
    calls = []
    flow = build(calls=calls)

    with django_capture_on_commit_callbacks(execute=True):
        flow.transition(plan, S.SUBMITTED, actor=host_organiser, reason="  第一稿  ",
                        data={"extra": 1}, submitted_at=None)

    stored = WorkPlan.objects.get(pk=plan.pk)
    assert (stored.state, plan.state) == (S.SUBMITTED, S.SUBMITTED)
    record = WorkPlanTransition.objects.get(work_plan=plan)
    assert (record.from_state, record.to_state, record.actor, record.reason) == (
        S.DRAFT, S.SUBMITTED, host_organiser, "第一稿")
    entry = ActivityLog.objects.get(action="portal.test_plan.submit")
    assert (entry.actor_id, entry.object_id, entry.from_state, entry.to_state, entry.data) == (
        host_organiser.pk, str(plan.pk), "draft", "submitted", {"extra": 1, "reason": "第一稿"})
    assert calls == [("after", S.DRAFT, S.SUBMITTED, record.pk), ("commit", S.SUBMITTED)]


def test_step_by_action_takes_the_edge_from_the_current_state(plan, host_organiser):
    plan.state = S.RETURNED
    plan.save(update_fields=["state"])

    build().transition(plan, "submit", actor=host_organiser)

    assert WorkPlan.objects.get(pk=plan.pk).state == S.RESUBMITTED


def test_illegal_edge_is_refused_with_the_domain_error_and_nothing_written(plan, torch_staff):
    calls = []
    flow = build(calls=calls)

    with pytest.raises(StepError) as refused:
        flow.transition(plan, S.APPROVED, actor=torch_staff)

    assert isinstance(refused.value, DomainError)
    assert refused.value.code == ILLEGAL
    assert str(S.DRAFT.label) in str(refused.value)
    assert str(S.APPROVED.label) in str(refused.value)
    assert WorkPlan.objects.get(pk=plan.pk).state == S.DRAFT
    assert not WorkPlanTransition.objects.exists()
    assert not ActivityLog.objects.filter(action__startswith="portal.test_plan").exists()
    assert calls == []


def test_actor_without_the_edge_permission_is_refused(plan, other_host_organiser, torch_staff):
    flow = build(messages={"denied": "不可以：%(to)s"})

    with pytest.raises(StepError) as refused:
        flow.transition(plan, S.SUBMITTED, actor=other_host_organiser)

    assert refused.value.code == DENIED
    assert str(refused.value) == f"不可以：{S.SUBMITTED.label}"
    with pytest.raises(StepError):
        # Torch staff pass other edges, not this one.
        flow.transition(plan, S.SUBMITTED, actor=torch_staff)
    assert WorkPlan.objects.get(pk=plan.pk).state == S.DRAFT
    assert not WorkPlanTransition.objects.exists()


def test_the_system_takes_only_edges_marked_for_it(plan, torch_staff):
    flow = build()
    plan.state = S.SUBMITTED
    plan.save(update_fields=["state"])

    with pytest.raises(StepError) as refused:
        flow.transition(plan, S.APPROVED, actor=None)
    assert refused.value.code == DENIED

    plan.state = S.RESUBMITTED
    plan.save(update_fields=["state"])
    flow.transition(plan, S.APPROVED, actor=None)

    record = WorkPlanTransition.objects.get(work_plan=plan)
    assert (record.actor, record.to_state) == (None, S.APPROVED)
    assert ActivityLog.objects.get(action="portal.test_plan.approved").actor_label == "system"


def test_stale_copy_is_told_apart_when_the_workflow_names_it(plan, host_organiser,
                                                             torch_staff):
    flow = build(messages={"stale": "已经有人处理过了。"})
    stale_copy = WorkPlan.objects.get(pk=plan.pk)
    flow.transition(plan, S.SUBMITTED, actor=host_organiser)
    flow.transition(plan, S.APPROVED, actor=torch_staff)

    # The copy still says draft; the row is approved and has no edge to submitted.
    with pytest.raises(StepError) as refused:
        flow.transition(stale_copy, S.SUBMITTED, actor=host_organiser)

    assert (refused.value.code, str(refused.value)) == (STALE, "已经有人处理过了。")


def test_a_refusal_from_the_before_hook_rolls_back_and_its_changes_are_saved_otherwise(
        plan, host_organiser):
    def before(step):
        if not step.reason:
            raise StepError("说明理由。", code="reason_required", field="comment")
        step.changes["review_comment"] = step.reason

    flow = build(before=before)

    with pytest.raises(StepError) as refused:
        flow.transition(plan, S.SUBMITTED, actor=host_organiser)
    assert (refused.value.code, refused.value.field) == ("reason_required", "comment")
    assert WorkPlan.objects.get(pk=plan.pk).state == S.DRAFT

    flow.transition(plan, S.SUBMITTED, actor=host_organiser, reason="按要求提交")
    stored = WorkPlan.objects.get(pk=plan.pk)
    assert (stored.state, stored.review_comment) == (S.SUBMITTED, "按要求提交")


def test_allows_and_available_read_the_edges_and_permissions(plan, host_organiser,
                                                            torch_staff):
    flow = build()

    assert flow.allows(host_organiser, plan, S.SUBMITTED)
    assert not flow.allows(torch_staff, plan, S.SUBMITTED)
    assert not flow.allows(host_organiser, plan, S.APPROVED)
    assert flow.available(host_organiser, plan) == [S.SUBMITTED]
    assert flow.available(torch_staff, plan) == []


def test_transition_finds_the_workflow_registered_for_the_model(plan, host_organiser):
    from contests import services

    assert workflow_of(plan) is services.WORK_PLAN_WORKFLOW

    transition(plan, "submit", actor=host_organiser)

    assert WorkPlan.objects.get(pk=plan.pk).state == S.SUBMITTED
    assert ActivityLog.objects.filter(action="portal.work_plan.submit").count() == 1


def test_a_second_registered_workflow_for_a_model_is_refused():
    with pytest.raises(ValueError, match="already has a workflow"):
        build(register=True)


def test_unknown_state_in_the_edges_fails_when_declared():
    with pytest.raises(ValueError):
        build(edges=(Edge(S.DRAFT, "nowhere", None),))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_on_postgresql_one_wins(postgres, host_unit, torch_staff):
    """Two reviewers decide the same submitted plan at once: the row lock makes the second
    wait, then see the first's state and be refused; one history row, one audit entry."""
    plan = WorkPlanFactory(host_unit=host_unit, state=S.SUBMITTED)
    first_locked = threading.Event()

    def hold(step):
        # The first step keeps its lock a moment, so the other is sure to queue behind it.
        first_locked.set()
        time.sleep(0.3)

    flow = build(after=hold)
    outcomes, errors = {}, []

    def decide(name, target, wait_for=None):
        try:
            if wait_for is not None:
                wait_for.wait(5)
            flow.transition(WorkPlan.objects.get(pk=plan.pk), target, actor=torch_staff)
            outcomes[name] = "done"
        except StepError as error:
            outcomes[name] = error.code
        except Exception as error:  # noqa: BLE001 - reported to the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=("approve", S.APPROVED)),
               threading.Thread(target=decide, args=("return", S.RETURNED, first_locked))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert outcomes == {"approve": "done", "return": ILLEGAL}
    assert WorkPlan.objects.get(pk=plan.pk).state == S.APPROVED
    assert list(WorkPlanTransition.objects.filter(work_plan=plan)
                .values_list("from_state", "to_state")) == [(S.SUBMITTED, S.APPROVED)]
    assert ActivityLog.objects.filter(action__startswith="portal.test_plan").count() == 1
    with transaction.atomic():
        assert WorkPlan.objects.select_for_update().get(pk=plan.pk).state == S.APPROVED


def test_every_registered_workflow_keeps_its_history_in_the_one_shape():
    import accounts.services
    import contests.services
    import demands.services
    import demands.services.access
    import demands.services.wording
    from common import workflow
    from common.models import TransitionRecord

    flows = {flow.model.__name__: flow for flow in workflow._REGISTRY.values()}

    assert set(flows) >= {"AccessRequest", "Demand", "Membership", "Organisation",
                          "WordingProposal", "WorkPlan"}
    for name, flow in flows.items():
        assert issubclass(flow.history, TransitionRecord), name
    assert (accounts.services.MEMBERSHIP_WORKFLOW, contests.services.WORK_PLAN_WORKFLOW,
            demands.services.access.ACCESS_WORKFLOW, demands.services.DEMAND_WORKFLOW,
            demands.services.wording.PROPOSAL_WORKFLOW) == (
        flows["Membership"], flows["WorkPlan"], flows["AccessRequest"], flows["Demand"],
        flows["WordingProposal"])


def test_unknown_predicate_name_fails_when_declared():
    from contests import permissions

    with pytest.raises(ValueError, match="no predicate"):
        build(permissions=permissions, edges=(Edge(S.DRAFT, S.SUBMITTED, "is_nobody"),))
