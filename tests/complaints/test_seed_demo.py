import pytest
from django.core.management import call_command

from complaints.enums import ComplaintState, DisputeState
from complaints.models import Complaint, Dispute


def test_seed_demo_complaints_needs_the_demo_accounts(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seed_demo_complaints")


def test_seed_demo_complaints_covers_every_state_and_is_idempotent(db, settings):
    settings.DEBUG = True  # seed_demo refuses to publish demo passwords on production sites
    call_command("load_contest", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_demands", verbosity=0)
    call_command("seed_demo_complaints", verbosity=0)
    states = set(Complaint.objects.values_list("state", flat=True))
    assert states == set(ComplaintState.values)
    assert Complaint.objects.filter(escalated_at__isnull=False, state="received").count() == 1
    assert Complaint.objects.filter(handled_by_torch=True).exists()
    dispute = Dispute.objects.get()
    assert dispute.state == DisputeState.SETTLED and dispute.positions.count() == 2
    assert dispute.mediations.exists()
    count = Complaint.objects.count()
    call_command("seed_demo_complaints", verbosity=0)
    assert Complaint.objects.count() == count and Dispute.objects.count() == 1


def test_seed_demo_dashboards_adds_training_with_reads_and_attendance(db, settings):
    from dashboards.models import HostEvaluation, MaterialRead, SessionAttendance

    settings.DEBUG = True
    call_command("load_contest", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo_dashboards", verbosity=0)
    call_command("seed_demo_dashboards", verbosity=0)
    assert MaterialRead.objects.count() == 1
    assert SessionAttendance.objects.filter(attended=True).count() == 1
    assert SessionAttendance.objects.count() == 2
    assert HostEvaluation.objects.count() == 1
