"""The demo solutions: every status, a comparison worth opening, a published Q&A and an overdue
demand; run twice safely."""

import pytest
from django.core.management import CommandError, call_command

from solutions.enums import SolutionStatus
from solutions.models import ClarificationThread, Solution, SolutionVersion
from solutions.selectors import board_rows, unanswered_board
from tests.factories.accounts import UserFactory


def test_needs_the_demo_demands(db):
    with pytest.raises(CommandError):
        call_command("seed_demo_solutions")


def test_seed_demo_solutions(db, settings):
    settings.DEBUG = True
    call_command("load_contest", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_demands", verbosity=0)
    call_command("seed_demo_solutions", verbosity=0)
    first = sorted(Solution.objects.values_list("pk", "status"))
    call_command("seed_demo_solutions", verbosity=0)
    assert sorted(Solution.objects.values_list("pk", "status")) == first
    statuses = {status for _pk, status in first}
    assert {SolutionStatus.SUBMITTED, SolutionStatus.SHORTLISTED, SolutionStatus.DECLINED,
            SolutionStatus.SELECTED} <= statuses
    assert Solution.objects.values("demand").filter(
        submitted_at__isnull=False).count() >= 2
    assert SolutionVersion.objects.filter(number=2).exists()
    assert ClarificationThread.objects.filter(published_at__isnull=False).exists()
    torch = UserFactory(roles=["torch_staff"])
    assert any(row["overdue"] for row in board_rows(unanswered_board(torch)))
