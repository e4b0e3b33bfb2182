"""Live rounds: consent, conflicts, criteria, scoring, locking, the sheet digest, ranking and the
normalised ranking, selection of the partner."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.models import ActivityLog
from matching.enums import AgreementState, ConflictSource, JudgeKind, RoundState, SheetState
from matching.models import JudgeConflict, ScoreSheet
from matching.permissions import round_is_public
from matching.scoring import rank
from matching.services import rounds
from matching.services.agreements import record_agreement
from solutions.enums import SolutionStatus
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory

from .rounds_fixtures import invite_experts

pytestmark = pytest.mark.django_db


def fresh(live_round):
    return type(live_round).objects.get(pk=live_round.pk)


def consent_all(live_round, demand_owner, contenders):
    rounds.answer_consent(
        live_round, live_round.demand.organisation, given=True, actor=demand_owner
    )
    for member, solution in contenders:
        rounds.answer_consent(live_round, solution.organisation, given=True, actor=member)


def score_all(live_round, judges, table):
    """``table``: {judge index: [[scores per criterion] per entry]}, submitted."""
    criteria = list(live_round.criteria.all())
    entries = list(live_round.entries.all())
    for index, rows in table.items():
        for entry, row in zip(entries, rows, strict=True):
            if row is None:
                continue
            rounds.save_scores(
                live_round,
                entry,
                user=judges[index].user,
                values={c.pk: v for c, v in zip(criteria, row, strict=True)},
            )
            rounds.submit_sheet(live_round, entry, user=judges[index].user, signed_name="评委")


# --- creation -------------------------------------------------------------------------------------
def test_round_is_created_with_entries_agenda_and_standard_criteria(live_round):
    assert live_round.entries.count() == 3
    assert [(c.name, c.weight) for c in live_round.criteria.all()] == [
        ("技术性", 40),
        ("匹配度", 30),
        ("合作前景", 30),
    ]
    assert {item.part for item in live_round.agenda.all()} == {"docking", "pitching"}
    assert ActivityLog.objects.filter(action="portal.matching.round.create").count() == 1


def test_only_shortlisted_solutions_of_the_demand_enter(
    published_demand, host_organiser, contenders, other_host_organiser
):
    solutions = [s for _m, s in contenders]
    solutions[0].status = SolutionStatus.SUBMITTED
    solutions[0].save()
    kwargs = {
        "title": "x",
        "starts_at": timezone.now(),
        "venue": "v",
        "link": "",
        "agenda": [("docking", "a", 5, None), ("pitching", "b", 5, None)],
    }
    with pytest.raises(rounds.RoundError):
        rounds.create_round(published_demand, solutions=solutions, actor=host_organiser, **kwargs)
    with pytest.raises(rounds.RoundError):
        rounds.create_round(
            published_demand, solutions=solutions[1:], actor=other_host_organiser, **kwargs
        )


# --- consent --------------------------------------------------------------------------------------
def test_public_only_when_every_side_consents_and_one_refusal_keeps_it_closed(
    live_round, demand_owner, contenders
):
    assert not round_is_public(fresh(live_round))
    rounds.answer_consent(
        live_round, live_round.demand.organisation, given=True, actor=demand_owner
    )
    (m1, s1), (m2, s2), (m3, s3) = contenders
    rounds.answer_consent(live_round, s1.organisation, given=True, actor=m1)
    rounds.answer_consent(live_round, s2.organisation, given=True, actor=m2)
    rounds.answer_consent(live_round, s3.organisation, given=False, actor=m3)
    assert not round_is_public(fresh(live_round))
    rounds.answer_consent(live_round, s3.organisation, given=True, actor=m3)
    assert round_is_public(fresh(live_round))


def test_withdrawn_consent_closes_it_again_before_it_starts(live_round, demand_owner, contenders):
    consent_all(live_round, demand_owner, contenders)
    assert round_is_public(fresh(live_round))
    member, solution = contenders[1]
    rounds.answer_consent(live_round, solution.organisation, given=False, actor=member)
    assert not round_is_public(fresh(live_round))
    # once it has started, answers are fixed
    type(live_round).objects.filter(pk=live_round.pk).update(
        starts_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(rounds.RoundError) as error:
        rounds.answer_consent(fresh(live_round), solution.organisation, given=True, actor=member)
    assert error.value.code == "state"


def test_only_a_member_answers_for_a_side(live_round, contenders, stranger):
    _member, solution = contenders[0]
    with pytest.raises(rounds.RoundError):
        rounds.answer_consent(live_round, solution.organisation, given=True, actor=stranger)
    with pytest.raises(rounds.RoundError):
        rounds.answer_consent(live_round, OrganisationFactory(), given=True, actor=contenders[0][0])


# --- conflicts ------------------------------------------------------------------------------------
def test_conflicts_found_from_organisation_links(
    live_round, host_organiser, contenders, demand_owner, published_demand
):
    (m1, s1), (m2, s2), (m3, s3) = contenders
    # an expert who is a member of the first challenger
    same = UserFactory(roles=["expert"])
    MembershipFactory(user=same, organisation=s1.organisation, role="member")
    # an expert whose institute shares a member with the second challenger
    shared = UserFactory(roles=["expert"])
    institute = OrganisationFactory(kind="institute")
    MembershipFactory(user=shared, organisation=institute, role="member")
    MembershipFactory(user=m2, organisation=institute, role="member")
    # an expert whose company had an intention agreement with the third challenger
    agreed = UserFactory(roles=["expert"])
    company = OrganisationFactory()
    MembershipFactory(user=agreed, organisation=company, role="member")
    old_demand = type(published_demand).objects.get(pk=published_demand.pk)
    old_demand.pk = None
    old_demand.ref = "OLD-1"
    old_demand.organisation = company
    old_demand.save()
    admin = MembershipFactory(organisation=company).user
    record_agreement(
        old_demand,
        s3.organisation,
        cooperation_mode="joint",
        amount=10,
        signed_on=timezone.localdate(),
        actor=admin,
    )
    clean = UserFactory(roles=["expert"])

    found = {}
    for user in (same, shared, agreed, clean):
        judge = rounds.invite_judge(live_round, user, kind=JudgeKind.EXPERT, actor=host_organiser)
        found[user] = set(
            JudgeConflict.objects.filter(judge=judge).values_list(
                "entry__organisation_id", "source"
            )
        )
    assert found[same] == {(s1.organisation_id, ConflictSource.SAME_ORGANISATION)}
    assert found[shared] == {(s2.organisation_id, ConflictSource.SHARED_MEMBER)}
    assert found[agreed] == {(s3.organisation_id, ConflictSource.PAST_AGREEMENT)}
    assert found[clean] == set()


def test_challenger_names_unwanted_organisations(live_round, host_organiser, contenders):
    member, solution = contenders[0]
    rival = OrganisationFactory(name="竞争对手")
    expert = UserFactory(roles=["expert"])
    MembershipFactory(user=expert, organisation=rival, role="member")
    judge = rounds.invite_judge(live_round, expert, kind=JudgeKind.EXPERT, actor=host_organiser)
    entry = live_round.entries.get(solution=solution)
    assert not rounds.conflicted(judge, entry)
    rounds.name_unwanted(entry, [rival], actor=member)
    assert rounds.conflicted(judge, entry)
    with pytest.raises(rounds.RoundError):
        rounds.name_unwanted(entry, [rival], actor=contenders[1][0])


def test_conflicted_or_recused_judge_cannot_score(live_round, host_organiser, contenders):
    judges = invite_experts(live_round, host_organiser, 2)
    rounds.open_scoring(live_round, actor=host_organiser)
    entries = list(live_round.entries.all())
    criterion = live_round.criteria.first()
    rounds.save_scores(live_round, entries[0], user=judges[0].user, values={criterion.pk: "80"})
    rounds.declare_conflict(judges[0], entries[0], reason="曾共同申报项目", actor=judges[0].user)
    with pytest.raises(rounds.RoundError) as error:
        rounds.save_scores(live_round, entries[0], user=judges[0].user, values={criterion.pk: "81"})
    assert error.value.code == "conflict"
    # the draft of the conflicted challenger is void
    assert not ScoreSheet.objects.filter(judge=judges[0], entry=entries[0]).exists()
    rounds.save_scores(live_round, entries[1], user=judges[0].user, values={criterion.pk: "70"})

    rounds.declare_conflict(judges[1], None, reason="身体原因回避", actor=judges[1].user)
    for entry in entries:
        with pytest.raises(rounds.RoundError):
            rounds.save_scores(live_round, entry, user=judges[1].user, values={criterion.pk: "50"})
    with pytest.raises(rounds.RoundError):
        rounds.declare_conflict(judges[1], None, reason="", actor=judges[1].user)


# --- criteria and range ---------------------------------------------------------------------------
def test_weights_must_sum_to_100(live_round, host_organiser):
    with pytest.raises(rounds.RoundError) as error:
        rounds.set_criteria(
            live_round, [("技术性", 40), ("匹配度", 30), ("合作前景", 20)], actor=host_organiser
        )
    assert error.value.field == "criteria"
    rounds.set_criteria(
        live_round,
        [("技术性", 30), ("匹配度", 30), ("合作前景", 20), ("经济效益", 20)],
        actor=host_organiser,
    )
    assert [c.name for c in live_round.criteria.all()][-1] == "经济效益"


def test_scores_out_of_range_are_refused(live_round, host_organiser):
    judge = invite_experts(live_round, host_organiser, 1)[0]
    rounds.open_scoring(live_round, actor=host_organiser)
    entry = live_round.entries.first()
    criterion = live_round.criteria.first()
    for bad in ("101", "-1", "abc", "80.25", "1E27", "NaN", "-Infinity"):
        with pytest.raises(rounds.RoundError):
            rounds.save_scores(live_round, entry, user=judge.user, values={criterion.pk: bad})
    with pytest.raises(rounds.RoundError):
        rounds.set_criteria(live_round, [("技术性", 100)], actor=host_organiser)


# --- locking and the digest -----------------------------------------------------------------------
def test_submitted_sheet_is_locked_and_its_digest_verifies(live_round, host_organiser):
    judge = invite_experts(live_round, host_organiser, 1)[0]
    rounds.open_scoring(live_round, actor=host_organiser)
    entry = live_round.entries.first()
    criteria = list(live_round.criteria.all())
    rounds.save_scores(live_round, entry, user=judge.user, values={criteria[0].pk: "88"})
    with pytest.raises(rounds.RoundError) as error:
        rounds.submit_sheet(live_round, entry, user=judge.user, signed_name="王评委")
    assert error.value.code == "incomplete"
    rounds.save_scores(
        live_round, entry, user=judge.user, values={criteria[1].pk: "75.5", criteria[2].pk: "90"}
    )
    sheet = rounds.submit_sheet(live_round, entry, user=judge.user, signed_name="王评委")
    assert sheet.state == SheetState.SUBMITTED and len(sheet.digest) == 64
    assert rounds.verify(ScoreSheet.objects.get(pk=sheet.pk))
    with pytest.raises(rounds.RoundError) as error:
        rounds.save_scores(live_round, entry, user=judge.user, values={criteria[0].pk: "10"})
    assert error.value.code == "locked"
    # a score changed behind the portal's back no longer verifies
    score = sheet.scores.get(criterion=criteria[1])
    score.value = Decimal("75.6")
    score.save()
    changed = ScoreSheet.objects.get(pk=sheet.pk)
    assert not rounds.verify(changed)
    assert rounds.compute_digest(changed) != sheet.digest


# --- ranking --------------------------------------------------------------------------------------
def test_ranking_by_weighted_mean_with_the_stated_tie_break():
    # criteria: A 50%, B 50%. Entries 1 and 2 tie on the weighted mean (80); entry 2 has the
    # higher mean on A (the first of the most-weighted), so it ranks first.
    criteria = [(1, 50), (2, 50)]
    sheets = [
        (10, 1, {1: 70, 2: 90}),
        (10, 2, {1: 90, 2: 70}),
        (10, 3, {1: 60, 2: 60}),
        (11, 1, {1: 80, 2: 80}),
        (11, 2, {1: 80, 2: 80}),
        (11, 3, {1: 70, 2: 70}),
    ]
    standings, _stats = rank([(1, 1), (2, 2), (3, 3)], criteria, sheets)
    assert [(s.entry_id, s.mean, s.rank) for s in standings] == [
        (2, Decimal("80.00"), 1),
        (1, Decimal("80.00"), 2),
        (3, Decimal("65.00"), 3),
    ]


def test_tie_break_falls_back_to_lowest_total_then_pitching_order():
    criteria = [(1, 100)]
    # entries 1 and 2: same mean 80 and same key mean; 2's lowest total (78) beats 1's (70)
    sheets = [
        (10, 1, {1: 90}),
        (11, 1, {1: 70}),
        (10, 2, {1: 82}),
        (11, 2, {1: 78}),
        (10, 3, {1: 80}),
        (11, 3, {1: 80}),
        (10, 4, {1: 80}),
        (11, 4, {1: 80}),
    ]
    standings, _ = rank([(1, 1), (2, 2), (3, 4), (4, 3)], criteria, sheets)
    # entries 3 and 4 are equal in everything: the earlier pitch (entry 4, position 3) wins
    assert [s.entry_id for s in standings] == [4, 3, 2, 1]


def test_per_judge_normalisation_on_a_worked_example():
    """Judge 10 is lenient (90, 80, 70), judge 11 severe (50, 60, 40), one criterion.
    Means: A 70, B 70, C 55. A and B tie, and tie again on the key criterion (the only one);
    the lowest totals (A 50, B 60) put B first.
    z per judge: judge 10 mean 80, sd √(200/3)=8.165 → A 1.225, B 0, C −1.225;
    judge 11 mean 50, sd 8.165 → A 0, B 1.225, C −1.225.
    Normalised: A 0.612, B 0.612, C −1.225 (A and B tie; the raw rank orders them)."""
    criteria = [(1, 100)]
    sheets = [
        (10, "A", {1: 90}),
        (10, "B", {1: 80}),
        (10, "C", {1: 70}),
        (11, "A", {1: 50}),
        (11, "B", {1: 60}),
        (11, "C", {1: 40}),
    ]
    standings, stats = rank([("A", 1), ("B", 2), ("C", 3)], criteria, sheets)
    by_id = {s.entry_id: s for s in standings}
    assert [s.entry_id for s in standings] == ["B", "A", "C"]
    assert by_id["A"].z_mean == pytest.approx(0.612, abs=1e-3)
    assert by_id["B"].z_mean == pytest.approx(0.612, abs=1e-3)
    assert by_id["C"].z_mean == pytest.approx(-1.225, abs=1e-3)
    assert [by_id[k].z_rank for k in "BAC"] == [1, 2, 3]
    assert stats[10][0] == pytest.approx(80) and stats[11][0] == pytest.approx(50)


def test_normalised_ranking_reverses_a_lenient_judges_effect():
    # Judge 10 scores only X, leniently; judges 11 and 12 score both and prefer Y.
    criteria = [(1, 100)]
    sheets = [
        (10, "X", {1: 100}),
        (11, "X", {1: 60}),
        (11, "Y", {1: 70}),
        (12, "X", {1: 60}),
        (12, "Y", {1: 70}),
    ]
    standings, _ = rank([("X", 1), ("Y", 2)], criteria, sheets)
    raw = {s.entry_id: s.rank for s in standings}
    normalised = {s.entry_id: s.z_rank for s in standings}
    assert raw == {"X": 1, "Y": 2}
    assert normalised == {"Y": 1, "X": 2}


# --- the round's course and selection -------------------------------------------------------------
def test_full_round_ends_in_an_intention_agreement(
    live_round, host_organiser, demand_owner, contenders
):
    consent_all(live_round, demand_owner, contenders)
    judges = invite_experts(live_round, host_organiser, 2)
    with pytest.raises(rounds.RoundError):
        rounds.select_partner(live_round, live_round.entries.first(), actor=demand_owner)
    rounds.open_scoring(live_round, actor=host_organiser)
    score_all(
        live_round,
        judges,
        {
            0: [[80, 80, 80], [90, 90, 90], [70, 70, 70]],
            1: [[82, 80, 80], [85, 85, 85], [60, 60, 60]],
        },
    )
    rounds.finish(live_round, actor=host_organiser)
    live_round = fresh(live_round)
    assert live_round.state == RoundState.FINISHED
    winner = live_round.entries.get(position=2)
    with pytest.raises(rounds.RoundError):
        rounds.select_partner(live_round, winner, actor=host_organiser)
    agreement = rounds.select_partner(live_round, winner, actor=demand_owner)
    assert agreement.partner_id == winner.organisation_id
    assert agreement.state == AgreementState.DRAFT
    winner.solution.refresh_from_db()
    assert winner.solution.status == SolutionStatus.SELECTED
    assert fresh(live_round).agreement_id == agreement.pk
    with pytest.raises(rounds.RoundError):
        rounds.select_partner(fresh(live_round), winner, actor=demand_owner)
