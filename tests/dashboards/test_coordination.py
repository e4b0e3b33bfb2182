"""The national calendar with live-round clashes, host scorecards and training tracking."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from contests.models import WorkPlanStage
from dashboards import services
from dashboards.coordination import calendar
from dashboards.models import MaterialRead, SessionAttendance
from dashboards.scorecards import scorecards
from tests.contests.conftest import _english, sign_in  # noqa: F401
from tests.factories.contests import HostUnitFactory, WorkPlanFactory


def _plan(unit, state, live_from, live_to):
    plan = WorkPlanFactory(host_unit=unit, state=state)
    WorkPlanStage.objects.create(work_plan=plan, stage="demand_collection",
                                 starts_on=datetime.date(2026, 3, 1),
                                 ends_on=datetime.date(2026, 4, 1), note="内部备注NOTE")
    WorkPlanStage.objects.create(work_plan=plan, stage="live_round", starts_on=live_from,
                                 ends_on=live_to)
    return plan


@pytest.fixture
def plans(db):
    xian = HostUnitFactory(region="610100", name="西安")
    baoji = HostUnitFactory(region="610300", name="宝鸡")
    beijing = HostUnitFactory(region="110000", name="北京")
    _plan(xian, "approved", datetime.date(2026, 9, 10), datetime.date(2026, 9, 12))
    _plan(baoji, "approved", datetime.date(2026, 9, 12), datetime.date(2026, 9, 13))
    _plan(beijing, "approved", datetime.date(2026, 9, 10), datetime.date(2026, 9, 12))
    pending = HostUnitFactory(region="610100", name="待审")
    _plan(pending, "submitted", datetime.date(2026, 10, 1), datetime.date(2026, 10, 2))
    return xian, baoji, beijing, pending


def test_live_rounds_overlapping_in_one_province_are_flagged(plans):
    xian, baoji, beijing, _pending = plans
    rows = calendar(complete=True)
    flagged = {row.unit.name: [unit.name for unit in row.clashes] for row in rows if row.clashes}
    assert flagged == {"西安": ["宝鸡"], "宝鸡": ["西安"]}


def test_the_public_calendar_is_a_summary(client, plans, torch_staff):
    page = client.get(reverse("dashboards:calendar")).content.decode()
    assert "西安" in page and "待审" not in page and "NOTE" not in page
    sign_in(client, torch_staff)
    page = client.get(reverse("dashboards:calendar")).content.decode()
    assert "待审" in page and "NOTE" in page and "Live-round clashes" in page


def test_scorecards_are_scoped_and_torch_rates(client, host_unit, other_host_unit,
                                               host_organiser, torch_staff):
    assert [card.unit for card in scorecards({host_unit.pk})] == [host_unit]
    sign_in(client, host_organiser)
    page = client.get(reverse("dashboards:scorecards")).content.decode()
    assert host_unit.name in page and other_host_unit.name not in page
    assert client.get(reverse("dashboards:evaluate", args=[host_unit.slug])).status_code == 404
    with pytest.raises(services.DashboardError):
        services.evaluate_host(host_unit, actor=host_organiser, rating=5, comments="")
    sign_in(client, torch_staff)
    client.post(reverse("dashboards:evaluate", args=[host_unit.slug]),
                {"rating": "4", "comments": "响应及时"})
    card = scorecards({host_unit.pk})[0]
    assert card.evaluation.rating == 4 and card.evaluation.comments == "响应及时"


def test_training_reads_and_attendance_are_tracked(client, host_organiser, torch_staff):
    material = services.publish_material(actor=torch_staff, title="培训资料", description="",
                                         upload=None)
    session = services.schedule_session(actor=torch_staff, title="培训会", description="",
                                        starts_at=datetime.datetime(2026, 5, 1, 9, 0,
                                                                    tzinfo=datetime.UTC),
                                        place="线上")
    sign_in(client, host_organiser)
    client.post(reverse("dashboards:training_read", args=[material.pk]))
    client.post(reverse("dashboards:training_read", args=[material.pk]))
    client.post(reverse("dashboards:training_register", args=[session.pk]))
    assert MaterialRead.objects.filter(material=material, user=host_organiser).count() == 1
    sign_in(client, torch_staff)
    client.post(reverse("dashboards:training_session", args=[session.pk]),
                {"attended": [host_organiser.pk]})
    assert SessionAttendance.objects.get(session=session, user=host_organiser).attended
    page = client.get(reverse("dashboards:training_material", args=[material.pk])).content
    assert host_organiser.email in page.decode()


def test_the_scorecard_says_whether_the_summary_report_came_on_time(client, host_unit,
                                                                   other_host_unit,
                                                                   host_organiser,
                                                                   torch_staff):
    from contests import summary_services
    from contests.enums import Stage
    from tests.factories.contests import (
        SummaryReportFactory,
        WorkPlanFactory,
        WorkPlanStageFactory,
    )

    today = timezone.localdate()
    for unit, ends_on in ((host_unit, today + datetime.timedelta(days=5)),
                          (other_host_unit, today - datetime.timedelta(days=1))):
        plan = WorkPlanFactory(host_unit=unit)
        WorkPlanStageFactory(work_plan=plan, stage=Stage.SUMMARY, starts_on=ends_on,
                             ends_on=ends_on)
    summary_services.submit_summary_report(SummaryReportFactory(host_unit=host_unit),
                                           actor=host_organiser)

    cards = {card.unit: card for card in scorecards(None)}

    assert (cards[host_unit].summary_state, cards[host_unit].summary_on_time) == (
        "Submitted", True)
    # The other unit's summary stage ended yesterday without a report: late.
    assert (cards[other_host_unit].summary_state, cards[other_host_unit].summary_on_time) == (
        "", False)
    sign_in(client, torch_staff)
    page = client.get(reverse("dashboards:scorecards")).content.decode()
    assert "late: not submitted by the end of its summary stage" in page


def test_the_supervision_figures_count_summary_reports_pending(client, host_unit,
                                                               other_host_unit,
                                                               host_organiser, torch_staff):
    from contests import summary_services
    from tests.factories.contests import SummaryReportFactory

    SummaryReportFactory(host_unit=other_host_unit)  # a draft: not pending for Torch staff
    summary_services.submit_summary_report(SummaryReportFactory(host_unit=host_unit),
                                           actor=host_organiser)

    sign_in(client, torch_staff)
    torch = {str(label): (n, url) for label, n, url
             in client.get(reverse("dashboards:national")).context["supervision"]}
    sign_in(client, host_organiser)
    host = {str(label): n for label, n, _url
            in client.get(reverse("dashboards:national")).context["supervision"]}

    assert torch["Summary reports awaiting review"][0] == 1
    sign_in(client, torch_staff)
    listed = client.get(torch["Summary reports awaiting review"][1]).context["units"]
    assert listed == [host_unit]
    assert host["Summary reports pending"] == 0
