"""Follow-ups of a matched demand at 3, 6 and 12 months (the clock is the task's ``today``):
scheduled once per confirmed agreement, reminded when due, reported by the demand side,
evaluated by the unit's staff; 404 for strangers."""

from datetime import date

import pytest
from django.urls import reverse

from awards import services
from awards.models import FollowUp
from matching.enums import AgreementState
from matching.models import IntentionAgreement
from notifications.models import Notification
from tests.factories.accounts import OrganisationFactory
from tests.factories.demands import DemandFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(host_unit, demand_owner):
    demand = DemandFactory(host_unit=host_unit, status="closed",
                           organisation=demand_owner.organisations.first(),
                           created_by=demand_owner)
    return IntentionAgreement.objects.create(
        demand=demand, partner=OrganisationFactory(kind="university"), cooperation_mode="joint",
        amount=100, signed_on=date(2026, 8, 31), created_by=demand_owner,
        state=AgreementState.CONFIRMED)


def test_follow_ups_are_scheduled_at_3_6_12_months_and_reminded_when_due(agreement,
                                                                         demand_owner):
    IntentionAgreement.objects.create(  # a draft is not a match
        demand=agreement.demand, partner=agreement.partner, cooperation_mode="joint",
        amount=1, signed_on=date(2026, 8, 31), created_by=demand_owner)
    created, reminded = services.schedule_follow_ups(today=date(2026, 9, 1))
    assert (created, reminded) == (3, 0)
    assert list(FollowUp.objects.values_list("months", "due_on")) == [
        (3, date(2026, 11, 30)), (6, date(2027, 2, 28)), (12, date(2027, 8, 31))]
    assert services.schedule_follow_ups(today=date(2026, 11, 29)) == (0, 0)
    assert services.schedule_follow_ups(today=date(2026, 11, 30)) == (0, 1)
    services.schedule_follow_ups(today=date(2026, 12, 1))
    assert Notification.objects.filter(kind="awards.follow_up",
                                       recipient=demand_owner).count() == 1


def test_report_then_evaluate(agreement, demand_owner, host_organiser, other_host_organiser):
    services.schedule_follow_ups(today=date(2026, 9, 1))
    follow_up = FollowUp.objects.get(months=3)
    figures = {"contract_value": 50, "patents_filed": 2, "products_launched": 1,
               "jobs_created": 6}
    with pytest.raises(services.AwardError) as error:
        services.evaluate_follow_up(follow_up, evaluation="好", actor=host_organiser)
    assert error.value.code == "state"
    with pytest.raises(services.AwardError):
        services.report_progress(follow_up, figures=figures, progress="样品完成",
                                 actor=host_organiser)
    services.report_progress(follow_up, figures=figures, progress="样品完成，进入中试",
                             actor=demand_owner)
    with pytest.raises(services.AwardError):
        services.evaluate_follow_up(follow_up, evaluation="好", actor=other_host_organiser)
    services.evaluate_follow_up(follow_up, evaluation="成效明显", actor=host_organiser)
    with pytest.raises(services.AwardError):
        services.report_progress(follow_up, figures=figures, progress="改", actor=demand_owner)
    follow_up.refresh_from_db()
    assert follow_up.patents_filed == 2 and follow_up.evaluation == "成效明显"


def test_not_due_yet_cannot_be_reported(agreement, demand_owner):
    from datetime import timedelta

    from django.utils import timezone

    later = FollowUp.objects.create(agreement=agreement, host_unit=agreement.demand.host_unit,
                                    months=12, due_on=timezone.localdate() + timedelta(days=1))
    with pytest.raises(services.AwardError) as error:
        services.report_progress(later, figures={}, progress="x", actor=demand_owner)
    assert error.value.code == "not_due"


def test_follow_up_pages_404_for_strangers(client, agreement, demand_owner, stranger,
                                           other_host_organiser, host_organiser):
    services.schedule_follow_ups(today=date(2026, 9, 1))
    follow_up = FollowUp.objects.get(months=3)
    page = reverse("awards:follow_up", kwargs={"pk": follow_up.pk})
    for user in (stranger, other_host_organiser):
        client.force_login(user)
        assert client.get(page).status_code == 404
    client.force_login(demand_owner)
    assert client.get(page).status_code == 200
    client.force_login(host_organiser)
    assert client.get(page).status_code == 200
