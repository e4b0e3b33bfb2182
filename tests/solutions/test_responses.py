import datetime

import pytest
from django.utils import timezone

from audit.models import ActivityLog
from demands.enums import DemandStatus
from demands.models import Demand
from solutions.enums import ResponseKind
from solutions.models import DemandResponse
from solutions.selectors import answered, first_response_at, unanswered
from solutions.services.responses import record_response
from tests.factories.accounts import UserFactory
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db


def test_record_response_is_idempotent_and_audited():
    demand = DemandFactory(status=DemandStatus.PUBLISHED)
    actor = UserFactory()
    first = record_response(demand, kind=ResponseKind.SOLUTION, source_ref="solutions.Solution:1",
                            actor=actor)
    again = record_response(demand, kind="solution", source_ref="solutions.Solution:1")
    assert first.pk == again.pk and again.actor == actor
    assert DemandResponse.objects.count() == 1
    assert ActivityLog.objects.filter(action="portal.solutions.response_recorded").count() == 1
    # Another kind with the same source is another response.
    record_response(demand, kind=ResponseKind.INVITATION, source_ref="solutions.Solution:1")
    assert DemandResponse.objects.count() == 2


def test_answered_unanswered_and_first_response():
    quiet, busy = DemandFactory.create_batch(2, status=DemandStatus.PUBLISHED)
    early = timezone.now() - datetime.timedelta(days=3)
    record_response(busy, kind=ResponseKind.HOST_RESPONSE, source_ref="x:1")
    record_response(busy, kind=ResponseKind.INVITATION, source_ref="matching.Invitation:5",
                    at=early)
    demands = Demand.objects.all()
    assert list(answered(demands)) == [busy]
    assert list(unanswered(demands)) == [quiet]
    rows = {d.pk: d.first_response_at for d in first_response_at(demands)}
    assert rows == {quiet.pk: None, busy.pk: early}
