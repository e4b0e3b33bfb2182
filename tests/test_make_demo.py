"""``make run`` loads the demo through the Makefile's ``demo`` target: every seed command, in
the Makefile's order, runs on one database — each app's seed on the data of all the others, as
a newcomer gets it — and runs again safely (``make run`` a second time)."""

import re
from pathlib import Path

from django.conf import settings
from django.core.management import call_command


def demo_commands():
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^demo:.*?\n((?:\t.*\n|\n)*)", makefile, re.MULTILINE).group(1)
    return re.findall(r"manage\.py (\w+)", recipe)


def test_the_demo_target_seeds_every_app_together_and_twice(db, settings):
    settings.DEBUG = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    commands = demo_commands()
    assert commands[:2] == ["load_contest", "seed_demo"] and len(commands) > 5

    for _run in range(2):
        for command in commands:
            call_command(command, verbosity=0)

    # Issue 15's demo line: one complaint about a score sheet, a re-check whose reviewer
    # judged nothing in that round.
    from complaints.models import Complaint
    from matching.models import RoundJudge, ScoreSheet

    recheck = Complaint.objects.get(target_key="matching.scoresheet", category="recheck")
    sheet = ScoreSheet.objects.get(pk=recheck.target_id)
    assert recheck.score_sheets == [[str(sheet.pk), recheck.score_sheets[0][1]]]
    assert recheck.reviewer is not None
    assert not RoundJudge.objects.filter(round=sheet.entry.round, user=recheck.reviewer).exists()
