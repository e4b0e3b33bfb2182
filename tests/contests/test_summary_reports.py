"""The host units' summary reports: figures frozen at submission equal direct counts of the
data, and stay as they were when the data change; the workflow (submit, return, resubmit,
rate); two editors; scoping (404 for other units' staff and strangers); the Torch Center's
review seen by the unit; the print view."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import ActivityLog
from awards.enums import ContractKind
from awards.models import Award, SubsidyApplication, SubsidyPolicy, TechnologyContract
from complaints import services as complaint_services
from complaints.models import Complaint
from contests import summary_services as services
from contests.enums import SummaryState
from contests.exceptions import ContestsError, IllegalTransition
from contests.models import SummaryReport
from contests.summary import register_figure, unregister_figure
from dashboards import funnel
from demands.models import Demand
from matching.models import DockingSession, IntentionAgreement, LiveRound
from notifications.models import Notification
from solutions.enums import ResponseKind
from solutions.models import DemandResponse, Solution
from solutions.services.responses import record_response
from tests.contests.conftest import sign_in
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.contests import HostMembershipFactory, SummaryReportFactory
from tests.factories.demands import DemandFactory
from tests.factories.solutions import SolutionFactory

pytestmark = pytest.mark.django_db


def _unit_data(unit, *, published, submitted, drafts, solutions, cancelled_dockings,
               dockings, agreements, draft_agreements, rounds, awards, subsidies=(),
               complaints_by=None):
    """Rows of one host unit, with rows that must not count (drafts, cancelled, unconfirmed)."""
    now = timezone.now()
    organiser = UserFactory()
    made = []
    for status, count in (("published", published), ("submitted", submitted),
                          ("draft", drafts)):
        for _n in range(count):
            demand = DemandFactory(host_unit=unit, status=status)
            Demand.objects.filter(pk=demand.pk).update(
                submitted_at=None if status == "draft" else now,
                published_at=now if status == "published" else None)
            made.append(demand)
    first = made[0]
    for index in range(solutions):
        solution = SolutionFactory(demand=first, status="submitted", submitted_at=now)
        if index == 0:
            record_response(first, kind=ResponseKind.SOLUTION,
                            source_ref=f"solutions.Solution:{solution.pk}")
    SolutionFactory(demand=first, status="draft", submitted_at=None)
    for state, count in (("scheduled", dockings), ("cancelled", cancelled_dockings)):
        for _n in range(count):
            session = DockingSession.objects.create(
                host_unit=unit, title=f"对接会{state}", mode="online",
                link="https://meet.example.cn/1", starts_at=now, ends_at=now, state=state,
                created_by=organiser)
            session.demands.set([first])
    partner = OrganisationFactory()
    agreement = None
    for state, count in (("confirmed", agreements), ("draft", draft_agreements)):
        for _n in range(count):
            row = IntentionAgreement.objects.create(
                demand=first, partner=partner, cooperation_mode="joint", amount=50,
                signed_on=now.date(), state=state, created_by=organiser)
            agreement = agreement or row
    live_round = None
    for _n in range(rounds):
        live_round = LiveRound.objects.create(demand=first, host_unit=unit, title="现场赛",
                                              starts_at=now, created_by=organiser)
    for amount in awards:
        Award.objects.create(demand=first, host_unit=unit, live_round=live_round,
                             recipient=partner, payer=first.organisation, title="优胜奖",
                             amount=amount, due_on=now.date(), clause="奖金不附加条件",
                             created_by=organiser)
    if agreement is not None:
        TechnologyContract.objects.create(agreement=agreement, host_unit=unit,
                                          number=f"HT-{unit.pk}", kind=ContractKind.values[0],
                                          amount=80, signed_on=now.date(),
                                          registered_by=organiser)
    for index, (state, amount) in enumerate(subsidies):
        # Only the approved ones count, at their approved amount. One application per policy
        # and agreement: a policy each.
        policy = SubsidyPolicy.objects.create(
            host_unit=unit, title=f"对接补助{index}", description="补助", max_amount=100,
            eligibility="达成合作意向的需求方", opens_on=now.date(), closes_on=now.date(),
            created_by=organiser)
        SubsidyApplication.objects.create(
            policy=policy, host_unit=unit, agreement=agreement,
            organisation=first.organisation, applicant=organiser, amount_asked=amount + 1,
            justification="理由", state=state,
            amount_approved=amount if state == "approved" else None)
    if complaints_by is not None:
        complaint_services.file_complaint(
            complainant=complaints_by, target_key="demands.demand", reference=first.ref,
            category="process", description="流程问题")
    return made


@pytest.fixture
def data(host_unit, other_host_unit, challenger):
    _unit_data(host_unit, published=3, submitted=2, drafts=1, solutions=2,
               cancelled_dockings=1, dockings=2, agreements=1, draft_agreements=1, rounds=1,
               awards=[Decimal("10"), Decimal("2.5")],
               subsidies=[("approved", Decimal("20")), ("approved", Decimal("5.5")),
                          ("declined", Decimal("9")), ("submitted", Decimal("3"))],
               complaints_by=challenger)
    _unit_data(other_host_unit, published=1, submitted=0, drafts=2, solutions=1,
               cancelled_dockings=0, dockings=1, agreements=2, draft_agreements=0, rounds=2,
               awards=[Decimal("7")], subsidies=[("approved", Decimal("4"))])


def direct_counts(unit):
    """Each figure counted straight from its table, without the figure functions."""
    demands = Demand.objects.filter(host_unit=unit)
    return {
        "demands_collected": demands.exclude(submitted_at__isnull=True,
                                             entered_by_host=False).count(),
        "demands_published": demands.filter(published_at__isnull=False).count(),
        "demands_answered": DemandResponse.objects.filter(demand__host_unit=unit)
        .values("demand").distinct().count(),
        "solutions": Solution.objects.filter(demand__host_unit=unit)
        .exclude(status="draft").count(),
        "dockings": DockingSession.objects.filter(host_unit=unit)
        .exclude(state="cancelled").count(),
        "agreements": IntentionAgreement.objects.filter(demand__host_unit=unit,
                                                        state="confirmed").count(),
        "live_rounds": LiveRound.objects.filter(host_unit=unit).count(),
        "awards": Award.objects.filter(host_unit=unit).count(),
        "award_amount": str(sum((award.amount for award in Award.objects.filter(
            host_unit=unit)), Decimal("0")).quantize(Decimal("0.01"))),
        "subsidies": SubsidyApplication.objects.filter(host_unit=unit,
                                                       state="approved").count(),
        "subsidy_amount": str(sum((row.amount_approved for row in SubsidyApplication.objects
                                   .filter(host_unit=unit, state="approved")),
                                  Decimal("0")).quantize(Decimal("0.01"))),
        "contracts": TechnologyContract.objects.filter(host_unit=unit).count(),
        "complaints": Complaint.objects.filter(host_unit=unit).count(),
    }


def submitted_report(unit, actor):
    report = SummaryReportFactory(host_unit=unit)
    services.submit_summary_report(report, actor=actor)
    return SummaryReport.objects.get(pk=report.pk)


def frozen(report):
    return {row["key"]: row["value"] for row in report.figures}


# --- the figures ------------------------------------------------------------------------------
def test_frozen_figures_equal_direct_counts_in_each_unit(data, host_unit, other_host_unit,
                                                          host_organiser,
                                                          other_host_organiser):
    mine = submitted_report(host_unit, host_organiser)
    theirs = submitted_report(other_host_unit, other_host_organiser)

    assert frozen(mine) == direct_counts(host_unit)
    assert frozen(theirs) == direct_counts(other_host_unit)
    # The data were built so the units differ in every count that can differ.
    assert frozen(mine) == {
        "demands_collected": 5, "demands_published": 3, "demands_answered": 1,
        "solutions": 2, "dockings": 2, "agreements": 1, "live_rounds": 1, "awards": 2,
        "award_amount": "12.50", "subsidies": 2, "subsidy_amount": "25.50", "contracts": 1,
        "complaints": 1,
    }
    assert frozen(theirs)["award_amount"] == "7.00" and frozen(theirs)["agreements"] == 2


def test_frozen_figures_agree_with_the_dashboard_funnel(data, host_unit, host_organiser):
    report = submitted_report(host_unit, host_organiser)
    keys = {"collected": "demands_collected", "published": "demands_published",
            "answered": "demands_answered", "solutions": "solutions", "docking": "dockings",
            "agreements": "agreements", "live_rounds": "live_rounds", "awards": "awards",
            "contracts": "contracts"}

    funnel_counts = {keys[stage.key]: funnel.scoped(stage, {host_unit.pk}).count()
                     for stage in funnel.STAGES}

    assert {key: frozen(report)[key] for key in funnel_counts} == funnel_counts


def test_figures_do_not_change_after_submission(data, host_unit, host_organiser, challenger):
    report = submitted_report(host_unit, host_organiser)
    before = list(report.figures)

    DemandFactory(host_unit=host_unit, status="published")
    demand = Demand.objects.filter(host_unit=host_unit).first()
    Award.objects.create(demand=demand, host_unit=host_unit, recipient=OrganisationFactory(),
                         payer=demand.organisation, title="鼓励奖", amount=3,
                         due_on=timezone.localdate(), clause="x", created_by=host_organiser)

    stored = SummaryReport.objects.get(pk=report.pk)
    assert stored.figures == before
    assert direct_counts(host_unit)["awards"] == frozen(stored)["awards"] + 1
    page = sign_in_get(host_unit, host_organiser, reverse("contests:summary_edit",
                                                          args=[host_unit.slug]))
    assert [value for _label, value, _unit in page.context["figures"]] == [
        row["value"] for row in before]


def test_a_resubmitted_report_freezes_the_figures_of_its_new_submission(
        data, host_unit, host_organiser, torch_staff):
    report = submitted_report(host_unit, host_organiser)
    services.return_summary_report(report, actor=torch_staff, comment="请补充对接成效数据")
    DemandFactory(host_unit=host_unit, status="submitted")

    services.submit_summary_report(report, actor=host_organiser)

    stored = SummaryReport.objects.get(pk=report.pk)
    assert frozen(stored) == direct_counts(host_unit)
    assert frozen(stored)["demands_collected"] == 6


def test_a_figure_registered_by_another_app_is_frozen_too(host_unit, host_organiser):
    register_figure("subsidies_test", "Subsidies approved", lambda unit: 4, order=200)
    try:
        report = submitted_report(host_unit, host_organiser)
    finally:
        unregister_figure("subsidies_test")
    assert report.figures[-1] == {"key": "subsidies_test", "label": "Subsidies approved",
                                  "value": 4, "unit": ""}
    # Once the figure is gone the stored label still reads.
    assert report.figure_rows()[-1] == ("Subsidies approved", 4, "")


# --- the workflow -----------------------------------------------------------------------------
def history(report):
    return list(report.transitions.values_list("from_state", "to_state", "actor_id", "reason"))


def test_submit_return_resubmit_rate_is_recorded_and_audited(host_unit, host_organiser,
                                                              torch_staff):
    report = SummaryReportFactory(host_unit=host_unit)
    services.submit_summary_report(report, actor=host_organiser)
    services.return_summary_report(report, actor=torch_staff, comment="经验部分过于笼统")
    returned = SummaryReport.objects.get(pk=report.pk)
    assert (returned.state, returned.review_comment) == (SummaryState.RETURNED,
                                                         "经验部分过于笼统")
    services.submit_summary_report(returned, actor=host_organiser)
    services.review_summary_report(returned, actor=torch_staff, rating="good",
                                   comment="材料翔实")

    stored = SummaryReport.objects.get(pk=report.pk)
    assert (stored.state, stored.rating, stored.review_comment, stored.reviewed_by) == (
        SummaryState.REVIEWED, "good", "材料翔实", torch_staff)
    assert history(stored) == [
        ("draft", "submitted", host_organiser.pk, ""),
        ("submitted", "returned", torch_staff.pk, "经验部分过于笼统"),
        ("returned", "submitted", host_organiser.pk, ""),
        ("submitted", "reviewed", torch_staff.pk, "材料翔实"),
    ]
    assert list(ActivityLog.objects.filter(action__startswith="portal.summary_report.")
                .order_by("pk").values_list("action", flat=True)) == [
        "portal.summary_report.submit", "portal.summary_report.return",
        "portal.summary_report.submit", "portal.summary_report.review"]


def test_an_incomplete_report_cannot_be_submitted(host_unit, host_organiser):
    report = SummaryReportFactory(host_unit=host_unit, shortcomings="", suggestions=" ")

    with pytest.raises(ContestsError) as error:
        services.submit_summary_report(report, actor=host_organiser)

    assert "shortcomings and their causes" in str(error.value)
    assert "opinions and suggestions" in str(error.value)
    assert SummaryReport.objects.get(pk=report.pk).state == SummaryState.DRAFT


def test_a_rating_is_required_and_only_a_submitted_report_is_rated(host_unit, host_organiser,
                                                                    torch_staff):
    report = SummaryReportFactory(host_unit=host_unit)
    with pytest.raises(IllegalTransition):
        services.review_summary_report(report, actor=torch_staff, rating="excellent")
    services.submit_summary_report(report, actor=host_organiser)
    with pytest.raises(ContestsError) as error:
        services.review_summary_report(report, actor=torch_staff, rating="")
    assert error.value.field == "rating"
    with pytest.raises(ContestsError):
        services.return_summary_report(report, actor=torch_staff, comment="  ")
    assert SummaryReport.objects.get(pk=report.pk).state == SummaryState.SUBMITTED


def test_only_the_units_staff_submit_and_only_torch_staff_rate(host_unit, host_organiser,
                                                                other_host_organiser,
                                                                torch_staff):
    from django.core.exceptions import PermissionDenied

    report = SummaryReportFactory(host_unit=host_unit)
    for actor in (other_host_organiser, torch_staff):
        with pytest.raises(PermissionDenied):
            services.submit_summary_report(report, actor=actor)
    services.submit_summary_report(report, actor=host_organiser)
    for actor in (host_organiser, other_host_organiser):
        with pytest.raises(PermissionDenied):
            services.review_summary_report(report, actor=actor, rating="excellent")
    assert SummaryReport.objects.get(pk=report.pk).state == SummaryState.SUBMITTED


def test_a_submitted_report_cannot_be_edited(host_unit, host_organiser):
    report = SummaryReportFactory(host_unit=host_unit)
    services.submit_summary_report(report, actor=host_organiser)

    with pytest.raises(ContestsError):
        services.save_summary_report(host_unit, actor=host_organiser,
                                     sections={"implementation": "改"})
    assert SummaryReport.objects.get(pk=report.pk).implementation == report.implementation


def test_submission_notifies_torch_staff_and_the_rating_the_units_staff(
        host_unit, host_organiser, torch_staff):
    colleague = HostMembershipFactory(host_unit=host_unit).user
    host_organiser.language = "en"
    host_organiser.save(update_fields=["language"])
    colleague.language = "zh-hans"
    colleague.save(update_fields=["language"])
    report = SummaryReportFactory(host_unit=host_unit)
    services.submit_summary_report(report, actor=host_organiser)
    assert list(Notification.objects.filter(kind="summary.submitted")
                .values_list("recipient_id", flat=True)) == [torch_staff.pk]

    services.review_summary_report(report, actor=torch_staff, rating="excellent",
                                   comment="成效显著")

    reviewed = Notification.objects.filter(kind="summary.reviewed")
    assert set(reviewed.values_list("recipient_id", flat=True)) == {host_organiser.pk,
                                                                    colleague.pk}
    # The rating is worded in each recipient's own language.
    texts = dict(reviewed.values_list("recipient_id", "text"))
    assert "Excellent" in texts[host_organiser.pk] and "优秀" in texts[colleague.pk]


# --- the pages --------------------------------------------------------------------------------
def sign_in_get(unit, user, url, client=None):
    from django.test import Client

    client = client or Client(HTTP_ACCEPT_LANGUAGE="en")
    sign_in(client, user)
    return client.get(url)


SECTIONS = {"implementation": "完成需求征集与发布", "results": "对接效率提高",
            "shortcomings": "征集期偏短", "suggestions": "延长征集期"}


def test_the_host_writes_saves_and_submits_on_the_page(client, host_unit, host_organiser):
    sign_in(client, host_organiser)
    url = reverse("contests:summary_edit", args=[host_unit.slug])
    assert client.get(url).status_code == 200

    response = client.post(url, {**SECTIONS, "save": ""})
    assert response.status_code == 302
    report = SummaryReport.objects.get(host_unit=host_unit)
    assert (report.state, report.results) == (SummaryState.DRAFT, "对接效率提高")

    page = client.get(url)
    response = client.post(url, {**SECTIONS, "results": "对接效率显著提高", "submit": "",
                                 "edit_token": page.context["form"]["edit_token"].value()})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.results) == (SummaryState.SUBMITTED, "对接效率显著提高")
    assert report.figures and report.figures_at is not None


def test_two_editors_the_second_save_is_refused_and_keeps_what_was_typed(
        client, host_unit, host_organiser):
    colleague = HostMembershipFactory(host_unit=host_unit).user
    host_organiser.language = "en"
    host_organiser.save(update_fields=["language"])
    colleague.language = "zh-hans"
    colleague.save(update_fields=["language"])
    report = SummaryReportFactory(host_unit=host_unit)
    url = reverse("contests:summary_edit", args=[host_unit.slug])
    sign_in(client, host_organiser)
    token = client.get(url).context["form"]["edit_token"].value()
    # The colleague saves first.
    services.save_summary_report(host_unit, actor=colleague,
                                 sections={**SECTIONS, "results": "同事的版本"},
                                 token=token)

    response = client.post(url, {**SECTIONS, "results": "我的版本", "save": "",
                                 "edit_token": token})

    assert response.status_code == 400
    assert "Someone else saved this" in response.content.decode()
    assert response.context["form"]["results"].value() == "我的版本"
    assert SummaryReport.objects.get(pk=report.pk).results == "同事的版本"


def test_other_units_staff_and_strangers_get_404(client, host_unit, host_organiser,
                                                 other_host_organiser, challenger,
                                                 torch_staff):
    report = SummaryReportFactory(host_unit=host_unit)
    services.submit_summary_report(report, actor=host_organiser)
    urls = [reverse("contests:summary_edit", args=[host_unit.slug]),
            reverse("contests:summary_print", args=[report.pk])]
    torch_urls = [reverse("contests:torch_summaries"),
                  reverse("contests:torch_summary", args=[report.pk])]

    for user in (other_host_organiser, challenger):
        sign_in(client, user)
        assert [client.get(url).status_code for url in urls + torch_urls] == [404] * 4
        assert client.post(urls[0], SECTIONS).status_code == 404
    sign_in(client, host_organiser)
    assert [client.get(url).status_code for url in torch_urls] == [404, 404]
    sign_in(client, torch_staff)
    assert [client.get(url).status_code for url in urls[1:] + torch_urls] == [200] * 3
    assert SummaryReport.objects.get(pk=report.pk).results == report.results


def test_torch_rates_on_the_page_and_the_unit_reads_rating_and_comments(
        client, host_unit, host_organiser, torch_staff):
    report = SummaryReportFactory(host_unit=host_unit)
    services.submit_summary_report(report, actor=host_organiser)
    sign_in(client, torch_staff)
    listing = client.get(reverse("contests:torch_summaries"))
    assert report.host_unit in listing.context["units"]
    url = reverse("contests:torch_summary", args=[report.pk])

    assert client.post(url, {"action": "review", "review-comment": "x"}).status_code == 400
    response = client.post(url, {"action": "review", "review-rating": "excellent",
                                 "review-comment": "组织有力，成效显著"})

    assert response.status_code == 302
    sign_in(client, host_organiser)
    page = client.get(reverse("contests:summary_edit", args=[host_unit.slug]))
    html = page.content.decode()
    assert "Excellent" in html and "组织有力，成效显著" in html
    reviewed = client.get(reverse("contests:torch_summaries") + "?status=reviewed")
    assert reviewed.status_code == 404


def test_the_torch_list_shows_pending_units_by_default(client, host_unit, other_host_unit,
                                                       host_organiser, torch_staff):
    report = SummaryReportFactory(host_unit=host_unit)
    services.submit_summary_report(report, actor=host_organiser)
    services.review_summary_report(report, actor=torch_staff, rating="pass")
    sign_in(client, torch_staff)

    pending = client.get(reverse("contests:torch_summaries")).context["units"]
    reviewed = client.get(reverse("contests:torch_summaries") + "?status=reviewed")

    assert other_host_unit in pending and host_unit not in pending
    assert list(reviewed.context["units"]) == [host_unit]


def test_the_print_view_has_the_sections_and_figures_and_no_script(
        client, data, host_unit, host_organiser):
    report = SummaryReportFactory(host_unit=host_unit)
    services.submit_summary_report(report, actor=host_organiser)
    sign_in(client, host_organiser)
    edit_page = client.get(reverse("contests:summary_edit", args=[host_unit.slug]))
    print_url = reverse("contests:summary_print", args=[report.pk])
    assert print_url in edit_page.content.decode()

    response = client.get(print_url)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<script" not in html and "css/print.css" in html
    for text in (report.implementation, report.results, report.shortcomings,
                 report.suggestions, "Demands collected", "Amount of awards", "12.50"):
        assert text in html


def test_the_workspace_shows_the_report_to_host_and_torch_staff(client, host_unit,
                                                                host_organiser, torch_staff):
    report = SummaryReportFactory(host_unit=host_unit)
    services.submit_summary_report(report, actor=host_organiser)
    sign_in(client, host_organiser)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("contests:summary_edit", args=[host_unit.slug]) in html
    sign_in(client, torch_staff)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "1 summary report waits for your rating." in html


def test_summary_dates_are_shanghai_dates_on_the_scorecard(host_unit, host_organiser):
    from contests.enums import Stage
    from dashboards.scorecards import summary_on_time
    from tests.factories.contests import WorkPlanFactory, WorkPlanStageFactory

    due = datetime.date(2026, 12, 31)
    plan = WorkPlanFactory(host_unit=host_unit)
    WorkPlanStageFactory(work_plan=plan, stage=Stage.SUMMARY, starts_on=due, ends_on=due)
    # 17:30 UTC on the 31st is already 1 January in Shanghai: late.
    report = SummaryReportFactory(host_unit=host_unit, submitted=True, submitted_at=(
        datetime.datetime(2026, 12, 31, 17, 30, tzinfo=datetime.UTC)))
    assert summary_on_time(report, due, due) is False
    report.submitted_at = datetime.datetime(2026, 12, 31, 15, 30, tzinfo=datetime.UTC)
    assert summary_on_time(report, due, due) is True
    assert summary_on_time(None, due, due) is None
    assert summary_on_time(None, due, due + datetime.timedelta(days=1)) is False
