"""Live rounds, their score sheets and intention agreements as complaint targets (registered by
``complaints.targets`` from matching's selectors): a re-check is tied to the exact score sheets,
its reviewer judged nothing in the round and has no conflict with either side, and a reference
resolves only for someone who may see the object."""

import pytest
from django.utils import timezone

from complaints import services
from matching.enums import JudgeKind, SheetState
from matching.models import ScoreSheet
from matching.services import rounds
from matching.services.agreements import record_agreement
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _score(live_round, judge_user, entries):
    criteria = list(live_round.criteria.all())
    for entry in entries:
        rounds.save_scores(live_round, entry, user=judge_user,
                           values={c.pk: 80 for c in criteria})
        rounds.submit_sheet(live_round, entry, user=judge_user, signed_name="评委")


@pytest.fixture
def scored_round(live_round, host_organiser):
    """Two expert judges have scored every challenger; a third recused."""
    judges = [UserFactory(roles=["expert"]) for _ in range(3)]
    for user in judges:
        rounds.invite_judge(live_round, user, kind=JudgeKind.EXPERT, actor=host_organiser)
    rounds.open_scoring(live_round, actor=host_organiser)
    entries = list(live_round.entries.all())
    for user in judges[:2]:
        _score(live_round, user, entries)
    recused = live_round.judges.get(user=judges[2])
    rounds.declare_conflict(recused, None, reason="曾任挑战者顾问", actor=judges[2])
    return live_round, judges


def _file(user, key, reference, category="recheck"):
    return services.file_complaint(complainant=user, target_key=key, reference=str(reference),
                                   category=category, description="请求复核评分结果")


def test_round_recheck_excludes_its_judges_and_everyone_conflicted_with_a_side(
        scored_round, contenders, demand_owner, host_organiser, published_demand):
    live_round, judges = scored_round
    (challenger, solution), (second, second_solution), _third = contenders
    # An expert who is a member of a challenger; one whose company shares a member with the
    # demand side; one whose company signed an agreement with a challenger; a free one.
    member_of_challenger = UserFactory(roles=["expert"])
    MembershipFactory(user=member_of_challenger, organisation=second_solution.organisation,
                      role="member")
    sharing = UserFactory(roles=["expert"])
    shared_company = OrganisationFactory()
    MembershipFactory(user=sharing, organisation=shared_company, role="member")
    MembershipFactory(user=demand_owner, organisation=shared_company, role="member")
    agreed = UserFactory(roles=["expert"])
    partner_company = OrganisationFactory()
    MembershipFactory(user=agreed, organisation=partner_company, role="member")
    old = type(published_demand).objects.get(pk=published_demand.pk)
    old.pk, old.ref, old.organisation = None, "OLD-2", partner_company
    old.save()
    record_agreement(old, solution.organisation, cooperation_mode="joint", amount=5,
                     signed_on=timezone.localdate(),
                     actor=MembershipFactory(organisation=partner_company).user)
    free = UserFactory(roles=["expert"])

    complaint = _file(challenger, "matching.liveround", live_round.pk)

    submitted = ScoreSheet.objects.filter(entry__round=live_round, state=SheetState.SUBMITTED)
    assert sorted(int(ref) for ref, _label in complaint.score_sheets) == sorted(
        submitted.values_list("pk", flat=True))
    assert len(complaint.score_sheets) == 6   # two judges × three challengers
    # Labels name the challenger and the judge's order, never the judge.
    assert all(judges[0].get_full_name() not in label for _ref, label in complaint.score_sheets)
    candidates = set(services.reviewer_candidates(complaint))
    assert free in candidates
    for excluded in (*judges, member_of_challenger, sharing, agreed):
        assert excluded not in candidates
        with pytest.raises(services.ComplaintError) as error:
            services.assign_reviewer(complaint, actor=host_organiser, reviewer=excluded)
        assert error.value.code == "excluded_reviewer"
    services.assign_reviewer(complaint, actor=host_organiser, reviewer=free)
    complaint.refresh_from_db()
    assert complaint.reviewer == free
    assert complaint.handling_unit_id == live_round.host_unit_id


def test_a_score_sheet_recheck_records_that_sheet_only(scored_round, contenders):
    live_round, judges = scored_round
    (challenger, solution), (second, _s2), _third = contenders
    sheet = ScoreSheet.objects.get(judge__user=judges[0], entry__solution=solution)
    complaint = _file(challenger, "matching.scoresheet", sheet.pk)
    assert [int(ref) for ref, _label in complaint.score_sheets] == [sheet.pk]
    assert complaint.target_key == "matching.scoresheet"
    assert judges[0] not in set(services.reviewer_candidates(complaint))


