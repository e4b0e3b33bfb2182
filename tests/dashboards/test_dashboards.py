"""The figures equal direct counts of the rows they summarise, host organisers see their own
units only, and every figure's list holds exactly the rows it counts."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.enums import ContractKind
from awards.models import Award, TechnologyContract
from complaints import services as complaint_services
from dashboards import funnel
from demands.models import Demand
from matching.models import DockingSession, IntentionAgreement, LiveRound
from solutions.enums import ResponseKind
from solutions.models import DemandResponse, Solution
from solutions.services.responses import record_response
from tests.contests.conftest import _english, sign_in  # noqa: F401
from tests.factories.accounts import OrganisationFactory, UserFactory
from tests.factories.contests import IndustryFieldFactory
from tests.factories.demands import DemandFactory
from tests.factories.solutions import SolutionFactory


@pytest.fixture
def data(host_unit, other_host_unit):
    field_a, field_b = IndustryFieldFactory(), IndustryFieldFactory()
    now = timezone.now()
    made = []
    for unit, status, field, region, days in [
        (host_unit, "published", field_a, "610104", 0),
        (host_unit, "published", field_b, "610100", 8),
        (host_unit, "submitted", field_a, "110108", 1),
        (host_unit, "draft", field_a, "610104", 0),
        (other_host_unit, "published", field_a, "110108", 15),
        (other_host_unit, "in_analysis", field_b, "310000", 2),
    ]:
        demand = DemandFactory(host_unit=unit, status=status, industry_field=field,
                               region=region)
        submitted = None if status == "draft" else now - datetime.timedelta(days=days)
        published = now - datetime.timedelta(days=days) if status == "published" else None
        Demand.objects.filter(pk=demand.pk).update(submitted_at=submitted,
                                                   published_at=published)
        made.append(demand)
    first, second, _submitted, _draft, foreign = made[0], made[1], made[2], made[3], made[4]
    # Two solutions (and a draft, which is not counted) on the first demand, one on the
    # foreign unit's; each submitted solution answers its demand.
    for demand, status in [(first, "submitted"), (first, "shortlisted"), (first, "draft"),
                           (foreign, "submitted")]:
        solution = SolutionFactory(demand=demand, status=status,
                                   submitted_at=None if status == "draft" else now)
        if status != "draft":
            record_response(demand, kind=ResponseKind.SOLUTION,
                            source_ref=f"solutions.Solution:{solution.pk}")
    # One docking session for two demands of different fields: one session, counted once per
    # group; a cancelled one is not counted.
    organiser = UserFactory()
    for state in ("scheduled", "cancelled"):
        session = DockingSession.objects.create(
            host_unit=host_unit, title=f"对接会{state}", mode="online",
            link="https://meet.example.cn/1", starts_at=now, ends_at=now, state=state,
            created_by=organiser)
        session.demands.set([first, second])
    agreements = [IntentionAgreement.objects.create(
        demand=first, partner=OrganisationFactory(), cooperation_mode="joint", amount=50,
        signed_on=now.date(), state=state, created_by=organiser)
        for state in ("confirmed", "draft")]
    live_round = LiveRound.objects.create(demand=first, host_unit=host_unit, title="现场赛",
                                          starts_at=now, created_by=organiser)
    Award.objects.create(demand=first, host_unit=host_unit, live_round=live_round,
                         recipient=agreements[0].partner, payer=first.organisation,
                         title="一等奖", amount=20, due_on=now.date(), clause="奖金不附加条件",
                         created_by=organiser)
    Award.objects.create(demand=foreign, host_unit=other_host_unit,
                         recipient=OrganisationFactory(), payer=foreign.organisation,
                         title="二等奖", amount="15.00", due_on=now.date(),
                         clause="奖金不附加条件", created_by=organiser)
    TechnologyContract.objects.create(agreement=agreements[0], host_unit=host_unit,
                                      number="HT-2026-001", kind=CONTRACT_KIND, amount=80,
                                      signed_on=now.date(), registered_by=organiser)
    return made


CONTRACT_KIND = ContractKind.values[0]


def _direct(stage_key, unit_ids=None):
    rows = Demand.objects.all()
    if unit_ids is not None:
        rows = rows.filter(host_unit_id__in=unit_ids)
    if stage_key == "collected":
        return rows.exclude(submitted_at__isnull=True, entered_by_host=False)
    if stage_key == "answered":
        answered = rows.filter(responses__isnull=False).values("pk")
        return _first_of(answered)
    if stage_key == "solutions":
        return Solution.objects.filter(demand__in=rows).exclude(status="draft")
    if stage_key == "docking":
        return DockingSession.objects.filter(demands__in=rows).exclude(
            state="cancelled").distinct()
    if stage_key == "agreements":
        return IntentionAgreement.objects.filter(demand__in=rows, state="confirmed")
    if stage_key == "live_rounds":
        return LiveRound.objects.filter(demand__in=rows)
    if stage_key == "awards":
        return Award.objects.filter(demand__in=rows)
    if stage_key == "contracts":
        return TechnologyContract.objects.filter(agreement__demand__in=rows)
    return rows.filter(published_at__isnull=False)


def _direct_amount(stage_key, unit_ids=None):
    """The amounts (万元) of the stage's rows, added up in Python."""
    return sum((row.amount for row in _direct(stage_key, unit_ids)), Decimal(0))


