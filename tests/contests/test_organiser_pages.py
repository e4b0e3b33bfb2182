import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contests.enums import WorkPlanState
from contests.models import ChallengeNotice, ComplaintChannel, WorkPlan
from tests.contests.conftest import sign_in
from tests.factories.contests import (
    ChallengeNoticeFactory,
    ComplaintChannelFactory,
    HostMembershipFactory,
    WorkPlanFactory,
)

pytestmark = pytest.mark.django_db

STAGE_ORDER = ["demand_collection", "expert_analysis", "demand_publishing", "solution_collection",
               "docking", "live_round", "awards_and_services", "summary"]


def plan_post(stage_dates=None, **fields):
    """POST data of the work plan page: key fields and the eight pre-filled stage rows."""
    data = {
        "focus_areas": "光电芯片、人工智能",
        "goals": "征集企业技术需求",
        "target_demands": "120",
        "target_agreements": "30",
        "organisation": "市科技局承办",
        "service_agencies": "",
        "publicity": "",
        "support_policies": "",
        "stages-TOTAL_FORMS": "8",
        "stages-INITIAL_FORMS": "0",
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "8",
    }
    for index, stage in enumerate(STAGE_ORDER):
        data[f"stages-{index}-stage"] = stage
        data[f"stages-{index}-starts_on"] = ""
        data[f"stages-{index}-ends_on"] = ""
        data[f"stages-{index}-note"] = ""
    for index, (starts, ends) in (stage_dates or {}).items():
        data[f"stages-{index}-starts_on"] = starts
        data[f"stages-{index}-ends_on"] = ends
    data.update(fields)
    return data


ALL_REQUIRED_DATES = {index: (f"2021-{6 + index:02d}-01", f"2021-{6 + index:02d}-20")
                      if index < 7 else ("2022-01-04", "2022-01-28")
                      for index in range(8) if STAGE_ORDER[index] != "live_round"}


def url(name, unit, **kwargs):
    return reverse(f"contests:{name}", kwargs={"slug": unit.slug, **kwargs})


# --- access -----------------------------------------------------------------------------------
def test_organiser_home_lists_only_the_users_units(client, host_unit, other_host_unit,
                                                    host_organiser):
    page = sign_in(client, host_organiser).get(reverse("contests:organiser_home"))

    text = page.content.decode()
    assert host_unit.name in text
    assert other_host_unit.name not in text


@pytest.mark.parametrize("persona", ["stranger", "torch_staff", "challenger"])
def test_organiser_home_is_404_without_a_host_membership(client, host_unit, persona, request):
    user = request.getfixturevalue(persona)
    assert sign_in(client, user).get(reverse("contests:organiser_home")).status_code == 404


def test_organiser_pages_send_visitors_to_sign_in(client, host_unit):
    response = client.get(url("work_plan_edit", host_unit))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("name", ["work_plan_edit", "notice_list", "notice_create",
                                  "complaint_channels"])
def test_organiser_pages_of_another_unit_are_404(client, host_unit, other_host_organiser, name):
    assert sign_in(client, other_host_organiser).get(url(name, host_unit)).status_code == 404


def test_post_to_another_units_work_plan_is_404_and_changes_nothing(
        client, host_unit, other_host_organiser):
    plan = WorkPlanFactory(host_unit=host_unit, goals="原目标")

    response = sign_in(client, other_host_organiser).post(
        url("work_plan_edit", host_unit), plan_post(goals="别人改的"))

    assert response.status_code == 404
    assert WorkPlan.objects.get(pk=plan.pk).goals == "原目标"


# --- work plan --------------------------------------------------------------------------------
def test_work_plan_page_offers_one_row_per_stage(client, host_unit, host_organiser):
    page = sign_in(client, host_organiser).get(url("work_plan_edit", host_unit))

    text = page.content.decode()
    assert page.status_code == 200
    assert 'name="stages-TOTAL_FORMS" value="8"' in text
    assert 'name="stages-7-stage"' in text and 'name="stages-8-stage"' not in text


def test_work_plan_save_draft_creates_plan_and_stages(client, host_unit, host_organiser):
    response = sign_in(client, host_organiser).post(
        url("work_plan_edit", host_unit),
        plan_post({0: ("2021-06-01", "2021-07-31"), 4: ("2021-10-01", "2021-10-31")}),
    )

    assert response.status_code == 302
    plan = WorkPlan.objects.get(host_unit=host_unit)
    assert (plan.state, plan.goals, plan.target_demands) == (WorkPlanState.DRAFT,
                                                             "征集企业技术需求", 120)
    assert sorted(plan.stages.values_list("stage", flat=True)) == ["demand_collection",
                                                                   "docking"]
    assert plan.created_by == host_organiser


