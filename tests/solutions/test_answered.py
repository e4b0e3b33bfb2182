import datetime
import statistics

import pytest
from django.urls import reverse

from demands.models import Demand
from notifications.models import Notification
from solutions.enums import ResponseKind
from solutions.models import ReminderSent
from solutions.selectors import (
    answered,
    board_rows,
    response_figures,
    unanswered,
    unanswered_board,
)
from solutions.services.answered import is_working_day, remind_overdue, respond_as_host
from solutions.services.responses import record_response
from tests.factories.accounts import UserFactory
from tests.factories.contests import HostMembershipFactory, HostUnitFactory
from tests.solutions.support import SHANGHAI, freeze, published_demand

pytestmark = pytest.mark.django_db

# 2026-10-01 (Thursday) is National Day; 2026-10-09 (Friday) a normal working day.
HOLIDAY = datetime.datetime(2026, 10, 1, 9, 0, tzinfo=SHANGHAI)
WORKDAY = datetime.datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)


def _published(unit, days_ago, now):
    return published_demand(host_unit=unit, published_at=now - datetime.timedelta(days=days_ago))


def test_the_holiday_calendar():
    assert not is_working_day(HOLIDAY.date())
    assert is_working_day(WORKDAY.date())
    assert not is_working_day(datetime.date(2026, 10, 4))  # Sunday in the holiday
    assert is_working_day(datetime.date(2026, 10, 10))  # a Saturday made a working day (调休)


def test_board_oldest_first_with_days_left_and_overdue(monkeypatch):
    now = freeze(monkeypatch, WORKDAY)
    unit = HostUnitFactory(response_deadline_days=30)
    host = HostMembershipFactory(host_unit=unit).user
    late = _published(unit, 40, now)
    fresh = _published(unit, 5, now)
    done = _published(unit, 50, now)
    respond_as_host(done, actor=host, text="已组织两家高校对接")
    rows = board_rows(unanswered_board(host), now=now)
    assert [row["demand"].pk for row in rows] == [late.pk, fresh.pk]
    assert rows[0]["overdue"] and rows[0]["days_left"] == -10
    assert not rows[1]["overdue"] and rows[1]["days_left"] == 25
    other_unit_host = HostMembershipFactory(host_unit=HostUnitFactory()).user
    assert not unanswered_board(other_unit_host).exists()


def test_reminders_only_on_working_days_once_per_day(monkeypatch):
    unit = HostUnitFactory(response_deadline_days=10)
    host = HostMembershipFactory(host_unit=unit).user
    freeze(monkeypatch, HOLIDAY)
    _published(unit, 20, HOLIDAY)
    assert remind_overdue() == 0
    assert not Notification.objects.filter(kind="solution.overdue").exists()
    freeze(monkeypatch, WORKDAY)
    assert remind_overdue() == 1
    assert remind_overdue() == 0  # once a day
    note = Notification.objects.get(kind="solution.overdue", recipient=host)
    assert "1" in note.text
    assert ReminderSent.objects.get().overdue == 1


def test_answered_rule_has_every_source_and_figures_equal_direct_counts(monkeypatch):
    now = freeze(monkeypatch, WORKDAY)
    unit_a, unit_b = HostUnitFactory(), HostUnitFactory()
    torch = UserFactory(roles=["torch_staff"])
    demands = [_published(unit_a, 20, now) for _ in range(4)] + [_published(unit_b, 10, now)
                                                                  for _ in range(3)]
    record_response(demands[0], kind=ResponseKind.SOLUTION, source_ref="solutions.Solution:1",
                    at=now - datetime.timedelta(days=18))
    record_response(demands[1], kind=ResponseKind.INVITATION,
                    source_ref="matching.Invitation:5", at=now - datetime.timedelta(days=15))
    record_response(demands[4], kind=ResponseKind.HOST_RESPONSE, source_ref="x:1",
                    at=now - datetime.timedelta(days=9))
    rows, overall = response_figures(torch)
    by_unit = {row["unit"].pk: row for row in rows}
    for unit in (unit_a, unit_b):
        scope = Demand.objects.filter(host_unit=unit)
        assert by_unit[unit.pk]["total"] == scope.count()
        assert by_unit[unit.pk]["answered"] == answered(scope).count()
    assert by_unit[unit_a.pk]["median_days"] == statistics.median([2.0, 5.0])
    assert by_unit[unit_b.pk]["median_days"] == 1.0
    assert overall["answered"] == answered(Demand.objects.all()).count() == 3
    assert overall["total"] == 7 and overall["median_days"] == 2.0
    assert unanswered(Demand.objects.all()).count() == 4


def test_figures_of_a_unit_with_nothing_published_are_zero_without_a_median():
    host = HostMembershipFactory(host_unit=HostUnitFactory()).user
    rows, overall = response_figures(host)
    assert rows == []
    assert overall == {"total": 0, "answered": 0, "share": None, "median_days": None}


def test_board_page_for_host_staff_only(client, django_assert_max_num_queries):
    unit = HostUnitFactory()
    host = HostMembershipFactory(host_unit=unit).user
    for _ in range(5):
        published_demand(host_unit=unit)
    client.force_login(host)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("solutions:board"))
    assert response.status_code == 200 and len(response.context["rows"]) == 5
    client.force_login(UserFactory(roles=["challenger"]))
    assert client.get(reverse("solutions:board")).status_code == 404