def _first_of(answered_demands):
    """The first response of each answered demand, found without the funnel's subquery."""
    first = {}
    for response in DemandResponse.objects.filter(demand__in=answered_demands).order_by(
            "at", "pk"):
        first.setdefault(response.demand_id, response.pk)
    return DemandResponse.objects.filter(pk__in=first.values())


@pytest.mark.parametrize("dimension", list(funnel.DIMENSIONS))
def test_every_breakdown_adds_up_and_drills_to_its_rows(data, dimension):
    for stage in funnel.STAGES:
        direct = _direct(stage.key)
        rows = funnel.breakdown(stage, None, dimension)
        if dimension in stage.spans:
            # One session for demands of two fields is counted under each field.
            assert sum(n for _key, _label, n, _amount in rows) >= direct.count()
        else:
            assert sum(n for _key, _label, n, _amount in rows) == direct.count()
        if stage.amount:
            assert sum(amount for *_row, amount in rows) == _direct_amount(stage.key)
        for key, _label, n, _amount in rows:
            listed = funnel.drill(stage, None, dimension, key)
            assert listed.count() == n
            assert set(listed.values_list("pk", flat=True)) <= set(
                direct.values_list("pk", flat=True))


def test_totals_equal_direct_counts(data, host_unit):
    assert [(stage.key, n) for stage, n, _amount in funnel.totals(None)] == [
        ("collected", _direct("collected").count()), ("published", 3), ("answered", 2),
        ("solutions", 3), ("docking", 1), ("agreements", 1), ("live_rounds", 1), ("awards", 2),
        ("contracts", 1)]
    assert [n for _stage, n, _amount in funnel.totals({host_unit.pk})] == [
        _direct("collected", [host_unit.pk]).count(), 2, 1, 2, 1, 1, 1, 1, 1]


def test_region_folds_to_provinces(data):
    stage = funnel.STAGE_BY_KEY["collected"]
    rows = {key: n for key, _label, n, _amount in funnel.breakdown(stage, None, "region")}
    assert rows == {"610000": 2, "110000": 2, "310000": 1}


def test_the_host_organiser_sees_only_their_units(client, data, host_organiser, host_unit,
                                                  other_host_unit):
    sign_in(client, host_organiser)
    page = client.get(reverse("dashboards:national") + "?by=host_unit").content.decode()
    assert host_unit.name in page and other_host_unit.name not in page
    drill = client.get(reverse("dashboards:drill", args=["published"]),
                       {"by": "host_unit", "key": other_host_unit.pk}).content.decode()
    assert data[4].ref not in drill
    listed = client.get(reverse("dashboards:drill", args=["published"])).content.decode()
    assert data[0].ref in listed and data[1].ref in listed and data[4].ref not in listed