def test_a_score_sheet_resolves_only_for_whom_may_see_it(scored_round, contenders, stranger,
                                                           host_organiser, other_host_organiser,
                                                           torch_staff):
    live_round, judges = scored_round
    (challenger, solution), (second, _s2), _third = contenders
    sheet = ScoreSheet.objects.get(judge__user=judges[0], entry__solution=solution)
    for outsider in (second, stranger, other_host_organiser, judges[1]):
        with pytest.raises(services.ComplaintError) as error:
            _file(outsider, "matching.scoresheet", sheet.pk)
        assert error.value.code == "no_target"
    # The unit's staff and the judge see it but answer for it: they do not complain.
    for insider in (host_organiser, judges[0]):
        with pytest.raises(services.ComplaintError) as error:
            _file(insider, "matching.scoresheet", sheet.pk)
        assert error.value.code == "own_target"
    # A draft is nobody's to name.
    draft_judge = UserFactory(roles=["expert"])
    rounds.invite_judge(live_round, draft_judge, kind=JudgeKind.EXPERT,
                        actor=host_organiser)
    rounds.save_scores(live_round, solution.round_entries.get(), user=draft_judge,
                       values={c.pk: 70 for c in live_round.criteria.all()})
    draft = ScoreSheet.objects.get(judge__user=draft_judge)
    with pytest.raises(services.ComplaintError) as error:
        _file(challenger, "matching.scoresheet", draft.pk)
    assert error.value.code == "no_target"
    assert _file(torch_staff, "matching.scoresheet", sheet.pk, category="fairness")


def test_a_closed_round_resolves_for_its_participants_only(live_round, contenders, stranger,
                                                           demand_owner):
    challenger = contenders[0][0]
    with pytest.raises(services.ComplaintError) as error:
        _file(stranger, "matching.liveround", live_round.pk, category="fairness")
    assert error.value.code == "no_target"
    assert _file(challenger, "matching.liveround", live_round.pk, category="fairness")
    # Once every side consents, the round is public: anyone signed in may complain about it.
    rounds.answer_consent(live_round, live_round.demand.organisation, given=True,
                          actor=demand_owner)
    for member, solution in contenders:
        rounds.answer_consent(live_round, solution.organisation, given=True, actor=member)
    assert _file(stranger, "matching.liveround", live_round.pk, category="fairness")


def test_an_intention_agreement_resolves_for_its_sides_and_staff_only(
        published_demand, contenders, demand_owner, stranger, other_host_organiser):
    challenger, solution = contenders[0]
    agreement = record_agreement(published_demand, solution.organisation,
                                 cooperation_mode="joint", amount=30,
                                 signed_on=timezone.localdate(), actor=demand_owner)
    for outsider in (stranger, other_host_organiser, contenders[1][0]):
        with pytest.raises(services.ComplaintError) as error:
            _file(outsider, "matching.intentionagreement", agreement.pk, category="process")
        assert error.value.code == "no_target"
    complaint = _file(challenger, "matching.intentionagreement", agreement.pk,
                      category="process")
    assert complaint.handling_unit_id == published_demand.host_unit_id
    # The other side answers for it; the complainant is never their own party.
    assert set(complaint.parties.all()) == {demand_owner}
    with pytest.raises(services.ComplaintError) as error:
        _file(challenger, "matching.intentionagreement", agreement.pk)
    assert error.value.field == "category"   # an agreement is no result to re-check


def test_a_challenger_finds_its_sheet_numbers_on_the_finished_round(client, scored_round,
                                                                     contenders,
                                                                     host_organiser):
    from django.urls import reverse

    from tests.contests.conftest import sign_in

    live_round, judges = scored_round
    rounds.finish(live_round, actor=host_organiser)
    (challenger, solution), (second, second_solution), _third = contenders
    mine = ScoreSheet.objects.filter(entry__solution=solution, state=SheetState.SUBMITTED)
    theirs = ScoreSheet.objects.filter(entry__solution=second_solution)
    sign_in(client, challenger)
    page = client.get(reverse("matching:round_detail", args=[live_round.pk]))
    assert {sheet.pk for sheet in page.context["my_sheets"]} == set(
        mine.values_list("pk", flat=True))
    body = page.content.decode()
    assert f"kind=matching.scoresheet&amp;ref={mine.first().pk}" in body
    assert all(f"ref={sheet.pk}\"" not in body for sheet in theirs)
    assert all(judge.get_full_name() not in body.split("Score sheets")[-1] for judge in judges
               if judge.get_full_name())
