import datetime

import pytest
from django.urls import reverse

from contests.enums import Stage, WorkPlanState
from contests.models import HostUnit
from tests.factories.contests import (
    ChallengeNoticeFactory,
    ComplaintChannelFactory,
    EventFactory,
    HostUnitFactory,
    WorkPlanFactory,
    WorkPlanStageFactory,
)

pytestmark = pytest.mark.django_db


def text_of(response):
    return response.content.decode()


def test_home_shows_the_contest_grouped_events_and_latest_notices(client, contest6):
    xian = HostUnit.objects.get(slug="xian")
    ChallengeNoticeFactory(host_unit=xian, title="西安挑战须知（已发布）", published=True)
    ChallengeNoticeFactory(host_unit=xian, title="西安挑战须知（草稿）")

    page = text_of(client.get(reverse("home")))

    assert "第六届中国创新挑战赛" in page and "国科发火〔2021〕138号" in page
    assert "<h2>Thematic events</h2>" in page and "<h2>Regional events</h2>" in page
    assert page.index("第六届中国创新挑战赛（西安）硬科技发展专题赛") < page.index(
        "第六届中国创新挑战赛（青岛）")
    assert "西安挑战须知（已发布）" in page
    assert "西安挑战须知（草稿）" not in page


def test_home_without_contest_shows_empty_state(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "empty-state" in text_of(response)


def test_event_list_shows_all_22_events_with_host_units_and_fields(client, contest6):
    page = text_of(client.get(reverse("contests:event_list")))

    assert page.count('class="card event-card"') == 22
    for name in ["东莞松山湖高新区管委会", "天津港保税区管委会", "宁夏回族自治区科技厅",
                 "第六届中国创新挑战赛（中关村）技术融合专题赛"]:
        assert name in page
    assert "民用与国防两用技术" in page and "节能环保产业" in page


def test_event_list_query_count_with_the_full_edition(client, contest6, django_assert_num_queries):
    # contest, events, event fields, host units, host unit fields
    with django_assert_num_queries(5):
        response = client.get(reverse("contests:event_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("events", [1, 3])
def test_event_list_query_count_does_not_grow_with_rows(client, db, events,
                                                        django_assert_num_queries):
    for _ in range(events):
        HostUnitFactory(event=EventFactory())
    with django_assert_num_queries(5):
        client.get(reverse("contests:event_list"))


def test_home_query_count_with_the_full_edition(client, contest6, django_assert_num_queries):
    for unit in HostUnit.objects.all()[:3]:
        ChallengeNoticeFactory(host_unit=unit, published=True)
    # the event list's five, the newest and the nationally published demands (demands'
    # template tags), the latest news (news' tag) and the latest notices with their host
    # units; cold, also the events' stages (two) and the demands' two headline figures,
    # cached after the first visit
    with django_assert_num_queries(13):
        client.get(reverse("home"))
    with django_assert_num_queries(9):
        client.get(reverse("home"))


def test_event_detail_lists_its_host_units(client, contest6):
    page = text_of(client.get(reverse("contests:event_detail", kwargs={"number": 14})))

    assert "第六届中国创新挑战赛（广东）" in page
    for name in ["广州市人民政府", "韶关市人民政府", "惠州市人民政府", "佛山高新区管委会",
                 "东莞松山湖高新区管委会"]:
        assert name in page
    assert "西安市人民政府" not in page


def test_event_detail_unknown_number_is_404(client, contest6):
    assert client.get(reverse("contests:event_detail", kwargs={"number": 23})).status_code == 404


def test_host_page_unknown_slug_is_404(client, contest6):
    response = client.get(reverse("contests:host_detail", kwargs={"slug": "nowhere"}))
    assert response.status_code == 404


def test_host_page_shows_published_notices_only(client, host_unit):
    ChallengeNoticeFactory(host_unit=host_unit, title="公开的须知", body="征集挑战者正文",
                           published=True)
    ChallengeNoticeFactory(host_unit=host_unit, title="未发布的须知", body="草稿正文")

    page = text_of(client.get(host_unit.get_absolute_url()))

    assert "公开的须知" in page and "征集挑战者正文" in page
    assert "未发布的须知" not in page and "草稿正文" not in page


def test_host_page_shows_stage_dates_of_the_approved_plan(client, host_unit):
    plan = WorkPlanFactory(host_unit=host_unit, state=WorkPlanState.APPROVED)
    WorkPlanStageFactory(work_plan=plan, stage=Stage.LIVE_ROUND,
                         starts_on=datetime.date(2021, 11, 18), ends_on=datetime.date(2021, 11, 19))
    WorkPlanStageFactory(work_plan=plan, stage=Stage.DEMAND_COLLECTION,
                         starts_on=datetime.date(2021, 6, 1), ends_on=datetime.date(2021, 7, 31))

    page = text_of(client.get(host_unit.get_absolute_url()))

    assert "2021-06-01" in page and "2021-11-19" in page
    # lifecycle order, whatever order the rows were written in
    assert page.index("2021-06-01") < page.index("2021-11-18")


@pytest.mark.parametrize("state", [WorkPlanState.DRAFT, WorkPlanState.SUBMITTED,
                                   WorkPlanState.RETURNED, WorkPlanState.RESUBMITTED])
def test_host_page_hides_stage_dates_of_an_unapproved_plan(client, host_unit, state):
    plan = WorkPlanFactory(host_unit=host_unit, state=state)
    WorkPlanStageFactory(work_plan=plan, stage=Stage.DEMAND_COLLECTION,
                         starts_on=datetime.date(2021, 6, 1), ends_on=datetime.date(2021, 7, 31))

    page = text_of(client.get(host_unit.get_absolute_url()))

    assert "2021-06-01" not in page


def test_host_page_shows_complaint_channels_and_the_national_hotline(client, host_unit,
                                                                     other_host_unit):
    ComplaintChannelFactory(host_unit=host_unit, name="西安市科技局成果转化处",
                            phone="029-86786000", email="ts@xa.example.cn")
    ComplaintChannelFactory(host_unit=other_host_unit, name="别家的受理机构")

    page = text_of(client.get(host_unit.get_absolute_url()))

    assert "西安市科技局成果转化处" in page and "029-86786000" in page
    assert "ts@xa.example.cn" in page
    assert "010-88656297" in page
    assert "别家的受理机构" not in page


def test_host_page_query_count(client, host_unit, django_assert_num_queries):
    plan = WorkPlanFactory(host_unit=host_unit, state=WorkPlanState.APPROVED, with_stages=True)
    assert plan.stages.count() == 7
    for _ in range(3):
        ChallengeNoticeFactory(host_unit=host_unit, published=True)
        ComplaintChannelFactory(host_unit=host_unit)
    # host unit + event, fields, notices, channels, approved plan, its stages
    with django_assert_num_queries(6):
        client.get(host_unit.get_absolute_url())


# --- the shared page cache -------------------------------------------------------------------
def test_host_page_is_served_from_the_cache_to_anonymous_visitors(
        client, host_unit, django_assert_num_queries):
    ChallengeNoticeFactory(host_unit=host_unit, title="公开的须知", published=True)
    client.get(host_unit.get_absolute_url())

    with django_assert_num_queries(0):
        page = text_of(client.get(host_unit.get_absolute_url()))

    assert "公开的须知" in page


def test_publishing_a_notice_drops_the_cached_host_page_after_commit(
        client, host_unit, host_organiser, django_capture_on_commit_callbacks):
    from contests import services

    notice = ChallengeNoticeFactory(host_unit=host_unit, title="新的挑战须知")
    assert "新的挑战须知" not in text_of(client.get(host_unit.get_absolute_url()))

    with django_capture_on_commit_callbacks() as callbacks:
        services.publish_notice(notice, actor=host_organiser)
    # Not before the commit: the change is not visible to other processes yet.
    assert "新的挑战须知" not in text_of(client.get(host_unit.get_absolute_url()))
    for callback in callbacks:
        callback()

    assert "新的挑战须知" in text_of(client.get(host_unit.get_absolute_url()))


def test_approving_a_work_plan_drops_the_cached_host_page(
        client, host_unit, torch_staff, django_capture_on_commit_callbacks):
    from contests import services

    plan = WorkPlanFactory(host_unit=host_unit, state=WorkPlanState.SUBMITTED)
    WorkPlanStageFactory(work_plan=plan, stage=Stage.LIVE_ROUND,
                         starts_on=datetime.date(2021, 11, 18), ends_on=datetime.date(2021, 11, 19))
    assert "2021-11-18" not in text_of(client.get(host_unit.get_absolute_url()))

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_work_plan(plan, actor=torch_staff)

    assert "2021-11-18" in text_of(client.get(host_unit.get_absolute_url()))


def test_signed_in_visitors_get_the_page_rendered_for_them(client, host_unit, stranger):
    client.get(host_unit.get_absolute_url())
    client.force_login(stranger)

    page = text_of(client.get(host_unit.get_absolute_url()))

    assert "csrfmiddlewaretoken" in page  # their own sign-out form, never a cached page