def test_torch_sees_every_unit_and_exports_the_view(client, data, torch_staff, host_unit,
                                                    other_host_unit):
    from openpyxl import load_workbook

    sign_in(client, torch_staff)
    page = client.get(reverse("dashboards:national")).content.decode()
    assert host_unit.name in page and other_host_unit.name in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>")[0]
    response = client.get(reverse("dashboards:export") + "?by=field")
    book = load_workbook(BytesIO(response.content))
    funnel_rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert funnel_rows[1:] == [("Demands collected", _direct("collected").count(), None),
                               ("Demands published", 3, None), ("Demands answered", 2, None),
                               ("Solutions", 3, None), ("Docking sessions", 1, None),
                               ("Intention agreements", 1, None), ("Live rounds", 1, None),
                               ("Awards", 2, 35), ("Technology contracts", 1, 80)]


def test_supervision_figures_count_complaints(client, data, torch_staff, challenger,
                                              host_organiser):
    complaint = complaint_services.file_complaint(
        complainant=challenger, target_key="demands.demand", reference=data[0].ref,
        category="process", description="x")
    complaint.accept_due = timezone.localdate() - datetime.timedelta(days=1)
    complaint.save(update_fields=["accept_due"])
    sign_in(client, host_organiser)
    response = client.get(reverse("dashboards:national"))
    figures = {str(label): n for label, n, _url in response.context["supervision"]}
    assert figures["Complaints open"] == 1 and figures["Complaints overdue"] == 1


def test_the_dashboard_is_staff_only_and_queries_stay_flat(client, data, challenger,
                                                          torch_staff,
                                                          django_assert_max_num_queries):
    sign_in(client, challenger)
    assert client.get(reverse("dashboards:national")).status_code == 404
    assert client.get(reverse("dashboards:mine")).status_code == 200
    sign_in(client, torch_staff)
    # A fixed number per stage (its total, its breakdown, its per-host counts), none per row;
    # 13 besides (the session, the supervision figures, summary reports pending among them),
    # three for the response figures (counts, medians, units), one for the snapshot, two for
    # the units of the tables.
    with django_assert_max_num_queries(13 + 3 * len(funnel.STAGES) + 6):
        client.get(reverse("dashboards:national") + "?by=week")


def test_the_supervision_figures_drill_to_their_lists(client, data, challenger, host_organiser):
    complaint = complaint_services.file_complaint(
        complainant=challenger, target_key="demands.demand", reference=data[0].ref,
        category="process", description="x")
    complaint_services.file_complaint(
        complainant=challenger, target_key="demands.demand", reference=data[1].ref,
        category="process", description="y")
    complaint.accept_due = timezone.localdate() - datetime.timedelta(days=1)
    complaint.save(update_fields=["accept_due"])
    complaint_services.run_clock()
    sign_in(client, host_organiser)
    supervision = client.get(reverse("dashboards:national")).context["supervision"]
    for _label, n, url in supervision[:3]:
        assert client.get(url).content.decode().count("/complaints/TS") == n


def test_amounts_equal_direct_sums_in_every_view_and_scope(client, data, host_unit,
                                                          other_host_unit, host_organiser):
    for unit_ids in (None, [host_unit.pk], [other_host_unit.pk]):
        amounts = {stage.key: amount for stage, _n, amount in funnel.totals(unit_ids)}
        assert amounts["awards"] == _direct_amount("awards", unit_ids)
        assert amounts["contracts"] == _direct_amount("contracts", unit_ids)
        assert amounts["solutions"] is None   # a stage without an amount has none
    assert {stage.key for stage in funnel.amount_stages()} == {"awards", "contracts"}
    assert _direct_amount("awards") == Decimal("35")
    per_host = {row["unit"].pk: row["amounts"] for row in funnel.per_host(None)}
    assert per_host[host_unit.pk] == [Decimal("20"), Decimal("80")]
    assert per_host[other_host_unit.pk] == [Decimal("15"), 0]
    # The host organiser's dashboard shows their unit's amount, and the drill-down lists it.
    sign_in(client, host_organiser)
    context = client.get(reverse("dashboards:national")).context
    assert [(stage.key, amount) for stage, _n, amount, _url in context["funnel"]
            if amount is not None] == [("awards", Decimal("20")), ("contracts", Decimal("80"))]
    drill = client.get(reverse("dashboards:drill", args=["awards"]))
    assert drill.context["amount"] == Decimal("20") and drill.context["total"] == 1


