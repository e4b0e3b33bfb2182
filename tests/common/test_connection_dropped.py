"""PostgreSQL drops the connection in the middle of a request (pg_terminate_backend, as a
failover or an administrator would): the person gets the plain error page, and the database
holds nothing of the half-done request — the submission's state change, history, version,
"answered" record, audit entry and notifications all went with the transaction."""

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from audit.models import ActivityLog
from demands.enums import DemandStatus
from notifications.models import Notification, OutboundEmail
from solutions.enums import SolutionStatus
from solutions.models import DemandResponse, Solution, SolutionTransition, SolutionVersion
from solutions.services import solutions as solution_services
from tests.factories.accounts import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    sign_current_agreements,
)
from tests.factories.demands import DemandFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services,
              pytest.mark.fault]


def _terminate(backend_pid):
    """Kill ``backend_pid`` from another session, as the server would on a failover."""
    db = connection.settings_dict
    other = psycopg2.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"],
                             host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432)
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
            assert cursor.fetchone()[0] is True
    finally:
        other.close()


def test_connection_dropped_mid_submission_shows_the_error_page_and_keeps_nothing(
        postgres, client, monkeypatch):
    demand = DemandFactory(status=DemandStatus.PUBLISHED)
    owner = MembershipFactory(organisation=demand.organisation, role="admin").user
    challenger = UserFactory(roles=["challenger"])
    organisation = OrganisationFactory(kind="university")
    MembershipFactory(user=challenger, organisation=organisation)
    sign_current_agreements(challenger, demand.host_unit.event.contest)
    draft = solution_services.create_solution(demand, actor=challenger, organisation=organisation,
                                              data={"title": "断线测试方案", "summary": "概述",
                                                    "approach": "路线", "trl": 5,
                                                    "ip_status": "none", "team_lead": "李教授",
                                                    "cost": 80, "duration_months": 6,
                                                    "cooperation_mode":
                                                        demand.cooperation_modes[0]})

    # Half-way: the solution's row is updated, its history and audit entry written; the
    # connection dies before the "answered" record.
    record_response = solution_services.record_response

    def dropped(*args, **kwargs):
        _terminate(connection.connection.info.backend_pid)
        return record_response(*args, **kwargs)

    monkeypatch.setattr(solution_services, "record_response", dropped)
    client.force_login(challenger)
    client.raise_request_exception = False
    audit_before = list(ActivityLog.objects.values_list("action", flat=True))

    response = client.post(reverse("solutions:submit", args=[draft.pk]))

    assert response.status_code == 500
    page = response.content.decode()
    assert "服务暂时出错" in page and "Server error" in page
    assert "Traceback" not in page

    connection.close()  # the test's own connection was the one terminated
    draft = Solution.objects.get(pk=draft.pk)
    assert draft.status == SolutionStatus.DRAFT and draft.submitted_at is None
    assert not SolutionTransition.objects.filter(solution=draft).exists()
    assert not SolutionVersion.objects.filter(solution=draft).exists()
    assert not DemandResponse.objects.filter(demand=demand).exists()
    assert not Notification.objects.filter(recipient=owner).exists()
    assert not OutboundEmail.objects.exists()
    assert not ActivityLog.objects.filter(action="portal.solutions.submitted").exists()
    assert list(ActivityLog.objects.values_list("action", flat=True)) == audit_before

    # The next request gets a new connection and works.
    monkeypatch.setattr(solution_services, "record_response", record_response)
    client.raise_request_exception = True
    client.post(reverse("solutions:submit", args=[draft.pk]))
    assert Solution.objects.get(pk=draft.pk).status == SolutionStatus.SUBMITTED
