"""The fan-out job: written with the publication, run after commit, once per subscriber however
often it runs, resumed from its checkpoint, failed and visible when it keeps failing, and a
fixed number of queries per batch."""

import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import ActivityLog
from demands import services as demand_services
from demands.enums import DemandStatus
from notifications import relay
from notifications.enums import DeliveryMode, EmailState
from notifications.models import Notification, OutboundEmail
from notifications.services import build_digests
from push import fanout
from push.enums import PushState
from push.fanout import fan_out
from push.models import PublicationPush
from push.tasks import fan_out_publication, push_sweep
from tests.factories.contests import IndustryFieldFactory
from tests.factories.demands import DemandFactory
from tests.factories.notifications import NotificationPreferenceFactory
from tests.push.push_support import (
    bulk_subscribers,
    emails_of,
    notified_user_ids,
    published,
    subscriber,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def field():
    return IndustryFieldFactory(code="new-energy", name="新能源汽车")


@pytest.fixture
def demand(field):
    return published(industry_field=field, region="610113")


def _push(demand):
    return PublicationPush.objects.get(demand=demand)


# --- once, whatever happens -------------------------------------------------------------------
def test_fan_out_twice_notifies_each_subscriber_once(demand, field):
    users = bulk_subscribers(25, field=field)

    first = fan_out(demand.pk, batch_size=10)
    second = fan_out(demand.pk, batch_size=10)

    assert first == second == 25
    assert notified_user_ids(demand) == sorted(user.pk for user in users)
    assert emails_of(demand).count() == 25
    push = _push(demand)
    assert (push.state, push.matched, push.notified, push.last_user_id) == (
        PushState.DONE, 25, 25, users[-1].pk)


def test_duplicated_job_run_from_the_start_writes_nothing_more(demand, field):
    bulk_subscribers(12, field=field)
    fan_out(demand.pk, batch_size=5)
    # A duplicated message, or a job reset by hand: back to pending, checkpoint at zero.
    PublicationPush.objects.filter(demand=demand).update(state=PushState.PENDING,
                                                         last_user_id=0, notified=0)

    again = fan_out(demand.pk, batch_size=5)

    assert again == 0  # nobody was notified by the second run
    assert len(notified_user_ids(demand)) == len(set(notified_user_ids(demand))) == 12
    assert emails_of(demand).count() == 12


def test_crashed_run_resumes_from_its_checkpoint(demand, field, monkeypatch):
    users = bulk_subscribers(25, field=field)
    real = fanout.notify_many
    calls = []

    def crash_on_third_batch(**kwargs):
        calls.append(kwargs["recipient_ids"])
        if len(calls) == 3:
            raise RuntimeError("worker lost its database connection")
        return real(**kwargs)

    monkeypatch.setattr(fanout, "notify_many", crash_on_third_batch)
    with pytest.raises(RuntimeError):
        fan_out(demand.pk, batch_size=10)

    push = _push(demand)
    assert (push.state, push.notified, push.last_user_id, push.failures) == (
        PushState.PENDING, 20, users[19].pk, 1)
    assert "database connection" in push.last_error
    assert len(notified_user_ids(demand)) == 20

    monkeypatch.setattr(fanout, "notify_many", real)
    PublicationPush.objects.filter(pk=push.pk).update(next_attempt_at=push.created_at)
    push_sweep()

    push.refresh_from_db()
    assert (push.state, push.notified, push.failures, push.last_error) == (
        PushState.DONE, 25, 0, "")
    assert notified_user_ids(demand) == sorted(user.pk for user in users)


def test_job_that_keeps_failing_ends_failed_visible_and_retried_by_staff(
        demand, field, monkeypatch, settings, torch_client, torch_staff,
        django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    bulk_subscribers(3, field=field)

    def broken(**kwargs):
        raise RuntimeError("outbox table is locked")

    monkeypatch.setattr(fanout, "notify_many", broken)
    for _attempt in range(2):
        with pytest.raises(RuntimeError):
            fan_out(demand.pk)
    push = _push(demand)
    assert (push.state, push.failures) == (PushState.FAILED, 2)
    assert fan_out(demand.pk) == 0  # a failed job waits for staff

    changelist = reverse("admin:push_publicationpush_changelist")
    page = torch_client.get(changelist + "?state__exact=failed").content.decode()
    assert demand.ref in page and "outbox table is locked" in page

    monkeypatch.undo()  # the outbox works again
    with django_capture_on_commit_callbacks(execute=True):
        torch_client.post(changelist, {"action": "retry", "_selected_action": [push.pk]})

    push.refresh_from_db()
    assert (push.state, push.notified) == (PushState.DONE, 3)
    log = ActivityLog.objects.get(action="portal.notifications.push_retry")
    assert (log.actor, log.from_state, log.to_state) == (torch_staff, "failed", "pending")


# --- scheduled by the publication -------------------------------------------------------------
def test_publishing_writes_the_push_and_notifies_after_commit(
        host_unit, host_organiser, field, django_capture_on_commit_callbacks):
    demand = DemandFactory(status=DemandStatus.APPROVED, host_unit=host_unit,
                           industry_field=field, region="610113")
    user = subscriber(fields=[field])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        demand_services.transition(demand, DemandStatus.PUBLISHED, actor=host_organiser)
    # Written in the publishing transaction; nobody notified before it commits.
    assert _push(demand).state == PushState.PENDING
    assert notified_user_ids(demand) == []

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    assert notified_user_ids(demand) == [user.pk]
    assert _push(demand).state == PushState.DONE


def test_publishing_with_the_broker_down_commits_and_the_sweep_notifies_later(
        host_unit, host_organiser, field, broker_down, django_capture_on_commit_callbacks):
    demand = DemandFactory(status=DemandStatus.APPROVED, host_unit=host_unit,
                           industry_field=field, region="610113")
    user = subscriber(fields=[field])

    with django_capture_on_commit_callbacks(execute=True):
        demand_services.transition(demand, DemandStatus.PUBLISHED, actor=host_organiser)

    demand.refresh_from_db()
    assert demand.status == DemandStatus.PUBLISHED
    assert _push(demand).state == PushState.PENDING
    assert notified_user_ids(demand) == []

    broker_down.task_always_eager = True  # the broker is back
    push_sweep()

    assert notified_user_ids(demand) == [user.pk]


def test_demand_withdrawn_before_its_push_runs_notifies_nobody(demand, field, demand_owner):
    subscriber(fields=[field])
    fanout.ensure_push(demand.pk)
    DemandFactory._meta.model.objects.filter(pk=demand.pk).update(status=DemandStatus.WITHDRAWN)

    assert fan_out(demand.pk) == 0
    assert _push(demand).state == PushState.CANCELLED
    assert notified_user_ids(demand) == []


class _SlowClock:
    """Every look at the clock is 100 s after the previous one."""

    def __init__(self):
        self.now = -100

    def monotonic(self):
        self.now += 100
        return self.now


def test_task_gives_back_the_job_when_its_time_is_up_and_goes_on(demand, field, settings,
                                                                  monkeypatch):
    from push import tasks

    users = bulk_subscribers(9, field=field)
    settings.PUSH_BATCH_SIZE = 4
    settings.PUSH_RUN_SECONDS = 150  # one batch per run on this clock
    clock = _SlowClock()
    monkeypatch.setattr(fanout, "time", clock)
    monkeypatch.setattr(tasks, "time", clock)

    fan_out_publication(demand_id=demand.pk)

    push = _push(demand)
    assert (push.state, push.runs, push.notified) == (PushState.DONE, 3, 9)
    assert notified_user_ids(demand) == sorted(user.pk for user in users)


def test_run_out_of_time_keeps_the_checkpoint(demand, field, monkeypatch):
    users = bulk_subscribers(9, field=field)
    monkeypatch.setattr(fanout, "time", _SlowClock())
    push = fanout.ensure_push(demand.pk)

    result = fanout.run(push.pk, deadline=150, size=4)

    push.refresh_from_db()
    assert (result.claimed, result.finished) == (True, False)
    assert (push.state, push.notified, push.last_user_id, push.claimed_until) == (
        PushState.PENDING, 8, users[7].pk, None)


# --- delivery preferences ---------------------------------------------------------------------
def test_digest_preference_holds_the_email_for_the_daily_digest(
        demand, field, mailoutbox, django_capture_on_commit_callbacks):
    at_once = subscriber(fields=[field], email="at.once@example.cn")
    NotificationPreferenceFactory(user=at_once, kind="demand.published",
                                  mode=DeliveryMode.IMMEDIATE)
    daily = subscriber(fields=[field], email="daily@example.cn")  # the kind's default
    NotificationPreferenceFactory(user=daily, kind="demand.published",
                                  mode=DeliveryMode.DIGEST)

    with django_capture_on_commit_callbacks(execute=True):
        fan_out(demand.pk)

    states = dict(emails_of(demand).values_list("recipient_id", "state"))
    assert states == {at_once.pk: EmailState.SENT, daily.pk: EmailState.HELD}
    assert [message.to for message in mailoutbox] == [["at.once@example.cn"]]

    with django_capture_on_commit_callbacks(execute=True):
        build_digests()

    assert [message.to for message in mailoutbox] == [["at.once@example.cn"],
                                                      ["daily@example.cn"]]
    assert demand.public_snapshot["title"] in mailoutbox[1].body
    assert OutboundEmail.objects.get(recipient=daily, kind="demand.published").state == (
        EmailState.BUNDLED)
    assert Notification.objects.filter(recipient=daily, kind="demand.published").count() == 1


def test_recipient_language_and_name_are_filled_in_each_message(demand, field):
    english = subscriber(fields=[field], full_name="Alice Smith", language="en")
    chinese = subscriber(fields=[field], full_name="王小明", language="zh-hans")

    fan_out(demand.pk)

    bodies = dict(emails_of(demand).values_list("recipient_id", "body"))
    assert bodies[english.pk].startswith("Dear Alice Smith,")
    assert "王小明" in bodies[chinese.pk] and "Alice" not in bodies[chinese.pk]
    assert "\ue000" not in "".join(bodies.values())
    languages = dict(emails_of(demand).values_list("recipient_id", "language"))
    assert languages == {english.pk: "en", chinese.pk: "zh-hans"}


# --- cost -------------------------------------------------------------------------------------
def _queries_of_fan_out(demand, batch_size):
    with CaptureQueriesContext(connection) as captured:
        fan_out(demand.pk, batch_size=batch_size)
    return len(captured.captured_queries)


def test_fan_out_queries_do_not_grow_with_subscribers(field):
    batch = 1000
    small, large = published(industry_field=field), published(industry_field=field)
    bulk_subscribers(batch, field=field, prefix="first")
    one_batch = _queries_of_fan_out(small, batch)
    bulk_subscribers(4 * batch, field=field, prefix="more")

    five_batches = _queries_of_fan_out(large, batch)

    assert Notification.objects.filter(target_object_id=str(large.pk)).count() == 5 * batch
    # Each batch costs what the first did (bulk inserts are split by the backend's parameter
    # limit, a fixed number for a fixed batch size); nothing is per subscriber.
    assert five_batches <= 5 * one_batch
    assert five_batches < 5 * batch / 20


def test_fan_out_on_postgresql_costs_a_few_queries_per_batch(postgres, field):
    demand = published(industry_field=field)
    bulk_subscribers(5000, field=field)

    queries = _queries_of_fan_out(demand, 2000)

    batches = math.ceil(5000 / 2000)
    assert queries <= 15 + 10 * batches
    assert len(notified_user_ids(demand)) == 5000


def test_relay_is_kicked_only_for_immediate_emails(demand, field, monkeypatch,
                                                    django_capture_on_commit_callbacks):
    kicked = []
    monkeypatch.setattr(relay, "kick", lambda ids=None, **kw: kicked.extend(ids or []) or True)
    at_once = subscriber(fields=[field])
    NotificationPreferenceFactory(user=at_once, kind="demand.published",
                                  mode=DeliveryMode.IMMEDIATE)
    subscriber(fields=[field])

    with django_capture_on_commit_callbacks(execute=True):
        fan_out(demand.pk)

    assert kicked == [OutboundEmail.objects.get(recipient=at_once, kind="demand.published").pk]
