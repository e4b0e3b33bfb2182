"""The home page answers a visitor's first questions: search, newest and national demands,
each event's stage, headline figures from the data, latest notices, how to take part."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contests.enums import Stage, WorkPlanState
from contests.selectors import event_stages
from demands.enums import DemandStatus
from tests.demands.public_support import *  # noqa: F403
from tests.demands.public_support import publish
from tests.factories.contests import (
    ChallengeNoticeFactory,
    HostUnitFactory,
    WorkPlanFactory,
    WorkPlanStageFactory,
)
from tests.factories.demands import DemandFactory


def _plan(unit, *rows):
    plan = WorkPlanFactory(host_unit=unit, state=WorkPlanState.APPROVED)
    for stage, start, end in rows:
        WorkPlanStageFactory(work_plan=plan, stage=stage, starts_on=start, ends_on=end)
    return plan


def test_event_stages_from_approved_plans(host_unit):
    today = timezone.localdate()
    day = timedelta(days=1)
    event = host_unit.event
    second = HostUnitFactory(event=event)
    third = HostUnitFactory(event=event)
    _plan(host_unit, (Stage.DEMAND_COLLECTION, today - 10 * day, today + day))
    _plan(second, (Stage.DEMAND_COLLECTION, today - 10 * day, today + day))
    _plan(third, (Stage.EXPERT_ANALYSIS, today - day, today + day))
    submitted = WorkPlanFactory(host_unit=HostUnitFactory(event=event),
                                state=WorkPlanState.SUBMITTED)
    WorkPlanStageFactory(work_plan=submitted, stage=Stage.SUMMARY, starts_on=today,
                         ends_on=today)
    stages = event_stages(event.contest, today)
    assert stages[event.pk] == (Stage.DEMAND_COLLECTION, "current")
    assert event_stages(event.contest, today + 30 * day)[event.pk] == ("", "finished")
    assert event_stages(event.contest, today - 30 * day)[event.pk] == (
        Stage.DEMAND_COLLECTION, "upcoming")


def test_home_page_shows_what_a_visitor_asks_first(client, host_unit, demand_owner,
                                                    django_assert_max_num_queries):
    today = timezone.localdate()
    _plan(host_unit, (Stage.DEMAND_PUBLISHING, today - timedelta(days=1), today))
    newest = publish(DemandFactory(host_unit=host_unit, created_by=demand_owner,
                                   status=DemandStatus.PUBLISHED, title="最新发布的需求标题"))
    publish(DemandFactory(host_unit=host_unit, status=DemandStatus.CLOSED,
                          title="已结束的需求"))
    ChallengeNoticeFactory(host_unit=host_unit, published=True, title="第一号挑战须知")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="/demands/"' in html and 'name="q"' in html
    assert newest.public_snapshot["title"] in html
    assert "第一号挑战须知" in html
    assert "Demand publishing" in html  # the event's current stage
    assert "How to take part" in html
    figures = dict(response.context["figures"])
    assert [figures[label] for label in figures if "published" in str(label)] == [2]
    assert [figures[label] for label in figures if "open" in str(label)] == [1]
    # Cached: a second visit reads neither the figures nor the stages again.
    with django_assert_max_num_queries(9):
        client.get("/")


def test_figures_follow_publishing(client, host_unit):
    publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED))
    first = dict(client.get("/").context["figures"])
    publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED))
    # Right after a change the first view may still show the previous figures: they are
    # recomputed once, after its response (common.page_cache single flight), for the next.
    client.get("/")
    second = dict(client.get("/").context["figures"])
    assert [v + 1 for v in first.values()] == list(second.values())


@pytest.mark.parametrize("with_role", [True, False])
def test_the_full_details_explain_the_nda_to_a_challenger_only(client, host_unit, challenger,
                                                               stranger, with_role):
    demand = publish(DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED))
    client.force_login(challenger if with_role else stranger)
    response = client.get(f"/demands/{demand.ref}/full/")
    if with_role:
        assert response.status_code == 200
        html = response.content.decode()
        assert "non-disclosure agreement" in html
        assert f"/demands/{demand.ref}/access/request/" in html
    else:
        assert response.status_code == 404


def test_torch_staffs_workspace_is_headed_as_torchs(client, torch_staff, host_organiser):
    client.force_login(torch_staff)
    html = client.get("/accounts/workspace/").content.decode()
    assert "Torch Center workspace" in html
    assert "Demands of every host unit (Torch Center)" in html
    assert "Demands of my host units" not in html
    client.force_login(host_organiser)
    html = client.get("/accounts/workspace/").content.decode()
    assert "My workspace" in html and "Demands of my host units" in html
