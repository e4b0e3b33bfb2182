"""The relay: claims, sends once, retries with backoff, fails visibly, survives the broker."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications import relay
from notifications.enums import EmailState
from notifications.models import OutboundEmail
from notifications.services import notify
from notifications.tasks import relay as relay_task
from tests.factories.accounts import UserFactory
from tests.factories.notifications import OutboundEmailFactory
from tests.notifications.conftest import kicks

pytestmark = pytest.mark.django_db


def test_deliver_sends_and_records(mailoutbox):
    email = OutboundEmailFactory(subject="需求状态更新", to_address="wang@example.cn")

    outcome = relay.deliver(email.pk)

    email.refresh_from_db()
    assert outcome == relay.Outcome.SENT
    assert email.state == EmailState.SENT
    assert email.attempts == 1
    assert email.sent_at is not None
    assert [(m.subject, m.to) for m in mailoutbox] == [("需求状态更新", ["wang@example.cn"])]
    assert mailoutbox[0].extra_headers["Message-ID"] == relay.message_id(email.idempotency_key)


def test_deliver_twice_sends_once(mailoutbox):
    email = OutboundEmailFactory()

    first = relay.deliver(email.pk)
    second = relay.deliver(email.pk)

    assert (first, second) == (relay.Outcome.SENT, relay.Outcome.SKIPPED)
    assert len(mailoutbox) == 1


def test_relay_task_duplicated_sends_once(mailoutbox):
    email = OutboundEmailFactory()

    relay_task.apply_async(kwargs={"email_ids": [email.pk]})
    relay_task.apply_async(kwargs={"email_ids": [email.pk]})
    relay_task.apply_async(kwargs={})  # and the beat sweep on top

    assert len(mailoutbox) == 1


def test_relay_task_for_deleted_row_returns_quietly(mailoutbox):
    email = OutboundEmailFactory()
    pk = email.pk
    email.delete()

    relay_task.apply_async(kwargs={"email_ids": [pk]})

    assert mailoutbox == []


def test_notify_then_commit_sends_through_eager_relay(mailoutbox,
                                                      django_capture_on_commit_callbacks):
    user = UserFactory(language="en")

    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=user, kind="agreement.new_version",
               context={"agreement_kind": "nda", "version": "2.1"},
               idempotency_key="agreement:nda:2.1", url="/accounts/agreements/")

    assert [m.subject for m in mailoutbox] == [
        "[China Innovation Challenge] New version of the Non-disclosure agreement: "
        "please read and sign it"]
    assert OutboundEmail.objects.get().state == EmailState.SENT


def test_deliver_not_due_yet_is_skipped(mailoutbox):
    email = OutboundEmailFactory(next_attempt_at=timezone.now() + timedelta(minutes=5))

    assert relay.deliver(email.pk) == relay.Outcome.SKIPPED
    assert mailoutbox == []


def test_held_email_is_not_sent_by_relay(mailoutbox):
    email = OutboundEmailFactory(state=EmailState.HELD)

    relay.sweep()

    email.refresh_from_db()
    assert email.state == EmailState.HELD
    assert mailoutbox == []


def test_deliver_transient_failure_retries_with_backoff_then_fails(settings):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.FailingBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 5
    settings.NOTIFICATIONS_RETRY_BASE = 60
    settings.NOTIFICATIONS_RETRY_MAX = 300
    email = OutboundEmailFactory()
    now = timezone.now()
    delays = []

    for _attempt in range(4):
        assert relay.deliver(email.pk, now=now) == relay.Outcome.RETRY
        email.refresh_from_db()
        assert email.state == EmailState.PENDING
        assert relay.deliver(email.pk, now=now) == relay.Outcome.SKIPPED  # not due yet
        delays.append((email.next_attempt_at - now).total_seconds())
        now = email.next_attempt_at
    outcome = relay.deliver(email.pk, now=now)

    email.refresh_from_db()
    assert delays == [60, 120, 240, 300]  # doubling, capped
    assert outcome == relay.Outcome.FAILED
    assert email.state == EmailState.FAILED
    assert email.attempts == 5
    assert email.last_error == ("ConnectionRefusedError: mail server at 127.0.0.1:25 refused "
                                "the connection")
    assert relay.deliver(email.pk, now=now + timedelta(days=1)) == relay.Outcome.SKIPPED


def test_deliver_permanent_refusal_fails_at_once(settings):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.RejectingBackend"
    email = OutboundEmailFactory()

    assert relay.deliver(email.pk) == relay.Outcome.FAILED

    email.refresh_from_db()
    assert email.state == EmailState.FAILED
    assert email.attempts == 1
    assert "no such mailbox" in email.last_error


def test_retry_delay_never_exceeds_visibility_timeout(settings):
    from challenge_portal.celery import app

    delays = [relay.retry_delay(attempts) for attempts in range(1, 30)]

    assert max(delays) == settings.NOTIFICATIONS_RETRY_MAX
    assert max(delays) < app.conf.visibility_timeout


def test_sweep_reclaims_row_whose_sender_died(mailoutbox):
    now = timezone.now()
    email = OutboundEmailFactory(state=EmailState.SENDING, attempts=1,
                                 claimed_until=now - timedelta(seconds=1))
    alive = OutboundEmailFactory(state=EmailState.SENDING, attempts=1,
                                 claimed_until=now + timedelta(minutes=5))

    counts = relay.sweep()

    email.refresh_from_db()
    alive.refresh_from_db()
    assert counts == {relay.Outcome.SENT: 1}
    assert email.state == EmailState.SENT
    assert email.attempts == 2
    assert alive.state == EmailState.SENDING  # its sender may still be at work
    assert len(mailoutbox) == 1


def test_sweep_sends_every_due_row_once(mailoutbox):
    emails = OutboundEmailFactory.create_batch(5)

    first = relay.sweep(batch_size=2)
    second = relay.sweep(batch_size=2)

    assert first == {relay.Outcome.SENT: 5}
    assert second == {}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(e.to_address for e in emails)


# --- the broker is down ---------------------------------------------------------------------
def run_all(callbacks):
    """Run the on-commit callbacks (the kick); none of them may raise."""
    for callback in callbacks:
        callback()


def test_notify_with_broker_down_commits_and_sends_later(
        broker_down, mailoutbox, django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        notify(recipient=user, kind="account.security", context={"event": "new_sign_in"},
               idempotency_key="sign-in:1")
    run_all(callbacks)

    email = OutboundEmail.objects.get()
    assert len(kicks(callbacks)) == 1
    assert email.state == EmailState.PENDING
    assert mailoutbox == []

    broker_down.task_always_eager = True  # the broker is back; beat runs the sweep
    relay_task.apply_async(kwargs={})
    relay_task.apply_async(kwargs={})

    email.refresh_from_db()
    assert email.state == EmailState.SENT
    assert len(mailoutbox) == 1


def test_kick_with_broker_down_pauses_later_kicks(broker_down, monkeypatch):
    attempts = []
    publish = relay_task.apply_async

    def counted(*args, **kwargs):
        attempts.append(kwargs.get("kwargs"))
        return publish(*args, **kwargs)

    monkeypatch.setattr(relay_task, "apply_async", counted)

    assert relay.kick([1]) is False
    assert relay.kick([2]) is False

    # The second kick does not try the broker again within the pause.
    assert attempts == [{"email_ids": [1]}]


def test_admin_retry_with_broker_down_succeeds_and_sends_later(
        broker_down, torch_client, mailoutbox, django_capture_on_commit_callbacks):
    email = OutboundEmailFactory(state=EmailState.FAILED, attempts=8,
                                 last_error="SMTPServerDisconnected: gone")

    with django_capture_on_commit_callbacks() as callbacks:
        response = torch_client.post(
            reverse("admin:notifications_outboundemail_changelist"),
            {"action": "retry", "_selected_action": [email.pk]},
        )
    run_all(callbacks)

    email.refresh_from_db()
    assert response.status_code == 302
    assert email.state == EmailState.PENDING
    assert email.attempts == 0

    broker_down.task_always_eager = True
    relay.sweep()
    relay.sweep()

    email.refresh_from_db()
    assert email.state == EmailState.SENT
    assert len(mailoutbox) == 1


def test_attachments_are_stored_with_the_row_and_sent_with_their_content_type(mailoutbox):
    from notifications.services import Attachment

    user = UserFactory()
    notify(recipient=user, kind="demand.status_changed",
           context={"title": "x", "from_state": "draft", "to_state": "submitted"},
           idempotency_key="attachment-test",
           attachments=[Attachment("a.ics", "text/calendar; method=REQUEST", "BEGIN:VCALENDAR"),
                        Attachment("b.bin", "application/octet-stream", b"\x00\x01")])
    email = OutboundEmail.objects.get(recipient=user)
    assert [a.filename for a in email.attachments.all()] == ["a.ics", "b.bin"]

    relay.deliver(email.pk)

    parts = {part.get_filename(): part for part in mailoutbox[0].message().walk()
             if part.get_filename()}
    assert parts["a.ics"].get_content_type() == "text/calendar"
    assert parts["a.ics"].get_param("method") == "REQUEST"
    assert parts["a.ics"].get_payload(decode=True) == b"BEGIN:VCALENDAR"
    assert parts["b.bin"].get_payload(decode=True) == b"\x00\x01"


def test_an_oversized_attachment_is_refused():
    from notifications.services import MAX_ATTACHMENT_BYTES, Attachment, NotificationError

    user = UserFactory()
    with pytest.raises(NotificationError):
        notify(recipient=user, kind="demand.status_changed", context={},
               idempotency_key="too-big",
               attachments=[Attachment("big.bin", "application/octet-stream",
                                       b"x" * (MAX_ATTACHMENT_BYTES + 1))])
    assert not OutboundEmail.objects.filter(recipient=user).exists()
