"""A live round on the matching conftest's published demand: three shortlisted challengers,
both parts of the agenda, the three standard criteria (40/30/30)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from matching.enums import JudgeKind, RoundPart
from matching.services import rounds
from solutions.enums import SolutionStatus
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.solutions import SolutionFactory


def challenger_with_solution(demand, name):
    organisation = OrganisationFactory(kind="university", name=name)
    member = MembershipFactory(user=UserFactory(roles=["challenger"]),
                               organisation=organisation).user
    solution = SolutionFactory(demand=demand, organisation=organisation, created_by=member,
                               status=SolutionStatus.SHORTLISTED)
    return member, solution


@pytest.fixture
def contenders(published_demand):
    return [challenger_with_solution(published_demand, name)
            for name in ("甲大学", "乙研究院", "丙科技")]


@pytest.fixture
def live_round(published_demand, host_organiser, contenders):
    solutions = [solution for _member, solution in contenders]
    agenda = [(RoundPart.DOCKING, "竞争对接：需求方介绍", 10, None)]
    agenda += [(RoundPart.PITCHING, f"路演：{s.organisation.name}", 8, s) for s in solutions]
    return rounds.create_round(
        published_demand, title="IGBT散热现场赛", starts_at=timezone.now() + timedelta(days=3),
        venue="西安高新区会议中心", link="", solutions=solutions, agenda=agenda,
        actor=host_organiser)


def invite_experts(live_round, host_organiser, count):
    return [rounds.invite_judge(live_round, UserFactory(roles=["expert"]),
                                kind=JudgeKind.EXPERT, actor=host_organiser)
            for _ in range(count)]
