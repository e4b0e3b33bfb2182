"""Technology contracts against a confirmed intention agreement: who registers, the flag for
priority by the unit's staff, 404 for strangers."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import services
from matching.enums import AgreementState
from matching.models import IntentionAgreement
from tests.factories.accounts import MembershipFactory, OrganisationFactory, UserFactory
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(host_unit, demand_owner):
    demand = DemandFactory(host_unit=host_unit, status="published",
                           organisation=demand_owner.organisations.first(),
                           created_by=demand_owner)
    partner = OrganisationFactory(kind="university")
    return IntentionAgreement.objects.create(
        demand=demand, partner=partner, cooperation_mode="license", amount=100,
        signed_on=timezone.localdate(), created_by=demand_owner,
        state=AgreementState.CONFIRMED)


def register(agreement, actor, number="JS-2026-001", **kwargs):
    values = {"kind": "license", "amount": "80", "signed_on": timezone.localdate()}
    values.update(kwargs)
    return services.register_contract(agreement, number=number, actor=actor, **values)


def test_sides_register_contracts_on_a_confirmed_agreement(agreement, demand_owner, stranger,
                                                           host_organiser):
    contract = register(agreement, demand_owner)
    assert contract.host_unit_id == agreement.demand.host_unit_id
    with pytest.raises(services.AwardError) as error:
        register(agreement, demand_owner)
    assert error.value.field == "number"
    with pytest.raises(services.AwardError):
        register(agreement, stranger, number="JS-2")
    with pytest.raises(services.AwardError):
        register(agreement, host_organiser, number="JS-3",
                 signed_on=timezone.localdate() + timedelta(days=1))
    IntentionAgreement.objects.filter(pk=agreement.pk).update(state=AgreementState.DRAFT)
    agreement.refresh_from_db()
    with pytest.raises(services.AwardError) as error:
        register(agreement, demand_owner, number="JS-4")
    assert error.value.code == "state"


def test_only_the_units_staff_flag_priority(agreement, demand_owner, host_organiser,
                                            other_host_organiser):
    contract = register(agreement, demand_owner)
    with pytest.raises(services.AwardError):
        services.flag_contract(contract, priority=True, note="", actor=demand_owner)
    with pytest.raises(services.AwardError):
        services.flag_contract(contract, priority=True, note="", actor=other_host_organiser)
    services.flag_contract(contract, priority=True, note="列入市科技计划优先支持",
                           actor=host_organiser)
    contract.refresh_from_db()
    assert contract.priority and contract.priority_note


def test_contract_pages_404_for_strangers(client, agreement, demand_owner, stranger,
                                          other_host_organiser, host_organiser):
    contract = register(agreement, demand_owner)
    detail = reverse("awards:contract_detail", kwargs={"pk": contract.pk})
    create = reverse("awards:contract_create", kwargs={"agreement_pk": agreement.pk})
    for user in (stranger, other_host_organiser):
        client.force_login(user)
        assert client.get(detail).status_code == 404
        assert client.get(create).status_code == 404
        assert contract.number not in client.get(reverse("awards:contracts")).content.decode()
    partner_member = MembershipFactory(organisation=agreement.partner,
                                       user=UserFactory()).user
    client.force_login(partner_member)
    assert client.get(detail).status_code == 200
    response = client.post(create, {"number": "JS-2026-002", "kind": "development",
                                    "amount": "50", "signed_on": timezone.localdate()})
    assert response.status_code == 302
    client.force_login(host_organiser)
    client.post(reverse("awards:contract_flag", kwargs={"pk": contract.pk}),
                {"priority": "on", "note": "优先"})
    contract.refresh_from_db()
    assert contract.priority
