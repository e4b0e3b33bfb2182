"""Docking sessions (需求对接): host staff schedule a session for one or more of their demands
(in person, online or video; times in Asia/Shanghai), with participants who are told through
the outbox by an e-mail that carries the session's iCalendar file as ``invite.ics``
(``text/calendar; method=REQUEST``, or ``CANCEL``) and links to it, and who confirm or decline
in the portal. A change raises the event's SEQUENCE under the same UID, a cancellation sends
METHOD:CANCEL for that UID; host staff record the minutes and the outcome. Every participant
may subscribe to a personal feed of their sessions under a secret, revocable URL."""

import secrets
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vText

from audit.services import log_action
from contests.permissions import is_host_staff_of
from notifications.services import Attachment, notify_many

from ..enums import DockingMode, DockingState, ParticipantAnswer
from ..models import CalendarFeed, DockingParticipant, DockingSession
from .base import MatchingError

ZONE = ZoneInfo("Asia/Shanghai")
PRODID = "-//China Innovation Challenge//Docking//ZH"


class DockingError(MatchingError):
    default_code = "docking_refused"


# --- iCalendar ------------------------------------------------------------------------------
def _event(session, *, cancelled=False):
    event = Event()
    event.add("uid", f"{session.uid}@{getattr(settings, 'PORTAL_DOMAIN', 'portal')}")
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(session.starts_at, ZONE))
    event.add("dtend", timezone.localtime(session.ends_at, ZONE))
    event.add("summary", session.title)
    if session.agenda:
        event.add("description", session.agenda)
    where = session.venue if session.mode == DockingMode.IN_PERSON else session.link
    if where:
        event["location"] = vText(where)
    if session.link:
        event.add("url", session.link)
    event.add("status", "CANCELLED" if cancelled or session.state == DockingState.CANCELLED
              else "CONFIRMED")
    return event


