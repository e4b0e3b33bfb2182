"""Service requests: asked by any participant, assigned by the unit's staff to a service agency,
completed, rated once by the requester; 404 for strangers."""

import pytest
from django.urls import reverse

from accounts.enums import OrganisationKind
from awards import services
from awards.enums import ServiceState
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return OrganisationFactory(kind=OrganisationKind.SERVICE_AGENCY, name="示例知识产权服务中心")


@pytest.fixture
def agency_member(agency):
    return MembershipFactory(organisation=agency, user=UserFactory()).user


def test_request_assigned_completed_and_rated(host_unit, challenger, host_organiser,
                                              other_host_organiser, agency, agency_member):
    service = services.ask_service(host_unit=host_unit, kind="ip",
                                   description="专利布局与侵权风险分析", actor=challenger)
    with pytest.raises(services.AwardError):
        services.assign_service(service, agency, actor=other_host_organiser)
    with pytest.raises(services.AwardError) as error:
        services.assign_service(service, OrganisationFactory(), actor=host_organiser)
    assert error.value.field == "provider"
    services.assign_service(service, agency, actor=host_organiser)
    assert service.state == ServiceState.ASSIGNED and service.provider == agency
    with pytest.raises(services.AwardError):
        services.rate_service(service, rating=5, comment="", actor=challenger)
    with pytest.raises(services.AwardError):
        services.complete_service(service, outcome="完成", actor=challenger)
    services.complete_service(service, outcome="出具专利布局报告一份", actor=agency_member)
    assert service.state == ServiceState.COMPLETED
    with pytest.raises(services.AwardError):
        services.rate_service(service, rating=4, comment="", actor=agency_member)
    with pytest.raises(services.AwardError):
        services.rate_service(service, rating=6, comment="", actor=challenger)
    services.rate_service(service, rating=4, comment="报告专业", actor=challenger)
    assert service.rating == 4
    with pytest.raises(services.AwardError) as error:
        services.rate_service(service, rating=5, comment="", actor=challenger)
    assert error.value.code == "rated"
    assert list(service.transitions.values_list("to_state", flat=True)) == [
        ServiceState.ASSIGNED, ServiceState.COMPLETED]


def test_service_pages_and_404_for_strangers(client, host_unit, challenger, host_organiser,
                                             stranger, other_host_organiser, agency,
                                             agency_member):
    client.force_login(challenger)
    response = client.post(reverse("awards:service_create"), {
        "host_unit": host_unit.pk, "kind": "finance", "description": "寻求天使轮融资对接"})
    assert response.status_code == 302
    service = challenger.service_requests.get()
    detail = service.get_absolute_url()
    for user in (stranger, other_host_organiser, agency_member):
        client.force_login(user)
        assert client.get(detail).status_code == 404
        assert client.post(reverse("awards:service_step", kwargs={"pk": service.pk}),
                           {"step": "assign", "provider": agency.pk}).status_code == 404
    client.force_login(host_organiser)
    client.post(reverse("awards:service_step", kwargs={"pk": service.pk}),
                {"step": "assign", "provider": agency.pk})
    service.refresh_from_db()
    assert service.provider == agency
    client.force_login(agency_member)
    assert client.get(detail).status_code == 200
    client.post(reverse("awards:service_step", kwargs={"pk": service.pk}),
                {"step": "complete", "outcome": "完成两轮路演对接"})
    client.force_login(challenger)
    client.post(reverse("awards:service_step", kwargs={"pk": service.pk}),
                {"step": "rate", "rating": "5", "comment": "很好"})
    service.refresh_from_db()
    assert service.state == ServiceState.COMPLETED and service.rating == 5
