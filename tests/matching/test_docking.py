from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from matching.enums import DockingState, ParticipantAnswer
from matching.models import DockingSession
from matching.services import MatchingError, docking
from notifications.models import Notification


@pytest.fixture
def session(published_demand, host_organiser, demand_owner, holder_member):
    starts = timezone.make_aware(datetime(2026, 12, 20, 14, 0))
    return docking.schedule(
        DockingSession(host_unit=published_demand.host_unit, title="IGBT对接会", mode="video",
                       link="https://meeting.example.cn/x", starts_at=starts,
                       ends_at=starts + timedelta(hours=2), agenda="路演"),
        demands=[published_demand], participants=[demand_owner, holder_member],
        actor=host_organiser)


def _event(data):
    calendar = Calendar.from_ical(data)
    return calendar, next(iter(calendar.walk("VEVENT")))


def test_ical_parses_with_the_shanghai_time_zone(session):
    calendar, event = _event(docking.session_calendar(session))
    assert event["DTSTART"].dt.tzinfo.key == "Asia/Shanghai"
    assert event["DTSTART"].dt.hour == 14
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_an_update_keeps_the_uid_and_raises_the_sequence_and_a_cancellation_too(
        session, host_organiser, published_demand, demand_owner):
    _calendar, before = _event(docking.session_calendar(session))
    session.title = "IGBT对接会（改期）"
    session.starts_at += timedelta(days=1)
    session.ends_at += timedelta(days=1)
    docking.update(session, demands=[published_demand], participants=[demand_owner],
                   actor=host_organiser)
    _calendar, after = _event(docking.session_calendar(session))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == int(before["SEQUENCE"]) + 1
    docking.cancel(session, actor=host_organiser)
    calendar, cancelled = _event(docking.session_calendar(session))
    assert str(calendar["METHOD"]) == "CANCEL" and str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == str(before["UID"])


def test_participants_are_told_and_answer(session, holder_member, stranger):
    assert Notification.objects.filter(recipient=holder_member, kind="matching.docking").exists()
    assert docking.answer(session, user=holder_member, confirmed=True).answer == (
        ParticipantAnswer.CONFIRMED)
    with pytest.raises(MatchingError):
        docking.answer(session, user=stranger, confirmed=True)


def test_only_host_staff_of_the_unit_schedule_and_record_minutes(session, other_host_organiser,
                                                                 host_organiser):
    with pytest.raises(MatchingError):
        docking.record_minutes(session, minutes="x", outcome="y", actor=other_host_organiser)
    docking.record_minutes(session, minutes="纪要", outcome="达成意向", actor=host_organiser)
    session.refresh_from_db()
    assert session.state == DockingState.HELD


def test_personal_feed_is_revocable(client, session, holder_member):
    feed = docking.feed_for(holder_member)
    url = reverse("matching:feed", kwargs={"token": feed.token})
    _calendar, event = _event(client.get(url).content)
    assert str(event["SUMMARY"]) == "IGBT对接会"
    docking.feed_for(holder_member, renew=True)
    assert client.get(url).status_code == 404


def test_docking_list_query_count_does_not_grow(client, session, host_organiser,
                                                published_demand, demand_owner,
                                                django_assert_num_queries):
    client.force_login(host_organiser)
    url = reverse("matching:docking")
    client.get(url)
    with django_assert_num_queries(4) as one:
        client.get(url)
    for n in range(2):
        starts = timezone.now() + timedelta(days=n + 1)
        docking.schedule(
            DockingSession(host_unit=published_demand.host_unit, title=f"对接{n}",
                           mode="in_person", venue="西安", starts_at=starts,
                           ends_at=starts + timedelta(hours=1)),
            demands=[published_demand], participants=[demand_owner], actor=host_organiser)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)
