"""The workflow: one service owns every state change; legal edges are recorded, illegal ones
refused with a message and leave no trace."""

import datetime

import pytest
from django.utils import timezone

from audit.models import ActivityLog
from demands import services
from demands.enums import TRANSITIONS, DemandStatus, ProposalState
from demands.models import Demand, DemandTransition
from demands.tasks import close_expired
from notifications.models import Notification
from tests.demands.collection import *  # noqa: F403
from tests.factories.demands import WordingProposalFactory

LEGAL_EDGES = [(source, target) for source, targets in TRANSITIONS.items()
               for target in sorted(targets)]
ILLEGAL_EDGES = [(source, target) for source in DemandStatus for target in DemandStatus
                 if target not in TRANSITIONS[source] and target != source]


def _actor_for(target, demand_owner, host_organiser):
    return demand_owner if target in (DemandStatus.SUBMITTED, DemandStatus.WITHDRAWN) \
        else host_organiser


@pytest.mark.parametrize(("source", "target"), LEGAL_EDGES)
def test_transition_every_legal_edge_is_recorded(source, target, make_demand, demand_owner,
                                                 host_organiser, assigned_expert):
    demand = make_demand(status=source)
    if target == DemandStatus.IN_ANALYSIS:
        assigned_expert(demand)
    actor = _actor_for(target, demand_owner, host_organiser)

    services.transition(demand, target, actor=actor, reason="理由：请补充指标")

    demand.refresh_from_db()
    assert demand.status == target
    step = DemandTransition.objects.get(demand=demand)
    assert (step.from_state, step.to_state, step.actor, step.reason) == (
        source, target, actor, "理由：请补充指标")
    log = ActivityLog.objects.get(action=f"portal.demand.{target}")
    assert (log.actor, log.from_state, log.to_state, log.object_id) == (
        actor, source, target, str(demand.pk))


@pytest.mark.parametrize(("source", "target"), ILLEGAL_EDGES)
def test_transition_illegal_edge_is_refused_with_message(source, target, make_demand,
                                                         torch_staff):
    demand = make_demand(status=source)

    with pytest.raises(services.DemandError) as refused:
        services.transition(demand, target, actor=torch_staff, reason="x")

    assert str(DemandStatus(source).label) in refused.value.message
    assert str(DemandStatus(target).label) in refused.value.message
    assert Demand.objects.get(pk=demand.pk).status == source
    assert not DemandTransition.objects.filter(demand=demand).exists()


def test_transition_unknown_status_is_refused(make_demand, host_organiser):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    with pytest.raises(services.DemandError):
        services.transition(demand, "archived", actor=host_organiser)


@pytest.mark.parametrize(("persona", "source", "target"), [
    ("demand_owner", DemandStatus.SUBMITTED, DemandStatus.APPROVED),
    ("demand_owner", DemandStatus.APPROVED, DemandStatus.PUBLISHED),
    ("other_host_organiser", DemandStatus.SUBMITTED, DemandStatus.APPROVED),
    ("other_host_organiser", DemandStatus.PUBLISHED, DemandStatus.WITHDRAWN),
    ("expert", DemandStatus.APPROVED, DemandStatus.PUBLISHED),
    ("stranger", DemandStatus.DRAFT, DemandStatus.SUBMITTED),
    ("challenger", DemandStatus.PUBLISHED, DemandStatus.CLOSED),
    ("host_organiser", DemandStatus.DRAFT, DemandStatus.SUBMITTED),
])
def test_transition_without_permission_for_the_edge_is_refused(persona, source, target,
                                                              make_demand, request):
    demand = make_demand(status=source)
    actor = request.getfixturevalue(persona)

    with pytest.raises(services.DemandError):
        services.transition(demand, target, actor=actor)

    assert Demand.objects.get(pk=demand.pk).status == source
    assert not DemandTransition.objects.exists()


def test_transition_by_the_system_only_closes(make_demand):
    demand = make_demand(status=DemandStatus.APPROVED)
    with pytest.raises(services.DemandError):
        services.transition(demand, DemandStatus.PUBLISHED, actor=None)
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.APPROVED


def test_submit_incomplete_demand_is_refused_with_the_missing_fields(make_demand,
                                                                     demand_owner):
    demand = make_demand(key_problem="", contact_mobile="", keywords=[], indicators=[])

    with pytest.raises(services.DemandError) as refused:
        services.submit(demand, actor=demand_owner)

    fields = {field for field, _message in refused.value.problems}
    assert fields == {"key_problem", "contact_mobile", "keywords", "indicators"}
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.DRAFT


def test_submit_sets_submitted_at(make_demand, demand_owner):
    demand = make_demand()
    services.submit(demand, actor=demand_owner)
    demand.refresh_from_db()
    assert demand.status == DemandStatus.SUBMITTED
    assert demand.submitted_at is not None


@pytest.mark.parametrize("target", [DemandStatus.RETURNED, DemandStatus.REJECTED])
def test_return_or_reject_without_comment_is_refused(target, make_demand, host_organiser):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    with pytest.raises(services.DemandError):
        services.transition(demand, target, actor=host_organiser, reason="  ")
    assert Demand.objects.get(pk=demand.pk).status == DemandStatus.SUBMITTED


