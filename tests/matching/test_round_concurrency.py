"""Eight judges scoring one round at once lose nothing (PostgreSQL, threads): each saves every
criterion of every challenger in many small saves, as the phone page sends them while typing,
then submits; every score is there and every sheet verifies. One judge's two tabs saving the
same sheet at once queue up on the judge's row instead of failing."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from matching.enums import JudgeKind, RoundPart, SheetState
from matching.models import Score, ScoreSheet
from matching.services import rounds
from tests.factories.accounts import UserFactory
from tests.factories.contests import HostMembershipFactory, HostUnitFactory
from tests.factories.demands import DemandFactory

from .rounds_fixtures import challenger_with_solution

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def run_in_threads(*targets):
    errors = []

    def wrap(target):
        def run():
            try:
                target()
            except Exception as exc:  # surfaced below
                errors.append(exc)
            finally:
                connection.close()
        return run

    threads = [threading.Thread(target=wrap(target)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []


@pytest.fixture
def round_with_judges(postgres):
    unit = HostUnitFactory()
    host = HostMembershipFactory(host_unit=unit).user
    demand = DemandFactory(host_unit=unit, status="published")
    solutions = [challenger_with_solution(demand, f"并发挑战{n}")[1] for n in range(3)]
    live_round = rounds.create_round(
        demand, title="并发现场赛", starts_at=timezone.now() + timedelta(days=1), venue="会场",
        link="", solutions=solutions, actor=host,
        agenda=[(RoundPart.DOCKING, "对接", 10, None)]
        + [(RoundPart.PITCHING, "路演", 8, s) for s in solutions])
    judges = [rounds.invite_judge(live_round, UserFactory(roles=["expert"]),
                                  kind=JudgeKind.EXPERT, actor=host) for _ in range(8)]
    rounds.open_scoring(live_round, actor=host)
    live_round.refresh_from_db()
    return live_round, judges


def expected(judge_index, entry_position, criterion_position):
    return 50 + judge_index * 3 + entry_position * 2 + criterion_position


def test_eight_judges_scoring_at_once_lose_nothing(round_with_judges):
    live_round, judges = round_with_judges
    entries = list(live_round.entries.all())
    criteria = list(live_round.criteria.all())
    start = threading.Barrier(len(judges))

    def judge_scores(index, judge):
        def run():
            start.wait(timeout=30)
            for entry in entries:
                for criterion in criteria:  # one save per keystroke pause
                    rounds.save_scores(live_round, entry, user=judge.user, values={
                        criterion.pk: str(expected(index, entry.position, criterion.position))})
                rounds.submit_sheet(live_round, entry, user=judge.user,
                                    signed_name=f"评委{index}")
        return run

    run_in_threads(*(judge_scores(i, j) for i, j in enumerate(judges)))

    assert ScoreSheet.objects.filter(entry__round=live_round,
                                     state=SheetState.SUBMITTED).count() == 8 * len(entries)
    assert Score.objects.filter(sheet__entry__round=live_round).count() == (
        8 * len(entries) * len(criteria))
    for index, judge in enumerate(judges):
        for sheet in ScoreSheet.objects.filter(judge=judge).select_related("entry", "judge"):
            assert rounds.verify(sheet)
            for score in sheet.scores.select_related("criterion"):
                assert score.value == expected(index, sheet.entry.position,
                                               score.criterion.position)


def test_one_judge_two_tabs_at_once_queue_up(round_with_judges):
    live_round, judges = round_with_judges
    judge = judges[0]
    entry = live_round.entries.first()
    criteria = list(live_round.criteria.all())
    start = threading.Barrier(2)

    def tab(criterion, value):
        def run():
            start.wait(timeout=30)
            for _ in range(5):
                rounds.save_scores(live_round, entry, user=judge.user,
                                   values={criterion.pk: value})
        return run

    run_in_threads(tab(criteria[0], "71"), tab(criteria[1], "72"))
    sheet = ScoreSheet.objects.get(judge=judge, entry=entry)
    assert dict(sheet.scores.values_list("criterion_id", "value")) == {
        criteria[0].pk: 71, criteria[1].pk: 72}
