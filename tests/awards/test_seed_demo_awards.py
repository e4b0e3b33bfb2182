"""The demo awards: one paid and received with its proof, one overdue; run twice safely."""

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from awards.enums import AwardState
from awards.models import Award


def test_needs_the_demo_rounds(db):
    with pytest.raises(CommandError):
        call_command("seed_demo_awards")


def test_seed_demo_awards(db, settings):
    settings.DEBUG = True
    for command in ("load_contest", "seed_demo", "seed_demo_demands", "seed_demo_solutions",
                    "seed_demo_rounds", "seed_demo_awards", "seed_demo_awards"):
        call_command(command, verbosity=0)
    assert Award.objects.count() == 2
    paid = Award.objects.get(state=AwardState.RECEIVED)
    assert paid.payer_ack_at and paid.recipient_ack_at and paid.proof_id
    overdue = Award.objects.get(state=AwardState.OFFERED)
    assert overdue.reminded_on is not None
    from awards.models import FollowUp, ServiceRequest, TechnologyContract

    assert TechnologyContract.objects.filter(priority=True).count() == 1
    assert FollowUp.objects.count() == 3
    # Due dates are Asia/Shanghai dates: compare with the local day the award was made on.
    assert FollowUp.objects.filter(months=3, reported_at__isnull=True).get().due_on <= (
        timezone.localdate(paid.created_at))
    assert ServiceRequest.objects.count() == 1
    from awards.enums import SubsidyState
    from awards.models import SubsidyApplication, SubsidyPolicy
    from files.selectors import files_for_object

    policy = SubsidyPolicy.objects.get()
    assert policy.host_unit_id == paid.host_unit_id
    application = SubsidyApplication.objects.get()
    assert (application.policy, application.state) == (policy, SubsidyState.SUBMITTED)
    assert application.organisation_id == paid.payer_id
    assert files_for_object(application).count() == 1