def test_work_plan_errors_keep_the_input_and_save_nothing(client, host_unit, host_organiser):
    response = sign_in(client, host_organiser).post(
        url("work_plan_edit", host_unit),
        plan_post({0: ("2021-07-31", "2021-06-01")}, focus_areas="保留这段输入",
                  target_demands="很多"),
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "保留这段输入" in text
    assert 'value="2021-07-31"' in text
    assert "A stage cannot end before it starts." in text
    assert "Enter a whole number." in text
    assert not WorkPlan.objects.filter(host_unit=host_unit).exists()


def test_work_plan_duplicate_stage_rows_are_refused(client, host_unit, host_organiser):
    data = plan_post({0: ("2021-06-01", "2021-06-30"), 1: ("2021-07-01", "2021-07-30")})
    data["stages-1-stage"] = "demand_collection"

    response = sign_in(client, host_organiser).post(url("work_plan_edit", host_unit), data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for stage" in response.content.decode()
    assert not WorkPlan.objects.filter(host_unit=host_unit).exists()


def test_work_plan_save_and_submit(client, host_unit, host_organiser):
    response = sign_in(client, host_organiser).post(
        url("work_plan_edit", host_unit), plan_post(ALL_REQUIRED_DATES, submit="1"))

    assert response.status_code == 302
    plan = WorkPlan.objects.get(host_unit=host_unit)
    assert plan.state == WorkPlanState.SUBMITTED
    assert plan.stages.count() == 7
    assert list(plan.transitions.values_list("from_state", "to_state", "actor")) == [
        ("draft", "submitted", host_organiser.pk)]


def test_work_plan_incomplete_submit_is_saved_as_draft_with_a_clear_message(
        client, host_unit, host_organiser):
    response = sign_in(client, host_organiser).post(
        url("work_plan_edit", host_unit), plan_post({0: ("2021-06-01", "2021-06-30")},
                                                    submit="1"), follow=True)

    text = response.content.decode()
    assert "not submitted" in text and "Expert analysis of demands" in text
    plan = WorkPlan.objects.get(host_unit=host_unit)
    assert plan.state == WorkPlanState.DRAFT
    assert plan.stages.count() == 1


def test_submitted_work_plan_is_read_only(client, host_unit, host_organiser):
    plan = WorkPlanFactory(host_unit=host_unit, state=WorkPlanState.SUBMITTED, goals="已提交的目标")
    client = sign_in(client, host_organiser)

    page = client.get(url("work_plan_edit", host_unit)).content.decode()
    response = client.post(url("work_plan_edit", host_unit), plan_post(goals="偷偷修改"))

    assert "已提交的目标" in page and 'name="goals"' not in page
    assert response.status_code == 200
    assert "cannot be changed now" in response.content.decode()
    assert WorkPlan.objects.get(pk=plan.pk).goals == "已提交的目标"


def test_returned_work_plan_shows_the_comments_and_can_be_resubmitted(
        client, host_unit, host_organiser):
    plan = WorkPlanFactory(host_unit=host_unit, state=WorkPlanState.RETURNED, with_stages=True,
                           review_comment="请补充地方支持政策")
    client = sign_in(client, host_organiser)

    page = client.get(url("work_plan_edit", host_unit)).content.decode()
    stages = list(plan.stages.order_by("pk"))
    data = plan_post(submit="1", support_policies="按市级政策给予补助")
    # the seven scheduled rows come first, then the blank live-round row
    data.update({"stages-TOTAL_FORMS": "8", "stages-INITIAL_FORMS": "7"})
    ordered = sorted(stages, key=lambda row: STAGE_ORDER.index(row.stage))
    for index, row in enumerate(ordered):
        data.update({f"stages-{index}-id": str(row.pk), f"stages-{index}-work_plan": str(plan.pk),
                     f"stages-{index}-stage": row.stage,
                     f"stages-{index}-starts_on": row.starts_on.isoformat(),
                     f"stages-{index}-ends_on": row.ends_on.isoformat()})
    data.update({"stages-7-stage": "live_round", "stages-7-starts_on": "",
                 "stages-7-ends_on": ""})
    response = client.post(url("work_plan_edit", host_unit), data)

    assert "请补充地方支持政策" in page
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.state, plan.support_policies) == (WorkPlanState.RESUBMITTED, "按市级政策给予补助")
    assert plan.stages.count() == 7


# --- challenge notices ------------------------------------------------------------------------
def test_notice_create_and_publish(client, host_unit, host_organiser):
    client = sign_in(client, host_organiser)
    response = client.post(url("notice_create", host_unit),
                           {"title": "挑战须知", "body": "面向全社会征集挑战者", "publish": "1"})

    assert response.status_code == 302
    notice = ChallengeNotice.objects.get(host_unit=host_unit)
    assert (notice.is_published, notice.published_by, notice.created_by) == (
        True, host_organiser, host_organiser)
    assert "面向全社会征集挑战者" in client.get(host_unit.get_absolute_url()).content.decode()


def test_notice_errors_keep_the_input(client, host_unit, host_organiser):
    response = sign_in(client, host_organiser).post(
        url("notice_create", host_unit), {"title": "", "body": "保留的正文"})

    assert response.status_code == 200
    assert "保留的正文" in response.content.decode()
    assert not ChallengeNotice.objects.exists()


def test_notice_publish_and_withdraw(client, host_unit, host_organiser):
    notice = ChallengeNoticeFactory(host_unit=host_unit)
    client = sign_in(client, host_organiser)

    client.post(url("notice_publish", host_unit, pk=notice.pk), {"publish": "1"})
    notice.refresh_from_db()
    assert notice.is_published and notice.published_by == host_organiser

    client.post(url("notice_publish", host_unit, pk=notice.pk), {"publish": "0"})
    notice.refresh_from_db()
    assert not notice.is_published


def test_notice_of_another_unit_cannot_be_edited_or_published(client, host_unit,
                                                               other_host_unit, host_organiser):
    foreign = ChallengeNoticeFactory(host_unit=other_host_unit, title="别家的须知")
    client = sign_in(client, host_organiser)

    # through the other unit's URL, and smuggled under the user's own unit
    assert client.get(url("notice_edit", other_host_unit, pk=foreign.pk)).status_code == 404
    assert client.post(url("notice_edit", host_unit, pk=foreign.pk),
                       {"title": "改掉", "body": "改掉"}).status_code == 404
    assert client.post(url("notice_publish", host_unit, pk=foreign.pk),
                       {"publish": "1"}).status_code == 404
    foreign.refresh_from_db()
    assert (foreign.title, foreign.is_published) == ("别家的须知", False)


# --- complaint channels -----------------------------------------------------------------------
def test_complaint_channel_add_edit_delete(client, host_unit, host_organiser):
    client = sign_in(client, host_organiser)
    client.post(url("complaint_channels", host_unit),
                {"name": "市科技局", "phone": "029-86786000", "email": "a@example.cn",
                 "address": "凤城八路", "position": "1"})
    channel = ComplaintChannel.objects.get(host_unit=host_unit)

    client.post(url("complaint_channel_edit", host_unit, pk=channel.pk),
                {"name": "市科技局成果处", "phone": "13800138000", "email": "", "address": "",
                 "position": "2"})
    channel.refresh_from_db()
    assert (channel.name, channel.phone) == ("市科技局成果处", "13800138000")

    client.post(url("complaint_channel_delete", host_unit, pk=channel.pk))
    assert not ComplaintChannel.objects.filter(pk=channel.pk).exists()


def test_complaint_channel_bad_phone_keeps_the_input(client, host_unit, host_organiser):
    response = sign_in(client, host_organiser).post(
        url("complaint_channels", host_unit),
        {"name": "保留的机构名", "phone": "打电话", "email": "", "address": "", "position": "0"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "保留的机构名" in text and "Enter a telephone number" in text
    assert not ComplaintChannel.objects.exists()


def test_complaint_channel_of_another_unit_cannot_be_deleted(client, host_unit, other_host_unit,
                                                              host_organiser):
    foreign = ComplaintChannelFactory(host_unit=other_host_unit)
    client = sign_in(client, host_organiser)

    assert client.post(url("complaint_channel_delete", host_unit, pk=foreign.pk)).status_code == 404
    assert client.post(url("complaint_channel_delete", other_host_unit,
                           pk=foreign.pk)).status_code == 404
    assert ComplaintChannel.objects.filter(pk=foreign.pk).exists()


def _organiser_home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("contests:organiser_home"))
    assert response.status_code == 200
    return len(queries)


def test_organiser_home_query_count_does_not_grow_with_units(client, host_organiser, host_unit):
    client = sign_in(client, host_organiser)
    client.get(reverse("contests:organiser_home"))  # warm the session
    one = _organiser_home_queries(client)
    for _ in range(2):
        unit = HostMembershipFactory(user=host_organiser).host_unit
        WorkPlanFactory(host_unit=unit)
        for _ in range(3):
            ChallengeNoticeFactory(host_unit=unit)
            ComplaintChannelFactory(host_unit=unit)

    assert _organiser_home_queries(client) == one
    # session, user, the sign-in checks of accounts, the units with their counts, and what
    # the navigation shows: a fixed handful
    assert one <= 10, one
