"""notify(): rows in the caller's transaction, once per key, per the recipient's preference."""

import pytest
from django.db import transaction
from django.utils import formats, timezone, translation

from notifications.enums import DeliveryMode, EmailState
from notifications.kinds import UnknownKind
from notifications.models import Notification, OutboundEmail
from notifications.services import NotificationError, notify, set_preferences
from tests.factories.accounts import UserFactory
from tests.notifications.conftest import kicks

pytestmark = pytest.mark.django_db


def status_changed(recipient, key="demand:7:status:published", **extra):
    notify(recipient=recipient, kind="demand.status_changed",
           context={"title": "高效储能电池热管理技术", "from_state": "approved",
                    "to_state": "published", **extra},
           idempotency_key=key, url="/demands/7/")


def test_notify_writes_inbox_line_and_pending_email(django_capture_on_commit_callbacks):
    user = UserFactory(language="en")

    with django_capture_on_commit_callbacks() as callbacks:
        status_changed(user)

    notification = Notification.objects.get()
    email = OutboundEmail.objects.get()
    assert notification.recipient == user
    assert notification.text == 'Your demand "高效储能电池热管理技术" is now: Published'
    assert notification.url == "/demands/7/"
    assert email.state == EmailState.PENDING
    assert email.to_address == user.email
    assert email.link == "http://127.0.0.1:8000/demands/7/"
    assert "from Approved to Published" in email.body
    assert len(kicks(callbacks)) == 1  # the relay is kicked once, after commit


def test_notify_inside_rolled_back_transaction_leaves_nothing(django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                status_changed(user)
                raise RuntimeError("the change that caused the notification failed")

    assert Notification.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert kicks(callbacks) == []


def test_notify_same_key_twice_writes_one_row_each(django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            status_changed(user)
            status_changed(user)
        status_changed(user)

    assert Notification.objects.count() == 1
    assert OutboundEmail.objects.count() == 1
    assert len(kicks(callbacks)) == 1


def test_notify_same_key_for_two_recipients_notifies_each_once():
    first, second = UserFactory(), UserFactory()

    status_changed(first)
    status_changed(second)
    status_changed(first)

    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        [first.pk, second.pk])
    assert OutboundEmail.objects.count() == 2


def test_notify_duplicate_leaves_callers_transaction_usable():
    user = UserFactory()
    status_changed(user)

    with transaction.atomic():
        status_changed(user)
        # Still inside the caller's transaction: it can go on writing.
        status_changed(user, key="demand:7:status:closed", to_state="closed")

    assert Notification.objects.count() == 2


def test_notify_preference_digest_holds_email_without_kick(django_capture_on_commit_callbacks):
    user = UserFactory()
    set_preferences(user, {"demand.status_changed": DeliveryMode.DIGEST})

    with django_capture_on_commit_callbacks() as callbacks:
        status_changed(user)

    assert Notification.objects.filter(recipient=user).count() == 1
    assert OutboundEmail.objects.get().state == EmailState.HELD
    assert kicks(callbacks) == []


def test_notify_preference_off_writes_nothing():
    user = UserFactory()
    set_preferences(user, {"demand.status_changed": DeliveryMode.OFF})

    status_changed(user)

    assert Notification.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


def test_notify_security_kind_ignores_off_and_digest():
    user = UserFactory()
    set_preferences(user, {"account.security": DeliveryMode.OFF})

    notify(recipient=user, kind="account.security", context={"event": "password_changed"},
           idempotency_key="password:1")

    assert Notification.objects.filter(recipient=user, kind="account.security").count() == 1
    assert OutboundEmail.objects.get().state == EmailState.PENDING


def test_notify_kind_default_applies_without_preference():
    user = UserFactory()

    notify(recipient=user, kind="demand.published", context={"title": "氢燃料电池"},
           idempotency_key="demand:9:published")

    assert OutboundEmail.objects.get().state == EmailState.HELD  # demand.published: digest


def test_notify_inactive_recipient_gets_only_security_messages():
    user = UserFactory(is_active=False)

    status_changed(user)
    notify(recipient=user, kind="account.security", context={"event": "account_locked"},
           idempotency_key="locked:1")

    assert list(Notification.objects.values_list("kind", flat=True)) == ["account.security"]


def test_notify_renders_in_recipients_language():
    english = UserFactory(language="en", full_name="Alice")
    chinese = UserFactory(language="zh-hans", full_name="王芳")
    today = timezone.localdate()

    with translation.override("en"):
        for user in (english, chinese):
            notify(recipient=user, kind="account.security",
                   context={"event": "password_changed", "ip": "203.0.113.5"},
                   idempotency_key="password:42")
        active_after = translation.get_language()

    english_mail = OutboundEmail.objects.get(recipient=english)
    chinese_mail = OutboundEmail.objects.get(recipient=chinese)
    with translation.override("en"):
        english_date = formats.date_format(today, "N j, Y")
    assert english_mail.language == "en"
    assert english_mail.subject == "[China Innovation Challenge] Your password was changed"
    assert english_mail.body.startswith("Dear Alice,\n\nYour password was changed.\n")
    assert english_date in english_mail.body
    assert "IP address: 203.0.113.5" in english_mail.body
    assert chinese_mail.language == "zh-hans"
    assert f"{today.year}年{today.month}月{today.day}日" in chinese_mail.body
    assert "年" not in english_mail.body
    assert active_after == "en"  # the caller's language is restored


def test_notify_choice_label_follows_recipients_language():
    chinese = UserFactory(language="zh-hans")

    with translation.override("en"):
        status_changed(chinese, to_state="no_such_state")

    # An unknown state is shown as it is rather than failing the caller.
    assert Notification.objects.get().text.endswith("no_such_state")


@pytest.mark.parametrize("arguments, message", [
    ({"kind": "demand.unknown"}, "Unknown notification kind"),
    ({"context": {"when": timezone.now()}}, "JSON-serialisable"),
    ({"context": {"url": "/x/"}}, "reserved"),
    ({"idempotency_key": ""}, "idempotency_key"),
    ({"idempotency_key": "k" * 151}, "longer"),
    ({"url": "https://evil.example/"}, "path on this site"),
    ({"url": "//evil.example/"}, "path on this site"),
])
def test_notify_bad_arguments_refused_before_writing(arguments, message):
    user = UserFactory()
    call = {"recipient": user, "kind": "demand.status_changed", "context": {"title": "x"},
            "idempotency_key": "k", **arguments}

    with pytest.raises((NotificationError, UnknownKind), match=message):
        notify(**call)

    assert Notification.objects.count() == 0