def test_response_figures_are_the_solutions_boards_and_drill_to_their_demands(
        client, data, torch_staff, host_organiser, host_unit, other_host_unit):
    from solutions.selectors import response_figures

    sign_in(client, torch_staff)
    context = client.get(reverse("dashboards:national")).context
    rows, overall = response_figures(torch_staff)
    shown = {row["unit"].pk: row for row in context["responses"]}
    assert {pk: (row["total"], row["answered"], row["median_days"])
            for pk, row in shown.items()} == {
        row["unit"].pk: (row["total"], row["answered"], row["median_days"]) for row in rows}
    # Direct counts: host_unit published two, answered one; the other unit one of one.
    assert (shown[host_unit.pk]["total"], shown[host_unit.pk]["answered"]) == (2, 1)
    assert (shown[other_host_unit.pk]["total"], shown[other_host_unit.pk]["answered"]) == (1, 1)
    assert context["responses_overall"]["total"] == overall["total"] == 3
    for row in context["responses"]:
        for key, url in (("total", row["published_url"]), ("answered", row["answered_url"])):
            assert client.get(url).context["total"] == row[key]
        unanswered = client.get(row["unanswered_url"]).context["total"]
        assert unanswered == row["total"] - row["answered"]
    # The host organiser sees their own unit only, in the figures and in the lists.
    sign_in(client, host_organiser)
    context = client.get(reverse("dashboards:national")).context
    assert [row["unit"].pk for row in context["responses"]] == [host_unit.pk]
    listed = client.get(reverse("dashboards:responses"),
                        {"unit": other_host_unit.pk}).content.decode()
    assert data[4].ref not in listed
    assert client.get(reverse("dashboards:responses")).context["total"] == 2


def test_the_national_page_reads_the_snapshot_and_says_how_fresh_it_is(
        client, data, torch_staff, host_organiser, host_unit, challenger):
    from dashboards import summary
    from dashboards.models import FunnelSnapshot

    summary.refresh(torch_staff)
    assert set(FunnelSnapshot.objects.values_list("dimension", flat=True)) == set(
        funnel.DIMENSIONS)
    for dimension in funnel.DIMENSIONS:   # the stored figures are the live ones, exactly
        stored, _at = summary.snapshot(dimension)
        live = summary.compute(torch_staff, None, dimension)
        assert stored["funnel"] == live["funnel"]
        assert stored["sections"] == live["sections"]
        assert [list(row) for row in stored["per_host"]] == [list(r) for r in live["per_host"]]
    # A new award: the snapshot does not know it yet, the page says when it was counted.
    Award.objects.create(demand=data[0], host_unit=host_unit, recipient=OrganisationFactory(),
                         payer=data[0].organisation, title="三等奖", amount="5.50",
                         due_on=timezone.localdate(), clause="奖金不附加条件",
                         created_by=torch_staff)
    sign_in(client, torch_staff)
    response = client.get(reverse("dashboards:national"))
    assert response.context["live"] is False
    assert "counted again every 10 minutes" in response.content.decode()
    awards = {stage.key: amount for stage, _n, amount, _url in response.context["funnel"]}
    assert awards["awards"] == Decimal("35")
    live = client.get(reverse("dashboards:national") + "?live=1").context
    assert {s.key: a for s, _n, a, _u in live["funnel"]}["awards"] == Decimal("40.50")
    # Torch staff count again on demand (the task runs eagerly here); nobody else may.
    for stranger in (challenger, host_organiser):
        sign_in(client, stranger)
        assert client.post(reverse("dashboards:refresh")).status_code == 404
    sign_in(client, torch_staff)
    assert client.post(reverse("dashboards:refresh")).status_code == 302
    awards = {stage.key: amount for stage, _n, amount, _url
              in client.get(reverse("dashboards:national")).context["funnel"]}
    assert awards["awards"] == Decimal("40.50")
    # A host organiser's units are always counted live, never from the national snapshot.
    sign_in(client, host_organiser)
    context = client.get(reverse("dashboards:national")).context
    assert context["live"] is True
    assert {s.key: a for s, _n, a, _u in context["funnel"]}["awards"] == Decimal("25.50")
