import datetime

import pytest

from audit.models import ActivityLog
from demands.enums import DemandStatus
from demands.services import transition as demand_transition
from notifications.models import Notification
from solutions.diff import version_diff
from solutions.enums import ResponseKind, SolutionStatus
from solutions.models import DemandResponse, Solution, SolutionVersion
from solutions.services import solutions as services
from solutions.services.base import SolutionError
from tests.factories.contests import HostMembershipFactory
from tests.solutions.support import (
    challenger,
    content,
    day_end,
    freeze,
    organisation_of,
    owner_of,
    published_demand,
)

pytestmark = pytest.mark.django_db


def _draft(demand, user, **overrides):
    return services.create_solution(demand, actor=user, organisation=organisation_of(user),
                                    data=content(demand, **overrides))


def test_submit_in_the_last_minute_of_the_deadline_day_and_not_after(monkeypatch):
    deadline = datetime.date(2026, 12, 20)
    demand = published_demand(solution_deadline=deadline)
    user = challenger(demand)
    freeze(monkeypatch, day_end(deadline))
    solution = _draft(demand, user)
    services.submit_solution(solution, actor=user)
    assert solution.status == SolutionStatus.SUBMITTED and solution.version == 1

    late = challenger(demand)
    freeze(monkeypatch, day_end(deadline) - datetime.timedelta(minutes=1))
    draft = _draft(demand, late)
    freeze(monkeypatch, day_end(deadline) + datetime.timedelta(minutes=1))  # 00:00 next day
    with pytest.raises(SolutionError) as refused:
        services.submit_solution(draft, actor=late)
    assert refused.value.code == "deadline"
    assert Solution.objects.get(pk=draft.pk).status == SolutionStatus.DRAFT
    with pytest.raises(SolutionError):
        services.update_solution(solution, actor=user, data={"title": "太晚了"})
    with pytest.raises(SolutionError):
        services.withdraw_solution(solution, actor=user)


def test_nda_gate_and_one_live_solution_per_organisation():
    demand = published_demand()
    unsigned = challenger(demand, signed=False)
    with pytest.raises(SolutionError) as refused:
        _draft(demand, unsigned)
    assert refused.value.code == "agreements"
    user = challenger(demand)
    first = _draft(demand, user)
    with pytest.raises(SolutionError) as duplicate:
        _draft(demand, user)
    assert duplicate.value.code == "duplicate"
    services.withdraw_solution(first, actor=user)
    assert _draft(demand, user).pk != first.pk  # withdrawn makes room


def test_closed_or_unpublished_demand_refuses():
    demand = published_demand(status=DemandStatus.CLOSED)
    with pytest.raises(SolutionError) as refused:
        _draft(demand, challenger(demand))
    assert refused.value.code == "not_open"


def test_submission_needs_everything_and_the_demands_mode():
    demand = published_demand(cooperation_modes=["joint"])
    user = challenger(demand)
    with pytest.raises(SolutionError):
        _draft(demand, user, cooperation_mode="transfer")
    solution = _draft(demand, user, trl=None, approach="")
    with pytest.raises(SolutionError) as refused:
        services.submit_solution(solution, actor=user)
    assert refused.value.code == "incomplete"
    assert Solution.objects.get(pk=solution.pk).status == SolutionStatus.DRAFT


def test_versions_keep_each_submitted_state_and_show_the_diff():
    demand = published_demand()
    indicator = demand.indicators.first()
    user = challenger(demand)
    solution = _draft(demand, user)
    services.submit_solution(solution, actor=user)
    services.update_solution(solution, actor=user, data={"cost": 99},
                             answers={indicator.pk: {"promised_value": "≤2",
                                                     "verification": "pilot", "note": ""}})
    versions = list(SolutionVersion.objects.filter(solution=solution).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].content["cost"] == "120.00" and versions[1].content["cost"] == "99.00"
    rows = version_diff(versions[0].content, versions[1].content,
                        {str(i.pk): i for i in demand.indicators.all()})
    changed = {row["label"] for row in rows if row["changed"]}
    cost_label = str(Solution._meta.get_field("cost").verbose_name)
    assert changed == {indicator.name, cost_label}
    # The other indicator was never answered: shown as such, not dropped.
    other = demand.indicators.exclude(pk=indicator.pk).first()
    assert any(row["label"] == other.name and not row["changed"] for row in rows)


def test_decisions_by_owner_or_host_with_reason_and_one_notification_each():
    demand = published_demand()
    owner = owner_of(demand)
    host = HostMembershipFactory(host_unit=demand.host_unit).user
    user = challenger(demand)
    solution = _draft(demand, user)
    services.submit_solution(solution, actor=user)
    assert DemandResponse.objects.filter(demand=demand, kind=ResponseKind.SOLUTION).count() == 1
    assert Notification.objects.filter(kind="solution.submitted", recipient=owner).count() == 1

    with pytest.raises(SolutionError) as refused:
        services.decide_solution(solution, "declined", actor=owner)
    assert refused.value.code == "reason_required"
    services.decide_solution(solution, "shortlisted", actor=host)
    with pytest.raises(SolutionError):
        services.decide_solution(solution, "selected", actor=challenger(demand))
    services.decide_solution(solution, "selected", actor=owner)
    solution.refresh_from_db()
    assert solution.status == SolutionStatus.SELECTED
    entries = ActivityLog.objects.filter(action__startswith="portal.solutions.").values_list(
        "action", flat=True)
    assert {"portal.solutions.shortlisted", "portal.solutions.selected"} <= set(entries)
    on_behalf = ActivityLog.objects.get(action="portal.solutions.shortlisted")
    assert on_behalf.data.get("on_behalf") is True
    assert Notification.objects.filter(kind="solution.status_changed", recipient=user).count() == 2
    with pytest.raises(SolutionError):
        services.withdraw_solution(solution, actor=user)  # selected: no edge


def test_declined_reason_reaches_the_challenger():
    demand = published_demand()
    owner = owner_of(demand)
    user = challenger(demand)
    solution = _draft(demand, user)
    services.submit_solution(solution, actor=user)
    services.decide_solution(solution, "declined", actor=owner, reason="成本过高")
    solution.refresh_from_db()
    assert solution.decision_reason == "成本过高"
    note = Notification.objects.get(kind="solution.status_changed", recipient=user)
    assert "成本过高" in note.text


def test_withdrawn_or_closed_demand_tells_the_challengers_once():
    demand = published_demand()
    user = challenger(demand)
    solution = _draft(demand, user)
    services.submit_solution(solution, actor=user)
    bystander = challenger(demand)
    demand_transition(demand, DemandStatus.CLOSED, actor=None, reason="截止")
    assert Notification.objects.filter(kind="solution.demand_ended", recipient=user).count() == 1
    assert not Notification.objects.filter(kind="solution.demand_ended",
                                           recipient=bystander).exists()
    with pytest.raises(SolutionError):
        _draft(demand, bystander)
