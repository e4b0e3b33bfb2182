"""The bulk forms of the demand services (``services.submit_demands``, ``create_demands``)
beyond what the standard-format import tests cover: a refused edge writes nothing, and the
history reads as the single-demand path writes it."""

import pytest

from demands import services
from demands.enums import DemandStatus
from demands.models import Demand, DemandTransition
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db


def test_submit_demands_records_one_history_row_each_like_submit(host_unit, host_organiser):
    drafts = DemandFactory.create_batch(2, host_unit=host_unit, entered_by_host=True)

    services.submit_demands(drafts, actor=host_organiser, comment="batch")

    assert list(
        DemandTransition.objects.order_by("demand_id").values_list(
            "demand_id", "from_state", "to_state", "actor", "reason"
        )
    ) == [
        (demand.pk, DemandStatus.DRAFT, DemandStatus.SUBMITTED, host_organiser.pk, "batch")
        for demand in sorted(drafts, key=lambda demand: demand.pk)
    ]
    assert set(Demand.objects.values_list("status", flat=True)) == {DemandStatus.SUBMITTED}


def test_submit_demands_refuses_an_illegal_edge_and_writes_nothing(host_unit, host_organiser):
    draft = DemandFactory(host_unit=host_unit, entered_by_host=True)
    published = DemandFactory(host_unit=host_unit, status=DemandStatus.PUBLISHED)

    with pytest.raises(services.DemandError):
        services.submit_demands([draft, published], actor=host_organiser)

    assert dict(Demand.objects.values_list("pk", "status")) == {
        draft.pk: DemandStatus.DRAFT,
        published.pk: DemandStatus.PUBLISHED,
    }
    assert DemandTransition.objects.count() == 0


def test_create_demands_numbers_after_the_events_highest_reference(host_unit, host_organiser):
    existing = DemandFactory(host_unit=host_unit, sequence=41)
    new = DemandFactory.build(
        host_unit=host_unit,
        organisation=existing.organisation,
        industry_field=existing.industry_field,
        created_by=host_organiser,
    )

    services.create_demands([new], actor=host_organiser, indicators=[[]])

    saved = Demand.objects.get(pk=new.pk)
    event = host_unit.event
    assert (saved.sequence, saved.ref, saved.status, saved.entered_by_host) == (
        42,
        services.format_reference(event.contest.edition, event.number, 42),
        DemandStatus.DRAFT,
        True,
    )
