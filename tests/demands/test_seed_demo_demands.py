"""The demo demands: every state, several host units, hidden details, run twice safely."""

import pytest
from django.core.management import CommandError, call_command

from demands.enums import AccessState, DemandStatus, ProposalState
from demands.models import AccessRequest, Demand, DemandTransition, WordingProposal


def test_seed_demo_demands_needs_the_demo_accounts(db):
    with pytest.raises(CommandError):
        call_command("seed_demo_demands")


def test_seed_demo_demands_covers_every_state_and_is_idempotent(db, settings):
    settings.DEBUG = True  # seed_demo refuses to publish demo passwords on production sites
    call_command("load_contest", verbosity=0)
    call_command("seed_demo", verbosity=0)

    call_command("seed_demo_demands", verbosity=0)
    first = {(d.ref, d.status) for d in Demand.objects.all()}
    transitions = DemandTransition.objects.count()
    call_command("seed_demo_demands", verbosity=0)

    assert {(d.ref, d.status) for d in Demand.objects.all()} == first
    assert DemandTransition.objects.count() == transitions
    assert {status for _ref, status in first} == set(DemandStatus.values)
    assert Demand.objects.values("host_unit").distinct().count() >= 3
    published = Demand.objects.filter(status=DemandStatus.PUBLISHED)
    assert all(d.public_snapshot for d in published)
    hidden = published.exclude(hidden_fields=[]).exclude(hidden_passages=[]).get()
    assert hidden.organisation.name not in str(hidden.public_snapshot)
    assert hidden.hidden_passages[0] not in str(hidden.public_snapshot)
    assert AccessRequest.objects.get().state == AccessState.REQUESTED
    assert Demand.objects.filter(status=DemandStatus.IN_ANALYSIS, analyses__isnull=True).exists()
    assert WordingProposal.objects.filter(state=ProposalState.PROPOSED).exists()
    assert Demand.objects.filter(entered_by_host=True).exists()
