from tests.matching.conftest import client, field_, published_demand  # noqa: F401
from tests.matching.rounds_fixtures import contenders, live_round  # noqa: F401
