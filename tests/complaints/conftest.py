import pytest

from complaints import services
from tests.contests.conftest import _english, sign_in  # noqa: F401
from tests.factories.demands import DemandFactory

# The live-round fixtures, for the re-check targets (matching's conftest is not above us).
from tests.matching.conftest import field_, published_demand  # noqa: F401
from tests.matching.rounds_fixtures import contenders, live_round  # noqa: F401


@pytest.fixture
def demand(host_unit, demand_owner):
    return DemandFactory(host_unit=host_unit, status="published",
                         organisation=demand_owner.memberships.first().organisation)


@pytest.fixture
def complaint(demand, challenger, host_organiser):
    """Filed by the challenger about a published demand of host_unit (whose staff handle it)."""
    return services.file_complaint(
        complainant=challenger, target_key="demands.demand", reference=demand.ref,
        category="fairness", description="评审不公CASE-TEXT", anonymous=True,
    )