def test_in_analysis_without_an_assigned_expert_is_refused(make_demand, host_organiser):
    demand = make_demand(status=DemandStatus.SUBMITTED)
    with pytest.raises(services.DemandError):
        services.transition(demand, DemandStatus.IN_ANALYSIS, actor=host_organiser)


def test_publish_refused_while_a_wording_proposal_is_pending(make_demand, host_organiser):
    demand = make_demand(status=DemandStatus.APPROVED)
    WordingProposalFactory(demand=demand, proposed_by=host_organiser)

    with pytest.raises(services.DemandError):
        services.transition(demand, DemandStatus.PUBLISHED, actor=host_organiser)

    demand.refresh_from_db()
    assert (demand.status, demand.published_at) == (DemandStatus.APPROVED, None)


def test_publish_after_the_proposal_is_answered(make_demand, host_organiser, demand_owner):
    demand = make_demand(status=DemandStatus.APPROVED)
    proposal = WordingProposalFactory(demand=demand, proposed_by=host_organiser)
    services.decide_proposal(proposal, actor=demand_owner, accept=False)

    services.transition(demand, DemandStatus.PUBLISHED, actor=host_organiser)

    demand.refresh_from_db()
    assert demand.status == DemandStatus.PUBLISHED
    assert demand.published_at is not None


def test_publish_builds_the_public_index_from_the_projection(make_demand, host_organiser):
    demand = make_demand(status=DemandStatus.APPROVED, hidden_fields=["organisation"],
                         hidden_passages=["液冷板设计"])

    services.transition(demand, DemandStatus.PUBLISHED, actor=host_organiser)

    demand.refresh_from_db()
    assert demand.public_indexed_at is not None
    assert demand.public_snapshot["ref"] == demand.ref
    assert demand.organisation.name not in str(demand.public_snapshot)
    assert "液冷板设计" not in str(demand.public_snapshot)
    assert "液冷板设计" not in demand.search_bigrams


def test_withdrawing_a_published_demand_empties_its_public_index(make_demand, host_organiser,
                                                                 demand_owner):
    demand = make_demand(status=DemandStatus.APPROVED)
    services.transition(demand, DemandStatus.PUBLISHED, actor=host_organiser)

    services.transition(demand, DemandStatus.WITHDRAWN, actor=demand_owner)

    demand.refresh_from_db()
    assert (demand.public_snapshot, demand.search_tokens, demand.public_indexed_at) == (
        {}, "", None)


def test_status_change_notifies_the_owner_members_but_not_the_actor(make_demand, demand_owner,
                                                                    co_member,
                                                                    host_organiser):
    demand = make_demand(status=DemandStatus.SUBMITTED)

    services.transition(demand, DemandStatus.RETURNED, actor=host_organiser,
                        reason="请补充现状值")
    services.transition(demand, DemandStatus.SUBMITTED, actor=demand_owner)

    sent = Notification.objects.filter(kind="demand.status_changed").order_by("pk")
    # Returned: both members; resubmitted by the owner: the other member only.
    assert [n.recipient_id for n in sent] == sorted(
        [demand_owner.pk, co_member.pk]) + [co_member.pk]
    assert demand.ref in sent.first().text


def test_status_change_rolls_back_entirely_when_refused(make_demand, host_organiser):
    demand = make_demand(status=DemandStatus.APPROVED)
    WordingProposalFactory(demand=demand, proposed_by=host_organiser)
    with pytest.raises(services.DemandError):
        services.transition(demand, DemandStatus.PUBLISHED, actor=host_organiser)
    assert not ActivityLog.objects.filter(action__startswith="portal.demand.published").exists()
    assert not Notification.objects.exists()


def test_close_expired_closes_published_demands_past_their_deadline(make_demand):
    today = timezone.localdate()
    expired = make_demand(status=DemandStatus.PUBLISHED,
                          solution_deadline=today - datetime.timedelta(days=1))
    due_today = make_demand(status=DemandStatus.PUBLISHED, solution_deadline=today)
    approved_expired = make_demand(status=DemandStatus.APPROVED,
                                   solution_deadline=today - datetime.timedelta(days=3))

    closed = close_expired.delay().get()

    assert closed == 1
    statuses = dict(Demand.objects.values_list("pk", "status"))
    assert statuses == {expired.pk: DemandStatus.CLOSED, due_today.pk: DemandStatus.PUBLISHED,
                        approved_expired.pk: DemandStatus.APPROVED}
    step = DemandTransition.objects.get(demand=expired)
    assert (step.actor, step.to_state) == (None, DemandStatus.CLOSED)
    assert Demand.objects.get(pk=expired.pk).closed_at is not None
    # A second run finds nothing more to do.
    assert services.close_expired() == 0


def test_close_expired_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["portal.demands.close_expired"]
    assert entry["task"] == close_expired.name


def test_proposal_state_after_publishing_stays_declined(make_demand, host_organiser,
                                                        demand_owner):
    demand = make_demand(status=DemandStatus.APPROVED)
    proposal = WordingProposalFactory(demand=demand, proposed_by=host_organiser)
    services.decide_proposal(proposal, actor=demand_owner, accept=False)
    services.transition(demand, DemandStatus.PUBLISHED, actor=host_organiser)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DECLINED
