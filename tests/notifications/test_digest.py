"""The daily digest: one e-mail per user and day, whatever runs twice."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from notifications import relay
from notifications.enums import DeliveryMode, EmailState
from notifications.models import OutboundEmail
from notifications.services import build_digests, notify, set_preferences
from notifications.tasks import send_digests
from tests.factories.accounts import UserFactory
from tests.factories.notifications import OutboundEmailFactory

pytestmark = pytest.mark.django_db


def published(user, n):
    notify(recipient=user, kind="demand.published", context={"title": f"储能技术需求 {n}"},
           idempotency_key=f"demand:{n}:published", url=f"/demands/{n}/")


def test_build_digests_bundles_each_users_held_emails_once(mailoutbox,
                                                            django_capture_on_commit_callbacks):
    chinese = UserFactory(language="zh-hans")
    english = UserFactory(language="en", full_name="Bob")
    for n in (1, 2):
        published(chinese, n)
    published(english, 3)
    day = date(2026, 3, 5)

    with django_capture_on_commit_callbacks(execute=True):
        first = build_digests(day=day)
    with django_capture_on_commit_callbacks(execute=True):
        second = build_digests(day=day)

    digests = OutboundEmail.objects.filter(kind=OutboundEmail.DIGEST_KIND)
    assert (first.built, second.built) == (2, 0)
    assert digests.count() == 2
    assert set(OutboundEmail.objects.exclude(kind=OutboundEmail.DIGEST_KIND)
               .values_list("state", flat=True)) == {EmailState.BUNDLED}
    chinese_digest = digests.get(recipient=chinese)
    assert chinese_digest.items.count() == 2
    assert "2026年3月5日" in chinese_digest.subject
    assert "储能技术需求 1" in chinese_digest.body
    assert "http://127.0.0.1:8000/demands/2/" in chinese_digest.body
    english_digest = digests.get(recipient=english)
    assert english_digest.subject == ("[China Innovation Challenge] Your daily summary for "
                                      "March 5, 2026: 1 message")
    assert english_digest.body.startswith("Dear Bob,")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([chinese.email, english.email])


def test_build_digests_later_the_same_day_keeps_new_items_for_tomorrow():
    user = UserFactory()
    published(user, 1)
    day = date(2026, 3, 5)
    build_digests(day=day)
    published(user, 2)

    again = build_digests(day=day)
    tomorrow = build_digests(day=day + timedelta(days=1))

    assert again.built == 0
    assert tomorrow.built == 1
    assert OutboundEmail.objects.filter(kind=OutboundEmail.DIGEST_KIND).count() == 2


def test_build_digests_ignores_immediate_and_sent_emails():
    user = UserFactory()
    OutboundEmailFactory(recipient=user, state=EmailState.PENDING)
    OutboundEmailFactory(recipient=user, state=EmailState.SENT)

    assert build_digests().built == 0


def test_build_digests_stops_at_deadline_and_task_finishes_the_day(mailoutbox):
    users = UserFactory.create_batch(2)
    for n, user in enumerate(users):
        set_preferences(user, {"demand.status_changed": DeliveryMode.DIGEST})
        published(user, n)

    partial = build_digests(deadline=0)
    send_digests.apply_async(kwargs={"day": timezone.localdate().isoformat()})

    assert partial.finished is False
    assert partial.built == 0
    assert OutboundEmail.objects.filter(kind=OutboundEmail.DIGEST_KIND).count() == 2
    relay.sweep()
    assert len(mailoutbox) == 2


def test_a_digest_carries_the_attachments_of_the_emails_it_bundles(mailoutbox):
    from notifications.services import Attachment

    user = UserFactory()
    notify(recipient=user, kind="demand.published", context={"title": "储能技术需求"},
           idempotency_key="demand:9:published", url="/demands/9/",
           attachments=[Attachment("invite.ics", "text/calendar; method=REQUEST",
                                   "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])
    assert OutboundEmail.objects.get(recipient=user).state == EmailState.HELD

    build_digests(day=date(2026, 3, 5))
    digest = OutboundEmail.objects.get(kind=OutboundEmail.DIGEST_KIND)
    relay.deliver(digest.pk)

    names = [part.get_filename() for part in mailoutbox[0].message().walk()
             if part.get_filename()]
    assert names == ["invite.ics"]
