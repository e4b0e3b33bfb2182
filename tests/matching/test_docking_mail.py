"""Docking invitations, updates and cancellations are e-mailed with the session's calendar
attached as invite.ics (text/calendar; method=REQUEST or CANCEL), the same UID every time and a
rising SEQUENCE."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from matching.models import DockingSession
from matching.services import docking
from notifications import relay
from notifications.enums import EmailState
from notifications.models import OutboundEmail


@pytest.fixture
def session(published_demand, host_organiser, demand_owner, holder_member):
    starts = timezone.make_aware(datetime(2026, 12, 20, 14, 0))
    return docking.schedule(
        DockingSession(host_unit=published_demand.host_unit, title="IGBT对接会", mode="video",
                       link="https://meeting.example.cn/x", starts_at=starts,
                       ends_at=starts + timedelta(hours=2), agenda="路演"),
        demands=[published_demand], participants=[demand_owner, holder_member],
        actor=host_organiser)


def _send_pending(mailoutbox):
    """Relay every pending e-mail (as the worker does after commit); the new messages."""
    before = len(mailoutbox)
    relay.deliver_many(OutboundEmail.objects.filter(state=EmailState.PENDING)
                       .values_list("pk", flat=True))
    return mailoutbox[before:]


def _invite(message):
    """The single invite.ics of a sent message: (content type header, parsed calendar)."""
    parts = [part for part in message.message().walk()
             if part.get_filename() == "invite.ics"]
    assert len(parts) == 1, "the e-mail carries exactly one invite.ics"
    part = parts[0]
    return part, Calendar.from_ical(part.get_payload(decode=True))


def _event(calendar):
    return next(iter(calendar.walk("VEVENT")))


def test_each_participant_gets_the_invitation_with_invite_ics_attached(
        session, mailoutbox, holder_member, demand_owner):
    sent = _send_pending(mailoutbox)
    assert sorted(message.to[0] for message in sent) == sorted(
        [holder_member.email, demand_owner.email])
    part, calendar = _invite(sent[0])
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get("Content-Disposition").startswith("attachment")
    assert str(calendar["METHOD"]) == "REQUEST"
    event = _event(calendar)
    assert event["DTSTART"].dt.tzinfo.key == "Asia/Shanghai"
    assert event["DTSTART"].dt.hour == 14
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert "TZID=Asia/Shanghai" in part.get_payload(decode=True).decode()
    assert str(event["SUMMARY"]) == "IGBT对接会"


def test_an_update_mails_the_same_uid_with_a_higher_sequence_and_a_cancel_says_cancel(
        session, mailoutbox, host_organiser, published_demand, demand_owner, holder_member):
    first = _event(_invite(_send_pending(mailoutbox)[0])[1])

    session.starts_at += timedelta(days=1)
    session.ends_at += timedelta(days=1)
    docking.update(session, demands=[published_demand],
                   participants=[demand_owner, holder_member], actor=host_organiser)
    updated = _send_pending(mailoutbox)
    assert len(updated) == 2
    part, calendar = _invite(updated[0])
    second = _event(calendar)
    assert part.get_param("method") == "REQUEST"
    assert str(second["UID"]) == str(first["UID"])
    assert int(second["SEQUENCE"]) == int(first["SEQUENCE"]) + 1
    assert second["DTSTART"].dt.day == 21

    docking.cancel(session, actor=host_organiser)
    cancelled = _send_pending(mailoutbox)
    assert len(cancelled) == 2
    part, calendar = _invite(cancelled[0])
    third = _event(calendar)
    assert part.get_param("method") == "CANCEL"
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(third["STATUS"]) == "CANCELLED"
    assert str(third["UID"]) == str(first["UID"])
    assert int(third["SEQUENCE"]) > int(second["SEQUENCE"])


def test_the_attachment_is_what_was_true_when_the_mail_was_written(
        session, mailoutbox, host_organiser):
    """An invitation still queued when the session is cancelled goes out as it was written
    (REQUEST), and the cancellation after it (CANCEL)."""
    docking.cancel(session, actor=host_organiser)
    sent = _send_pending(mailoutbox)
    methods = sorted(str(_invite(message)[1]["METHOD"]) for message in sent)
    assert methods == ["CANCEL", "CANCEL", "REQUEST", "REQUEST"]
