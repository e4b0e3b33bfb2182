"""The Celery configuration the outbox relies on, as the app actually reads it."""

from django.conf import settings

from challenge_portal.celery import app


def test_visibility_timeout_is_the_same_in_all_three_places():
    conf = app.conf

    values = {conf.broker_transport_options["visibility_timeout"],
              conf.result_backend_transport_options["visibility_timeout"],
              conf.visibility_timeout}

    assert values == {settings.CELERY_VISIBILITY_TIMEOUT}


def test_late_ack_reject_on_worker_lost_prefetch_one():
    conf = app.conf

    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1


def test_nothing_outlasts_the_visibility_timeout():
    conf = app.conf

    assert 0 < conf.task_soft_time_limit < conf.task_time_limit < conf.visibility_timeout
    assert settings.NOTIFICATIONS_RETRY_MAX < conf.visibility_timeout
    assert conf.task_time_limit < settings.NOTIFICATIONS_SENDING_LEASE < conf.visibility_timeout
    assert settings.NOTIFICATIONS_SWEEP_SECONDS < conf.task_soft_time_limit


def test_publishing_cannot_hang_on_a_dead_broker():
    options = app.conf.broker_transport_options

    assert options["socket_connect_timeout"] <= 5
    assert options["socket_timeout"] > 1  # above kombu's 1 s BRPOP timeout
    assert app.conf.broker_connection_timeout <= 5


def test_beat_runs_the_sweep_every_minute_and_the_digest_daily():
    schedule = app.conf.beat_schedule

    sweep = schedule["portal.notifications.relay"]
    digest = schedule["portal.notifications.send_digests"]
    assert sweep["task"] == "portal.notifications.relay"
    assert sweep["schedule"] == 60.0
    assert sweep["options"]["expires"] < 60
    assert digest["task"] == "portal.notifications.send_digests"
    assert digest["schedule"].hour == {8} and digest["schedule"].minute == {0}


def test_notification_tasks_are_registered_by_name():
    app.loader.import_default_modules()

    assert {"portal.notifications.relay", "portal.notifications.send_digests"} <= set(app.tasks)
