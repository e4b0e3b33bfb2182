"""The demo live rounds: a finished public round (three challengers, four judges, one recused,
sheets that verify, the partner selected) and a round being scored; run twice safely."""

import pytest
from django.core.management import CommandError, call_command

from matching.enums import RoundState, SheetState
from matching.models import LiveRound, ScoreSheet
from matching.permissions import round_is_public
from matching.services import rounds


def test_needs_the_other_demo_data(db):
    with pytest.raises(CommandError):
        call_command("seed_demo_rounds")


def test_seed_demo_rounds(db, settings):
    settings.DEBUG = True
    for command in ("load_contest", "seed_demo", "seed_demo_demands", "seed_demo_solutions",
                    "seed_demo_rounds"):
        call_command(command, verbosity=0)
    first = sorted(LiveRound.objects.values_list("pk", "state"))
    call_command("seed_demo_rounds", verbosity=0)
    assert sorted(LiveRound.objects.values_list("pk", "state")) == first
    finished = LiveRound.objects.get(state=RoundState.FINISHED)
    assert round_is_public(finished)
    assert finished.entries.count() == 3
    assert finished.judges.count() == 4
    assert finished.judges.filter(recused_at__isnull=False).count() == 1
    assert finished.agreement_id is not None
    sheets = ScoreSheet.objects.filter(entry__round=finished)
    assert sheets.count() == 9 and all(rounds.verify(sheet) for sheet in sheets)
    scoring = LiveRound.objects.get(state=RoundState.SCORING)
    assert not round_is_public(scoring)
    assert ScoreSheet.objects.filter(entry__round=scoring, state=SheetState.DRAFT).exists()