def calendar(sessions, *, method="PUBLISH"):
    """An iCalendar (bytes) of ``sessions``, their times in Asia/Shanghai (with its
    VTIMEZONE)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    for session in sessions:
        cal.add_component(_event(session))
    cal.add_missing_timezones()
    return cal.to_ical()


def _method(session):
    return "CANCEL" if session.state == DockingState.CANCELLED else "REQUEST"


def session_calendar(session):
    return calendar([session], method=_method(session))


def invitation_attachment(session):
    """The session's calendar as the e-mail attachment ``invite.ics``: the same UID at every
    change, the SEQUENCE of the change, METHOD:CANCEL once cancelled."""
    return Attachment(filename="invite.ics",
                      mimetype=f"text/calendar; method={_method(session)}",
                      content=session_calendar(session))


# --- writes ---------------------------------------------------------------------------------
def _check(session, demands):
    if session.ends_at <= session.starts_at:
        raise DockingError(_("The session ends before it starts."), field="ends_at")
    if session.mode == DockingMode.IN_PERSON and not session.venue:
        raise DockingError(_("An in-person session needs a venue."), field="venue")
    if session.mode != DockingMode.IN_PERSON and not session.link:
        raise DockingError(_("An online or video session needs a link."), field="link")
    if not demands:
        raise DockingError(_("Choose at least one demand."), field="demands")
    if any(demand.host_unit_id != session.host_unit_id for demand in demands):
        raise DockingError(_("Only the host unit's own demands can be docked."),
                           field="demands")


def _tell(session, user_ids, key):
    notify_many(recipient_ids=sorted(user_ids), kind="matching.docking",
                context={"title": session.title,
                         "starts_at": timezone.localtime(session.starts_at, ZONE)
                         .strftime("%Y-%m-%d %H:%M"),
                         "state": str(session.get_state_display()),
                         "ics": reverse("matching:docking_ics", kwargs={"pk": session.pk})},
                idempotency_key=f"docking:{session.pk}:{key}",
                url=session.get_absolute_url(), obj=session,
                attachments=[invitation_attachment(session)])


def schedule(session, *, demands, participants, actor, request=None):
    """Schedule ``session`` (unsaved, with its host unit) for ``demands`` with
    ``participants`` (users); each is told with the calendar invitation."""
    if not is_host_staff_of(actor, session.host_unit_id):
        raise DockingError(_("Only the host unit's staff schedule its docking sessions."),
                           code="permission_denied")
    demands = list(demands)
    _check(session, demands)
    with transaction.atomic():
        session.created_by = actor
        session.save()
        session.demands.set(demands)
        DockingParticipant.objects.bulk_create(
            [DockingParticipant(session=session, user=user) for user in set(participants)])
        log_action("portal.matching.docking.schedule", actor=actor, obj=session,
                   data={"demands": [d.pk for d in demands]}, request=request)
        _tell(session, {user.pk for user in participants}, "0")
    return session


def update(session, *, demands, participants, actor, request=None):
    """Save the changed session: the same UID, the next SEQUENCE; everyone is told again."""
    if not is_host_staff_of(actor, session.host_unit_id):
        raise DockingError(_("Only the host unit's staff change its docking sessions."),
                           code="permission_denied")
    demands = list(demands)
    _check(session, demands)
    with transaction.atomic():
        locked = DockingSession.objects.select_for_update().get(pk=session.pk)
        if locked.state != DockingState.SCHEDULED:
            raise DockingError(_("Only a scheduled session can be changed."), code="state")
        session.sequence = locked.sequence + 1
        session.save()
        session.demands.set(demands)
        users = {user.pk for user in participants}
        session.participants.exclude(user_id__in=users).delete()
        existing = set(session.participants.values_list("user_id", flat=True))
        DockingParticipant.objects.bulk_create(
            [DockingParticipant(session=session, user_id=pk) for pk in users - existing])
        log_action("portal.matching.docking.update", actor=actor, obj=session,
                   data={"sequence": session.sequence}, request=request)
        _tell(session, users, str(session.sequence))
    return session


def cancel(session, *, actor, request=None):
    if not is_host_staff_of(actor, session.host_unit_id):
        raise DockingError(_("Only the host unit's staff cancel its docking sessions."),
                           code="permission_denied")
    with transaction.atomic():
        locked = DockingSession.objects.select_for_update().get(pk=session.pk)
        if locked.state != DockingState.SCHEDULED:
            raise DockingError(_("Only a scheduled session can be cancelled."), code="state")
        locked.state = DockingState.CANCELLED
        locked.sequence += 1
        locked.save(update_fields=["state", "sequence", "updated_at"])
        log_action("portal.matching.docking.cancel", actor=actor, obj=locked, request=request)
        _tell(locked, set(locked.participants.values_list("user_id", flat=True)), "cancel")
    session.refresh_from_db()
    return session


def answer(session, *, user, confirmed, request=None):
    """A participant confirms or declines."""
    with transaction.atomic():
        participant = DockingParticipant.objects.select_for_update().filter(
            session=session, user=user).first()
        if participant is None:
            raise DockingError(_("You are not a participant of this session."),
                               code="permission_denied")
        if session.state != DockingState.SCHEDULED:
            raise DockingError(_("This session is not scheduled any more."), code="state")
        participant.answer = (ParticipantAnswer.CONFIRMED if confirmed
                              else ParticipantAnswer.DECLINED)
        participant.answered_at = timezone.now()
        participant.save(update_fields=["answer", "answered_at"])
        log_action("portal.matching.docking.answer", actor=user, obj=session,
                   data={"answer": participant.answer}, request=request)
    return participant


def record_minutes(session, *, minutes, outcome, actor, request=None):
    if not is_host_staff_of(actor, session.host_unit_id):
        raise DockingError(_("Only the host unit's staff record the minutes."),
                           code="permission_denied")
    if session.state == DockingState.CANCELLED:
        raise DockingError(_("A cancelled session has no minutes."), code="state")
    with transaction.atomic():
        session.minutes, session.outcome = minutes, outcome
        session.state = DockingState.HELD
        session.save(update_fields=["minutes", "outcome", "state", "updated_at"])
        log_action("portal.matching.docking.minutes", actor=actor, obj=session,
                   request=request)
    return session


def feed_for(user, *, renew=False):
    """The user's calendar feed (created on first use); ``renew`` revokes the old URL."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        if feed is None:
            feed = CalendarFeed.objects.create(user=user, token=secrets.token_urlsafe(32))
            log_action("portal.matching.feed.create", actor=user, obj=feed)
        elif renew:
            feed.token = secrets.token_urlsafe(32)
            feed.save(update_fields=["token", "created_at"])
            log_action("portal.matching.feed.renew", actor=user, obj=feed)
    return feed
